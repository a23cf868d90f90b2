import type { EvidenceItem } from '@attest/contracts';
import { buildUnitIndex, describeNextStep, findRequirementsWithoutEvidence, type LearnerNextStep, type RequirementWithoutEvidence, type Unit, type Verdict } from '@attest/standards';

/** One thing the learner can do (or is waiting for), in plain words; `itemId` opens that item. */
export interface NextStepEntry {
  key: string;
  text: string;
  itemId: string | null;
}

/** At most this many requirements are named in one step; the missing list names every one. */
const NAMED_AT_MOST = 3;

const FINISHED: ReadonlySet<LearnerNextStep['code']> = new Set(['signed-off', 'awaiting-countersignature', 'ready-for-sign-off']);

/**
 * What the learner should do next on this unit, in order, each step naming the item or the
 * statement (with its words) it is about: reply to referred evidence, submit drafts (saying what
 * rests on them alone), add evidence where there is none, be observed by the assessor, sign the
 * declaration; then what waits on the assessor. Drafts, items with the assessor, referred items and
 * accepted items are each told apart. The server's step stays the headline (`nextStep`); this list
 * is its detail, built from the same portfolio.
 */
export function buildLearnerNextSteps(unit: Unit, items: readonly EvidenceItem[], verdict: Verdict, nextStep: LearnerNextStep, labels: ReadonlyMap<string, string>): NextStepEntry[] {
  if (FINISHED.has(nextStep.code)) return [{ key: 'finished', text: `${describeNextStep(nextStep)}.`, itemId: null }];
  const index = buildUnitIndex(unit);
  const named = (item: EvidenceItem) => `${labels.get(item.id) ?? 'Evidence'} “${item.title.trim() === '' ? 'untitled' : item.title}”`;
  const inUnit = (item: EvidenceItem) => item.mappings.filter((m) => m.unitId === unit.id);
  const steps: NextStepEntry[] = [];

  for (const item of items) {
    if (item.state === 'submitted' && inUnit(item).some((m) => m.decision === 'referred')) {
      steps.push({ key: `referred|${item.id}`, text: `Reply to your assessor on ${named(item)}: they referred it back. Read their feedback, reopen it, change it and submit it again.`, itemId: item.id });
    }
  }

  // Which items each statement rests on, so a draft can say what waits for it alone.
  const itemsByStatement = new Map<string, Set<string>>();
  for (const item of items) {
    for (const m of inUnit(item)) {
      if (m.target !== 'statement' || m.decision === 'referred') continue;
      const found = index.findStatement(m.ref);
      const key = typeof found === 'number' ? index.statements[found]?.key : undefined;
      if (key === undefined) continue;
      itemsByStatement.set(key, (itemsByStatement.get(key) ?? new Set()).add(item.id));
    }
  }
  for (const item of items) {
    if (item.state !== 'draft' || inUnit(item).length === 0) continue;
    const onlyHere = [...itemsByStatement.values()].filter((ids) => ids.size === 1 && ids.has(item.id)).length;
    const rests = onlyHere === 0 ? '' : ` (it is the only evidence for ${onlyHere === 1 ? '1 statement' : `${onlyHere} statements`})`;
    steps.push({ key: `draft|${item.id}`, text: `Submit your draft ${named(item)}${rests}: until you submit it, your assessor cannot see it.`, itemId: item.id });
  }

  const without = findRequirementsWithoutEvidence(unit, verdict);
  const toObserve = without.filter((r) => r.isObservationOnly);
  const toEvidence = without.filter((r) => !r.isObservationOnly);
  if (toEvidence.length > 0) steps.push({ key: 'add-evidence', text: `Add evidence for ${nameSome(toEvidence)}.`, itemId: null });
  if (toObserve.length > 0) steps.push({ key: 'observe', text: `Your assessor needs to observe you: ${nameSome(toObserve)} ${toObserve.length === 1 ? 'has' : 'have'} to be observed. Agree a time with them.`, itemId: null });

  if (nextStep.code === 'sign-declaration') steps.push({ key: 'declaration', text: 'Sign your declaration that the evidence is your own work, so your assessor can assess the unit.', itemId: null });

  const withAssessor = items.filter((item) => item.state === 'submitted' && inUnit(item).some((m) => m.decision === 'pending') && !inUnit(item).some((m) => m.decision === 'referred'));
  if (withAssessor.length > 0) steps.push({ key: 'with-assessor', text: `Waiting for your assessor to decide on ${withAssessor.map(named).join(', ')}.`, itemId: null });

  return steps.length > 0 ? steps : [{ key: 'headline', text: `${describeNextStep(nextStep)}.`, itemId: null }];
}

/** "Standard 201.1.1 “update and develop…”, PC 3 “…” and 4 more (see what is still missing)". */
function nameSome(requirements: readonly RequirementWithoutEvidence[]): string {
  const shown = requirements.slice(0, NAMED_AT_MOST).map((r) => (r.text === null ? r.label : `${r.label} “${r.text}”`));
  const rest = requirements.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more (see what is still missing)`;
  return shown.length === 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
