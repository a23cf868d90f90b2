import { ActionPlanSchema, type ActionPlan, type AssessmentActionPlan } from '@attest/contracts';
import type { AssessmentMethodCode } from '@attest/standards';

export interface ActionPlanForm {
  plannedMethods: Array<{ method: AssessmentMethodCode | ''; notes: string }>;
  venue: string;
  dates: Array<{ date: string; time: string; activity: string }>;
  evidenceRequirements: string;
  feedbackArrangements: string;
}

export function actionPlanFormOf(plan: AssessmentActionPlan | null): ActionPlanForm {
  if (plan === null) return { plannedMethods: [{ method: 'O', notes: '' }], venue: '', dates: [], evidenceRequirements: '', feedbackArrangements: '' };
  return {
    plannedMethods: plan.plan.plannedMethods.map((m) => ({ ...m })),
    venue: plan.plan.venue,
    dates: plan.plan.dates.map((d) => ({ date: d.date, time: d.time ?? '', activity: d.activity })),
    evidenceRequirements: plan.plan.evidenceRequirements,
    feedbackArrangements: plan.plan.feedbackArrangements,
  };
}

/** The PUT body, or errors keyed by field path (`plannedMethods`, `dates.1.date`…). */
export function buildActionPlanRequest(form: ActionPlanForm, baseVersion: number): { ok: true; request: { baseVersion: number; plan: ActionPlan } } | { ok: false; errors: Map<string, string> } {
  const draft = {
    plannedMethods: form.plannedMethods.filter((m) => m.method !== '').map((m) => ({ method: m.method, notes: m.notes.trim() })),
    venue: form.venue.trim(),
    dates: form.dates.map((d) => ({ date: d.date, time: d.time.trim() === '' ? null : d.time.trim(), activity: d.activity.trim() })),
    evidenceRequirements: form.evidenceRequirements.trim(),
    feedbackArrangements: form.feedbackArrangements.trim(),
  };
  const parsed = ActionPlanSchema.safeParse(draft);
  if (parsed.success) return { ok: true, request: { baseVersion, plan: parsed.data } };
  const errors = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.');
    if (errors.has(path)) continue;
    if (path === 'plannedMethods') errors.set(path, 'Plan at least one assessment method.');
    else if (/^dates\.\d+\.date$/.test(path)) errors.set(path, 'Enter the date as a full date (day, month and year).');
    else errors.set(path, 'Shorten this: it is longer than the plan allows.');
  }
  return { ok: false, errors };
}
