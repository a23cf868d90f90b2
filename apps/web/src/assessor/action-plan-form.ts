import { z } from 'zod';
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

/** What the assessor is told for a refused field, by its path (`plannedMethods`, `dates.1.date`…). */
export function actionPlanMessage(path: string): string {
  if (path === 'plannedMethods') return 'Plan at least one assessment method.';
  if (/^dates\.\d+\.date$/.test(path)) return 'Enter the date as a full date (day, month and year).';
  return 'Shorten this: it is longer than the plan allows.';
}

/**
 * The form's fields as the contract's plan: unchosen method rows dropped, text trimmed, an empty
 * time as none, then checked by the contract's own ActionPlanSchema. The form's resolver and
 * buildActionPlanRequest both parse with it, so the browser refuses exactly what the server would.
 */
export const ActionPlanFormSchema = z
  .object({
    // A method code or '' for a row left at None; the contract's enum checks the chosen ones.
    plannedMethods: z.array(z.object({ method: z.custom<ActionPlanForm['plannedMethods'][number]['method']>((value) => typeof value === 'string'), notes: z.string() })),
    venue: z.string(),
    dates: z.array(z.object({ date: z.string(), time: z.string(), activity: z.string() })),
    evidenceRequirements: z.string(),
    feedbackArrangements: z.string(),
  })
  .transform((form) => ({
    plannedMethods: form.plannedMethods.filter((m) => m.method !== '').map((m) => ({ method: m.method, notes: m.notes.trim() })),
    venue: form.venue.trim(),
    dates: form.dates.map((d) => ({ date: d.date, time: d.time.trim() === '' ? null : d.time.trim(), activity: d.activity.trim() })),
    evidenceRequirements: form.evidenceRequirements.trim(),
    feedbackArrangements: form.feedbackArrangements.trim(),
  }))
  .pipe(ActionPlanSchema);

/** The PUT body, or errors keyed by field path (`plannedMethods`, `dates.1.date`…). */
export function buildActionPlanRequest(form: ActionPlanForm, baseVersion: number): { ok: true; request: { baseVersion: number; plan: ActionPlan } } | { ok: false; errors: Map<string, string> } {
  const parsed = ActionPlanFormSchema.safeParse(form);
  if (parsed.success) return { ok: true, request: { baseVersion, plan: parsed.data } };
  const errors = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.');
    if (!errors.has(path)) errors.set(path, actionPlanMessage(path));
  }
  return { ok: false, errors };
}
