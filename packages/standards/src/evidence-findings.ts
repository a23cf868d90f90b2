import { toDayNumber } from './day-number.ts';
import type { EvidenceItem, Policy, PortfolioFactsInput } from './portfolio-facts-schema.ts';
import { inferenceReason } from './rules/knowledge-inference.ts';
import { methodRefusal } from './rules/methods-allowed.ts';
import { settingRefusal } from './rules/work-setting.ts';
import { sortById } from './sort-by-id.ts';
import { mappingTarget, type UnitPlan } from './unit-plan.ts';
import type { Reason, Status } from './verdict.ts';
import { getAssessmentMethod, type AssessmentMethodCode } from './vocabularies.ts';

/** What the evidence shows about one statement, scope item or evidence requirement. */
export type TargetEvidence = {
  /** The items that count (accepted, current, of an allowed method and setting), in id order; an id repeated in the facts counts once. */
  usable: EvidenceItem[];
  /** Mappings still awaiting the assessor's decision. */
  pending: number;
  hasPendingObservation: boolean;
  /** Refusals and notes about single pieces of evidence, in id order. */
  reasons: Reason[];
};

/** What the pass over the evidence gives the verdicts and the rules. */
export type EvidenceFindings = {
  statements: TargetEvidence[];
  scopeItems: TargetEvidence[];
  requirements: TargetEvidence[];
  /** About the portfolio as a whole: mappings to refs the unit lacks, evidence dated too late or too long ago. */
  unitReasons: Reason[];
  performance: PerformanceEvidence;
  /** Whether any mapping named something the unit has. */
  hasActivity: boolean;
};

export type PerformanceEvidence = {
  /** Performance evidence (observation, product, witness testimony, …) that counted for something, in id order. */
  items: EvidenceItem[];
  /** Met when any counted, waiting when some awaits the assessor, else not met. */
  status: Status;
  /** The span of its dates, as day numbers; both 0 when there is none. */
  firstDay: number;
  lastDay: number;
  /** Accepted performance evidence refused for its work setting, once per item. */
  settingRefusals: Reason[];
};

// The list every target without usable evidence shares: frozen, so no reader can fill another's.
export const NONE: string[] = Object.freeze([]) as unknown as string[];
const NONE_ITEMS: EvidenceItem[] = NONE as unknown as EvidenceItem[];

export const usableIds = (e: TargetEvidence): string[] => (e.usable.length === 0 ? NONE : e.usable.map((item) => item.id));
const isObservation = (item: EvidenceItem): boolean => getAssessmentMethod(item.method as AssessmentMethodCode).isObservation;
/** Whether some usable item is an observation, which observation rules ask for. */
export const isObserved = (e: TargetEvidence): boolean => e.usable.some(isObservation);
export const observedIds = (e: TargetEvidence): string[] => (isObserved(e) ? e.usable.filter(isObservation).map((item) => item.id) : NONE);

/** The methods of the usable items, each once, in order of first use. */
export function methodsOf(e: TargetEvidence): string[] {
  const usable = e.usable;
  if (usable.length === 0) return NONE;
  // Counted before the list is made, so it is made at its size: a list grown by push reserves
  // room for sixteen more, and every met target of every evaluation gives one.
  let count = 0;
  for (let i = 0; i < usable.length; i++) if (isFirstOfMethod(usable, i)) count++;
  const methods = new Array<string>(count);
  for (let i = 0, m = 0; i < usable.length; i++) if (isFirstOfMethod(usable, i)) methods[m++] = (usable[i] as EvidenceItem).method;
  return methods;
}

function isFirstOfMethod(items: readonly EvidenceItem[], i: number): boolean {
  const method = (items[i] as EvidenceItem).method;
  for (let j = 0; j < i; j++) if ((items[j] as EvidenceItem).method === method) return false;
  return true;
}


/** Why an item counts for nothing whatever it is mapped to: dated after asOf, too old, or performance evidence from a setting the unit refuses. */
function itemProblem(plan: UnitPlan, item: EvidenceItem, isPerformance: boolean, policy: Policy, asOfDay: number): Reason | null {
  const day = toDayNumber(item.date);
  if (day > asOfDay) return { code: 'evidence_dated_after_as_of', params: { evidenceId: item.id, date: item.date } };
  if (asOfDay - day > policy.evidenceCurrencyDays) return { code: 'evidence_not_current', params: { evidenceId: item.id, ageDays: asOfDay - day, maxAgeDays: policy.evidenceCurrencyDays } };
  return isPerformance ? settingRefusal(item, plan.allowedSettings) : null;
}

const isSettingRefusal = (reason: Reason) => reason.code === 'simulation_not_allowed' || reason.code === 'rwe_not_allowed';
// A target's lists start as the shared empty one and are made on the first item or reason: a list
// made empty and grown by push reserves room for sixteen more, and most targets gather one or two.
const nothingYet = (): TargetEvidence => ({ usable: NONE_ITEMS, pending: 0, hasPendingObservation: false, reasons: NONE as unknown as Reason[] });

function addReason(evidence: TargetEvidence, reason: Reason): void {
  if (evidence.reasons.length === 0) evidence.reasons = [reason];
  else evidence.reasons.push(reason);
}
const NOTHING: TargetEvidence = Object.freeze({ usable: NONE_ITEMS, pending: 0, hasPendingObservation: false, reasons: NONE as unknown as Reason[] });

/**
 * The one pass over the evidence, in id order so the verdict does not depend on the order it
 * arrives in: each mapping's evidence counts for its target, waits for the assessor, or is refused
 * with a reason on the target (referred, dated wrongly, method, setting or inference not allowed).
 */
export function readEvidence(plan: UnitPlan, facts: PortfolioFactsInput, policy: Policy, asOfDay: number): EvidenceFindings {
  if (facts.unitId !== plan.unitId) throw new Error(`facts are for unit ${facts.unitId}, not ${plan.unitId}`);
  const findings: EvidenceFindings = {
    statements: [],
    scopeItems: [],
    requirements: [],
    unitReasons: [],
    performance: { items: [], status: 'not-met', firstDay: 0, lastDay: 0, settingRefusals: [] },
    hasActivity: false,
  };
  // What each target gathers, by slot, made when a mapping first names it: most portfolios name
  // only some of a unit's targets, and the others share one empty record.
  const bySlot = new Array<TargetEvidence | undefined>(plan.statements.length + plan.scopeItems.length + plan.requirements.length);
  let hasPendingPerformance = false;
  for (const item of sortById(facts.evidence)) {
    const method = getAssessmentMethod(item.method as AssessmentMethodCode);
    const problem = itemProblem(plan, item, method.isPerformanceEvidence, policy, asOfDay);
    let isProblemNoted = false;
    let counts = false;
    for (const mapping of item.mappings) {
      const target = mappingTarget(plan, mapping);
      if (target === undefined) {
        findings.unitReasons.push({ code: 'unknown_target', params: { evidenceId: item.id, target: mapping.target, ref: mapping.ref } });
        continue;
      }
      findings.hasActivity = true;
      const evidence = (bySlot[target.slot] ??= nothingYet());
      if (mapping.decision === 'referred') {
        addReason(evidence, { code: 'evidence_referred', params: { evidenceId: item.id } });
      } else if (problem) {
        addReason(evidence, problem);
        // Said once per item: on the unit (dates) or on the work-setting rule (settings).
        if (!isProblemNoted && mapping.decision === 'accepted') {
          isProblemNoted = true;
          if (isSettingRefusal(problem)) findings.performance.settingRefusals.push(problem);
        }
      } else if (mapping.decision === 'pending') {
        evidence.pending++;
        if (method.isObservation) evidence.hasPendingObservation = true;
        if (method.isPerformanceEvidence) hasPendingPerformance = true;
      } else {
        const refusal = methodRefusal(item, target.allowedMethods);
        if (refusal !== null) {
          addReason(evidence, refusal);
          continue;
        }
        if (target.knowledge !== null && method.isInferenceOnly) {
          const inference = inferenceReason(item, target.knowledge.inferenceMethods, policy);
          addReason(evidence, inference);
          if (inference.code !== 'knowledge_inferred') continue;
        }
        // Equal ids sort side by side; they are one piece of evidence, counted once per target.
        if (evidence.usable.length === 0) evidence.usable = [item];
        else if ((evidence.usable[evidence.usable.length - 1] as EvidenceItem).id !== item.id) evidence.usable.push(item);
        counts = true;
      }
    }
    if (problem && isProblemNoted && !isSettingRefusal(problem)) findings.unitReasons.push(problem);
    if (counts && method.isPerformanceEvidence) notePerformance(findings.performance, item);
  }
  const scopeBase = plan.statements.length;
  const requirementBase = scopeBase + plan.scopeItems.length;
  findings.statements = gathered(bySlot, 0, plan.statements.length);
  findings.scopeItems = gathered(bySlot, scopeBase, plan.scopeItems.length);
  findings.requirements = gathered(bySlot, requirementBase, plan.requirements.length);
  const performance = findings.performance;
  performance.status = performance.items.length > 0 ? 'met' : hasPendingPerformance ? 'not-yet-assessed' : 'not-met';
  return findings;
}

/** What `count` targets from slot `base` on gathered; those no mapping named share the empty record. */
function gathered(bySlot: readonly (TargetEvidence | undefined)[], base: number, count: number): TargetEvidence[] {
  const evidence = new Array<TargetEvidence>(count);
  for (let i = 0; i < count; i++) evidence[i] = bySlot[base + i] ?? NOTHING;
  return evidence;
}

function notePerformance(performance: PerformanceEvidence, item: EvidenceItem): void {
  const day = toDayNumber(item.date);
  const isFirst = performance.items.push(item) === 1;
  if (isFirst || day < performance.firstDay) performance.firstDay = day;
  if (isFirst || day > performance.lastDay) performance.lastDay = day;
}
