import { toDayNumber } from './day-number.ts';
import { sortById } from './sort-by-id.ts';
import type { EvidenceItem, EvidenceMapping, Policy, PortfolioFactsInput, Signature } from './portfolio-facts-schema.ts';
import { DEFAULT_POLICY } from './portfolio-facts-schema.ts';
import { buildUnitIndex, type UnitIndex } from './unit-index.ts';
import type { AssessmentRule, AssessmentRuleKind, Unit } from './unit-schema.ts';
import type { EvidenceRequirementVerdict, Reason, RuleVerdict, ScopeItemVerdict, SignOffVerdict, StatementVerdict, Status, Tally, UnitState, Verdict } from './verdict.ts';
import { EvidenceTally } from './evidence-tally.ts';
import { ASSESSMENT_METHODS, type SignOffRole } from './vocabularies.ts';

export type EvaluateOptions = { asOf: string; policy?: Partial<Policy> };

/** What the unit's rules demand, resolved once per unit object: rules are data, facts are code. */
type CompiledUnit = {
  unitId: string;
  statementCount: number;
  scopeCount: number;
  requirementCount: number;
  /**
   * What the mapping loop and the verdict lists read per target (statements, then scope items,
   * then evidence requirements), side by side in one block: INFO_FIELDS numbers per target, and
   * TEXT_FIELDS strings per target for its verdict entry. A unit's data is seldom still in the
   * CPU cache when its next portfolio arrives, and an array or object per fact made every
   * evaluation wait on a few hundred scattered cache lines.
   */
  targetInfo: Int32Array;
  targetText: (string | null)[];
  statementByName: ReadonlyMap<string, number | 'ambiguous'>;
  scopeItemByKey: ReadonlyMap<string, number>;
  requirementByKey: ReadonlyMap<string, number>;
  /** Bits as workSettingBit gives them; -1 when no rule limits the work setting. */
  allowedSettingMask: number;
  /** Per statement, then per scope item, the allowed methods for `method_not_allowed`, built once: frozen, as every verdict shares them. */
  allowedMethodLists: (readonly string[] | null)[];
  scopeMethodLists: (readonly string[] | null)[];
  /** Per requirement, the rules that decide it, and their numbers as printed and kinds (frozen, shared by verdicts). */
  requirementRules: number[][];
  requirementRuleIds: (readonly string[])[];
  requirementRuleKinds: (readonly string[])[];
  /** Each requirement's items as requirement numbers, in the order of its childKeys. */
  requirementChildren: number[][];
  ruleTargets: number[][];
  /** The printed keys of each rule's targets, for reasons. */
  ruleTargetKeys: string[][];
  /** The sign-off chain with an assessor step, which some extracted forms lost. */
  chain: CompiledStep[];
  hasSampledIv: boolean;
  rules: CompiledRule[];
};

/** A sign-off step with what its verdict needs, worked out once per unit. */
type CompiledStep = {
  role: SignOffRole;
  ifSampled: boolean;
  isVerification: boolean;
  /** The step the unit's data lacked and the engine added. */
  isAssumed: boolean;
  /** Whose countersignature this step is, required only when the facts ask for it. */
  countersignatureOf: 'assessor' | 'internal-verifier' | null;
  sampler: 'internal-verifier' | 'external-verifier';
};

const VERIFICATION_ROLES: ReadonlySet<SignOffRole> = new Set(['internal-verifier', 'internal-verifier-countersignature', 'external-verifier']);

function compileStep(step: { role: SignOffRole; ifSampled?: boolean }, isAssumed: boolean): CompiledStep {
  return {
    role: step.role,
    ifSampled: step.ifSampled ?? false,
    isVerification: VERIFICATION_ROLES.has(step.role),
    isAssumed,
    countersignatureOf: step.role === 'assessor-countersignature' ? 'assessor' : step.role === 'internal-verifier-countersignature' ? 'internal-verifier' : null,
    sampler: step.role === 'external-verifier' ? 'external-verifier' : 'internal-verifier',
  };
}

/**
 * A rule with the fields evaluation reads, in one object shape whatever its kind: the data
 * file's rule objects come in a shape per kind, and reading them made every access megamorphic.
 */
type CompiledRule = { kind: AssessmentRuleKind; min: number; allowed: readonly string[]; distinctOccasions: boolean; distinctCustomers: boolean; overPeriod: boolean };

// The kind strings of this module: a data file's copies compare by content in every `switch`.
const RULE_KINDS: Readonly<Record<AssessmentRuleKind, AssessmentRuleKind>> = {
  'observation-required': 'observation-required',
  'methods-allowed': 'methods-allowed',
  'scope-observation': 'scope-observation',
  'scope-coverage': 'scope-coverage',
  'work-setting': 'work-setting',
  'sufficiency-over-time': 'sufficiency-over-time',
  'knowledge-inference': 'knowledge-inference',
  'evidence-required': 'evidence-required',
};

function compileRule(rule: AssessmentRule): CompiledRule {
  return {
    kind: RULE_KINDS[rule.kind] ?? rule.kind,
    min: rule.kind === 'scope-observation' ? rule.min : 0,
    allowed: rule.kind === 'work-setting' ? rule.allowed : [],
    distinctOccasions: rule.kind === 'sufficiency-over-time' && Boolean(rule.distinctOccasions),
    distinctCustomers: rule.kind === 'sufficiency-over-time' && Boolean(rule.distinctCustomers),
    overPeriod: rule.kind === 'sufficiency-over-time' && Boolean(rule.overPeriod),
  };
}

const compiled = new WeakMap<Unit, CompiledUnit>();

function resolveStatements(unit: Unit, index: UnitIndex, names: readonly string[], ruleIndex: number): number[] {
  return names.map((name) => {
    const found = index.findStatement(name);
    if (typeof found !== 'number') throw new Error(`unit ${unit.id}: assessmentRules[${ruleIndex}] names ${found === 'ambiguous' ? 'an ambiguous' : 'no such'} statement ${name}; run the standards check`);
    return found;
  });
}

function resolveKeys(unit: Unit, find: (key: string) => number | undefined, keys: readonly string[], ruleIndex: number, what: string): number[] {
  return keys.map((key) => {
    const found = find(key);
    if (found === undefined) throw new Error(`unit ${unit.id}: assessmentRules[${ruleIndex}] names no such ${what} ${key}; run the standards check`);
    return found;
  });
}

function intersect(current: Set<string> | null, next: readonly string[]): Set<string> {
  return current === null ? new Set(next) : new Set([...current].filter((m) => next.includes(m)));
}

function toFrozenList(methods: Set<string> | null): readonly string[] | null {
  return methods === null ? null : Object.freeze([...methods]);
}

const METHOD_INDEX = new Map<string, number>(ASSESSMENT_METHODS.map((m, i) => [m.code, i]));
const ALL_METHODS = -1;

// A method's properties as bits, by its index in ASSESSMENT_METHODS: one small block rather than
// a read of the vocabulary's objects per item.
const IS_OBSERVATION = 1;
const IS_PERFORMANCE_EVIDENCE = 2;
const IS_INFERENCE_ONLY = 4;
const METHOD_FLAGS = Int32Array.from(ASSESSMENT_METHODS, (m) => (m.isObservation ? IS_OBSERVATION : 0) | (m.isPerformanceEvidence ? IS_PERFORMANCE_EVIDENCE : 0) | (m.isInferenceOnly ? IS_INFERENCE_ONLY : 0));

function methodIndexOf(code: string): number {
  const found = METHOD_INDEX.get(code);
  if (found === undefined) throw new Error(`unknown assessment method ${code}`);
  return found;
}

/** A setting no rule names (only possible in unchecked facts) has no bit, so no rule allows it. */
function workSettingBit(setting: string): number {
  return setting === 'real-job' ? 1 : setting === 'rwe' ? 2 : setting === 'simulation' ? 4 : 0;
}

// targetInfo: flags, then the mask of methods the target accepts, then (statements) the mask of
// methods a knowledge-inference rule allows.
const INFO_FIELDS = 3;
const INFO_MASK = 1;
const INFO_INFERENCE_MASK = 2;
const OBSERVATION_REQUIRED = 1;
const IS_KNOWLEDGE = 2;
const HAS_INFERENCE_RULE = 4;
const IS_REQUIRED = 8;
// targetText: statements key, ref, kind, groupRef; scope items key, groupRef, ref; requirements key, ref, parentRef.
const TEXT_FIELDS = 4;

/** A code no method has (only possible in unchecked data) sets no bit, so it never matches, as with the set. */
function toMask(methods: Set<string> | null, whenNone: number): number {
  if (methods === null) return whenNone;
  let mask = 0;
  for (const code of methods) {
    const i = METHOD_INDEX.get(code);
    if (i !== undefined) mask |= 1 << i;
  }
  return mask;
}

function compileUnit(unit: Unit): CompiledUnit {
  const cached = compiled.get(unit);
  if (cached) return cached;
  const index = buildUnitIndex(unit);
  const nS = index.statements.length;
  const nC = index.scopeItems.length;
  const nR = index.requirements.length;
  const isObservationRequired = new Array<boolean>(nS).fill(false);
  const allowedMethods = new Array<Set<string> | null>(nS).fill(null);
  const inferenceMethods = new Array<Set<string> | null>(nS).fill(null);
  const scopeMethods = new Array<Set<string> | null>(nC).fill(null);
  const isScopeRequired = new Array<boolean>(nC).fill(false);
  const isRequirementRequired = new Array<boolean>(nR).fill(false);
  const requirementRules = Array.from({ length: nR }, (): number[] => []);
  let allowedSettings: Set<string> | null = null;
  const ruleTargets: number[][] = [];
  const ruleTargetKeys: string[][] = [];
  unit.assessmentRules.forEach((rule, r) => {
    let targets: number[] = [];
    switch (rule.kind) {
      case 'observation-required':
        targets = resolveStatements(unit, index, rule.statements, r);
        for (const s of targets) isObservationRequired[s] = true;
        break;
      case 'methods-allowed':
        targets = resolveStatements(unit, index, rule.statements, r);
        for (const s of targets) allowedMethods[s] = intersect(allowedMethods[s] ?? null, rule.methods);
        break;
      case 'knowledge-inference':
        targets = resolveStatements(unit, index, rule.statements, r);
        for (const s of targets) inferenceMethods[s] = new Set([...(inferenceMethods[s] ?? []), ...rule.fromMethods]);
        break;
      case 'scope-observation':
        targets = resolveKeys(unit, index.findScopeItem, rule.items, r, 'scope item');
        break;
      case 'scope-coverage':
        targets = rule.items === 'all' ? index.scopeItems.map((_, i) => i) : resolveKeys(unit, index.findScopeItem, rule.items, r, 'scope item');
        for (const i of targets) {
          isScopeRequired[i] = true;
          if (rule.methods) scopeMethods[i] = intersect(scopeMethods[i] ?? null, rule.methods);
        }
        break;
      case 'work-setting':
        allowedSettings = intersect(allowedSettings, rule.allowed);
        break;
      case 'evidence-required':
        targets = resolveKeys(unit, index.findRequirement, rule.requirements, r, 'evidence requirement');
        for (const i of targets) {
          isRequirementRequired[i] = true;
          const parentRef = index.requirements[i]?.parentRef;
          const parent = parentRef === null || parentRef === undefined ? undefined : index.findRequirement(parentRef);
          if (parent !== undefined) isRequirementRequired[parent] = true;
        }
        break;
      case 'sufficiency-over-time':
        break;
    }
    if (rule.evidenceRequirement !== undefined) {
      const [decided] = resolveKeys(unit, index.findRequirement, [rule.evidenceRequirement], r, 'evidence requirement');
      if (decided !== undefined) {
        requirementRules[decided]?.push(r);
        isRequirementRequired[decided] = true;
      }
    }
    ruleTargets.push(targets);
    const keys = rule.kind === 'scope-observation' || rule.kind === 'scope-coverage' ? targets.map((i) => index.scopeItems[i]?.key ?? '') : rule.kind === 'evidence-required' ? targets.map((i) => index.requirements[i]?.key ?? '') : targets.map((i) => index.statements[i]?.key ?? '');
    ruleTargetKeys.push(keys);
  });

  const info = new Int32Array((nS + nC + nR) * INFO_FIELDS);
  const text = new Array<string | null>((nS + nC + nR) * TEXT_FIELDS).fill(null);
  index.statements.forEach((s, i) => {
    const o = i * INFO_FIELDS;
    info[o] = (isObservationRequired[i] ? OBSERVATION_REQUIRED : 0) | (s.isKnowledge ? IS_KNOWLEDGE : 0) | (inferenceMethods[i] ? HAS_INFERENCE_RULE : 0);
    info[o + INFO_MASK] = toMask(allowedMethods[i] ?? null, ALL_METHODS);
    info[o + INFO_INFERENCE_MASK] = toMask(inferenceMethods[i] ?? null, 0);
    text.splice(i * TEXT_FIELDS, TEXT_FIELDS, s.key, s.ref, s.kind, s.groupRef);
  });
  index.scopeItems.forEach((item, i) => {
    const o = (nS + i) * INFO_FIELDS;
    info[o] = isScopeRequired[i] ? IS_REQUIRED : 0;
    info[o + INFO_MASK] = toMask(scopeMethods[i] ?? null, ALL_METHODS);
    text.splice((nS + i) * TEXT_FIELDS, TEXT_FIELDS, item.key, item.groupRef, item.ref, null);
  });
  index.requirements.forEach((requirement, i) => {
    const o = (nS + nC + i) * INFO_FIELDS;
    info[o] = isRequirementRequired[i] ? IS_REQUIRED : 0;
    info[o + INFO_MASK] = ALL_METHODS;
    text.splice((nS + nC + i) * TEXT_FIELDS, TEXT_FIELDS, requirement.key, requirement.ref, requirement.parentRef, null);
  });

  const rules = unit.assessmentRules.map(compileRule);
  const hasAssessorStep = unit.signOff.some((step) => step.role === 'assessor');
  const result: CompiledUnit = {
    unitId: unit.id,
    statementCount: nS,
    scopeCount: nC,
    requirementCount: nR,
    targetInfo: info,
    targetText: text,
    statementByName: index.statementByName,
    scopeItemByKey: index.scopeItemByKey,
    requirementByKey: index.requirementByKey,
    allowedSettingMask: allowedSettings === null ? ALL_METHODS : [...(allowedSettings as Set<string>)].reduce((mask, setting) => mask | workSettingBit(setting), 0),
    allowedMethodLists: allowedMethods.map(toFrozenList),
    scopeMethodLists: scopeMethods.map(toFrozenList),
    requirementRules,
    requirementRuleIds: requirementRules.map((numbers) => Object.freeze(numbers.map(String))),
    requirementRuleKinds: requirementRules.map((numbers) => Object.freeze(numbers.map((r) => rules[r]?.kind ?? ''))),
    requirementChildren: index.requirements.map((entry) => entry.childKeys.map((k) => index.findRequirement(k) ?? 0)),
    ruleTargets,
    ruleTargetKeys,
    // Some forms lost their sign-off block in extraction; the assessor's signature is still what
    // makes a unit signed off, so the chain always has an assessor step.
    chain: hasAssessorStep ? unit.signOff.map((step) => compileStep(step, false)) : [compileStep({ role: 'assessor' }, true), ...unit.signOff.map((step) => compileStep(step, false))],
    hasSampledIv: unit.signOff.some((step) => step.role === 'internal-verifier' && step.ifSampled === true),
    rules,
  };
  compiled.set(unit, result);
  return result;
}

/** Combines statuses: all met is met, any met or partly met is partly met, else pending or not met. */
class StatusCounter {
  met = 0;
  partly = 0;
  pending = 0;
  total = 0;

  add(status: Status): void {
    this.total++;
    if (status === 'met') this.met++;
    else if (status === 'partly-met') this.partly++;
    else if (status === 'not-yet-assessed') this.pending++;
  }

  get status(): Status {
    if (this.met === this.total) return 'met';
    if (this.met > 0 || this.partly > 0) return 'partly-met';
    return this.pending > 0 ? 'not-yet-assessed' : 'not-met';
  }
}

function countInto(tally: Tally, status: Status): void {
  tally.total++;
  if (status === 'met') tally.met++;
}

function baseStatus(tally: EvidenceTally, target: number): Status {
  if (tally.usableCount(target) > 0) return 'met';
  return tally.pendingCount(target) > 0 ? 'not-yet-assessed' : 'not-met';
}

// Reasons without per-evaluation params, shared by every verdict: frozen, so no reader can change
// another verdict through them. Most targets of a fresh portfolio carry one.
const NO_EVIDENCE: Reason = Object.freeze({ code: 'no_evidence', params: Object.freeze({}) });
const NOT_REQUIRED: Reason = Object.freeze({ code: 'not_required', params: Object.freeze({}) });
const NO_PERFORMANCE_EVIDENCE: Reason = Object.freeze({ code: 'no_performance_evidence', params: Object.freeze({}) });
/** What baseHead is given for a target it will not describe as met: it reads the methods only then. */
const NO_METHODS: string[] = [];
const ASSESSOR_STEP_ASSUMED: Reason = Object.freeze({ code: 'assessor_step_assumed', params: Object.freeze({}) });

/** The reason every target starts with, from its base status; null when its own reasons say it. */
function baseHead(tally: EvidenceTally, target: number, status: Status, evidenceIds: string[], methods: string[]): Reason | null {
  if (status === 'met') return { code: 'evidence_accepted', params: { count: evidenceIds.length, evidenceIds, methods } };
  if (status === 'not-yet-assessed') return { code: 'awaiting_assessment', params: { count: tally.pendingCount(target) } };
  return tally.reasonCount(target) > 0 ? null : NO_EVIDENCE;
}

/** What the pass over the evidence leaves for the verdict lists and the rules. */
type EvidencePass = {
  /** Each item's id, by its place in id order, which is how the tally numbers items. */
  ids: string[];
  tally: EvidenceTally;
  unitReasons: Reason[];
  settingRefusals: Reason[];
  /** Only the first `performanceCount` entries are set. */
  performanceItems: EvidenceItem[];
  performanceCount: number;
  firstPerformanceDay: number;
  lastPerformanceDay: number;
  hasPendingPerformance: boolean;
  hasActivity: boolean;
};

/**
 * The one pass over the evidence, and the only code besides sign-off and the tally's lists that
 * reads the facts' objects. Facts arrive in more than one shape (validated or not, from a database
 * row or a request), and V8 throws away the optimised code that reads an object of a shape it has
 * not seen; kept apart, a new shape costs this function its optimised code, not evaluateUnit.
 */
function tallyEvidence(c: CompiledUnit, facts: PortfolioFactsInput, policy: Policy, asOfDay: number): EvidencePass {
  if (facts.unitId !== c.unitId) throw new Error(`facts are for unit ${facts.unitId}, not ${c.unitId}`);
  const info = c.targetInfo;
  const scopeBase = c.statementCount;
  const requirementBase0 = scopeBase + c.scopeCount;
  const unitReasons: Reason[] = [];
  const settingRefusals: Reason[] = [];
  // At most one entry per item, so the list is allocated once; only the span of dates is needed.
  const performanceItems = new Array<EvidenceItem>(facts.evidence.length);
  let performanceCount = 0;
  // Whole numbers from the start, and 0 while there is no performance evidence: a portfolio without
  // any once stored Infinity in the rule context, and V8 threw away the optimised code of every
  // function that reads it (the context's map changes when a small-integer field gets a double).
  let firstPerformanceDay = 0;
  let lastPerformanceDay = 0;
  let hasPendingPerformance = false;
  let hasActivity = false;

  // Evaluating in id order makes the verdict independent of the order the evidence arrives in.
  const evidence = sortById(facts.evidence);
  let mappingCount = 0;
  for (let i = 0; i < evidence.length; i++) mappingCount += (evidence[i] as EvidenceItem).mappings.length;
  const tally = new EvidenceTally(requirementBase0 + c.requirementCount, mappingCount, evidence.length);
  const ids = new Array<string>(evidence.length);
  const statementByName = c.statementByName;
  const scopeItemByKey = c.scopeItemByKey;
  const requirementByKey = c.requirementByKey;
  let group = 0;
  for (let itemIndex = 0; itemIndex < evidence.length; itemIndex++) {
    const item = evidence[itemIndex] as EvidenceItem;
    ids[itemIndex] = item.id;
    // Equal ids are adjacent once sorted; they count as one piece of evidence per target.
    if (itemIndex > 0 && (evidence[itemIndex - 1] as EvidenceItem).id !== item.id) group = itemIndex;
    const methodIndex = methodIndexOf(item.method);
    const methodFlags = METHOD_FLAGS[methodIndex] as number;
    const isObservation = (methodFlags & IS_OBSERVATION) !== 0;
    const isPerformanceEvidence = (methodFlags & IS_PERFORMANCE_EVIDENCE) !== 0;
    tally.setItem(itemIndex, methodIndex, isObservation);
    const methodBit = 1 << methodIndex;
    const day = toDayNumber(item.date);
    let problem: Reason | null = null;
    if (day > asOfDay) problem = { code: 'evidence_dated_after_as_of', params: { evidenceId: item.id, date: item.date } };
    else if (asOfDay - day > policy.evidenceCurrencyDays) problem = { code: 'evidence_not_current', params: { evidenceId: item.id, ageDays: asOfDay - day, maxAgeDays: policy.evidenceCurrencyDays } };
    else if (isPerformanceEvidence && (c.allowedSettingMask & workSettingBit(item.workSetting)) === 0) {
      problem = { code: item.workSetting === 'simulation' ? 'simulation_not_allowed' : 'rwe_not_allowed', params: { evidenceId: item.id, workSetting: item.workSetting } };
    }
    let contributes = false;
    let problemNoted = false;
    const mappings = item.mappings;
    for (let m = 0; m < mappings.length; m++) {
      const mapping = mappings[m] as EvidenceMapping;
      let target = -1;
      if (mapping.target === 'statement') {
        const found = statementByName.get(mapping.ref);
        if (typeof found === 'number') target = found;
      } else if (mapping.target === 'scope-item') {
        const found = scopeItemByKey.get(mapping.ref);
        if (found !== undefined) target = scopeBase + found;
      } else {
        const found = requirementByKey.get(mapping.ref);
        if (found !== undefined) target = requirementBase0 + found;
      }
      if (target < 0) {
        unitReasons.push({ code: 'unknown_target', params: { evidenceId: item.id, target: mapping.target, ref: mapping.ref } });
        continue;
      }
      hasActivity = true;
      if (mapping.decision === 'referred') {
        tally.addReason(target, { code: 'evidence_referred', params: { evidenceId: item.id } });
        continue;
      }
      if (problem) {
        tally.addReason(target, problem);
        if (!problemNoted && mapping.decision === 'accepted') {
          problemNoted = true;
          if (problem.code === 'simulation_not_allowed' || problem.code === 'rwe_not_allowed') settingRefusals.push(problem);
        }
        continue;
      }
      if (mapping.decision === 'pending') {
        tally.addPending(target, isObservation);
        if (isPerformanceEvidence) hasPendingPerformance = true;
        continue;
      }
      const o = target * INFO_FIELDS;
      if (((info[o + INFO_MASK] as number) & methodBit) === 0) {
        const allowed = target < scopeBase ? c.allowedMethodLists[target] : c.scopeMethodLists[target - scopeBase];
        tally.addReason(target, { code: 'method_not_allowed', params: { evidenceId: item.id, method: item.method, allowed: allowed as readonly string[] } });
        continue;
      }
      const flags = info[o] as number;
      if ((flags & IS_KNOWLEDGE) !== 0 && (methodFlags & IS_INFERENCE_ONLY) !== 0) {
        const hasInferenceRule = (flags & HAS_INFERENCE_RULE) !== 0;
        if (!policy.allowKnowledgeInference || !hasInferenceRule || ((info[o + INFO_INFERENCE_MASK] as number) & methodBit) === 0) {
          tally.addReason(target, { code: 'knowledge_inference_not_allowed', params: { evidenceId: item.id, method: item.method, byPolicy: hasInferenceRule && !policy.allowKnowledgeInference } });
          continue;
        }
        tally.addReason(target, { code: 'knowledge_inferred', params: { evidenceId: item.id, method: item.method } });
      }
      tally.addUsable(target, itemIndex, group);
      contributes = true;
    }
    if (problem && problemNoted && problem.code !== 'simulation_not_allowed' && problem.code !== 'rwe_not_allowed') unitReasons.push(problem);
    if (contributes && isPerformanceEvidence) {
      performanceItems[performanceCount++] = item;
      if (performanceCount === 1 || day < firstPerformanceDay) firstPerformanceDay = day;
      if (performanceCount === 1 || day > lastPerformanceDay) lastPerformanceDay = day;
    }
  }

  return { ids, tally, unitReasons, settingRefusals, performanceItems, performanceCount, firstPerformanceDay, lastPerformanceDay, hasPendingPerformance, hasActivity };
}

/**
 * Decides, for one candidate's portfolio and one unit, which statement, scope item, evidence
 * requirement and rule is met and why. Pure: the same unit, facts and options always give the
 * same verdict, whatever the order of the evidence.
 */
export function evaluateUnit(unit: Unit, facts: PortfolioFactsInput, options: EvaluateOptions): Verdict {
  // Only the compiled form is read below: data files give units differently shaped objects, and
  // reading them in the hot path made V8 deoptimise this function on every evaluation.
  const c = compileUnit(unit);
  const policy: Policy = options.policy ? { ...DEFAULT_POLICY, ...options.policy } : DEFAULT_POLICY;
  const asOfDay = toDayNumber(options.asOf);
  const info = c.targetInfo;
  const text = c.targetText;
  // Targets are numbered statements first, then scope items, then evidence requirements.
  const nS = c.statementCount;
  const nC = c.scopeCount;
  const nR = c.requirementCount;
  const scopeBase = nS;
  const requirementBase0 = nS + nC;
  const pass = tallyEvidence(c, facts, policy, asOfDay);
  const { ids, tally, unitReasons, settingRefusals, performanceItems, performanceCount, firstPerformanceDay, lastPerformanceDay, hasPendingPerformance, hasActivity } = pass;

  // Plain loops and module-level helpers throughout: tsx wraps every closure created per call in a
  // naming helper, and summing over lists whose array maps differ between units made V8
  // deoptimise; both cost more than the evaluation itself.
  const summary = { statements: { met: 0, total: 0 }, scopeItems: { met: 0, total: 0 }, evidenceRequirements: { met: 0, total: 0 }, rules: { met: 0, total: 0 } };
  // Every list whose length is known is allocated at that length: a list grown by push reserves
  // room for sixteen more entries, and the verdict keeps them.
  const statements = new Array<StatementVerdict>(nS);
  const statementMethods = new Array<string[]>(nS);
  for (let i = 0; i < nS; i++) {
    const base = baseStatus(tally, i);
    const evidenceIds = tally.usableIds(i, ids);
    const methods = tally.methods(i);
    statementMethods[i] = methods;
    const head = baseHead(tally, i, base, evidenceIds, methods);
    const key = text[i * TEXT_FIELDS] as string;
    let status = base;
    let reasons: Reason[];
    if (((info[i * INFO_FIELDS] as number) & OBSERVATION_REQUIRED) !== 0 && base === 'met') {
      if (tally.observedCount(i) === 0) {
        status = 'partly-met';
        const awaiting: Reason | null = tally.hasPendingObservation(i) ? { code: 'awaiting_assessment', params: { count: tally.pendingCount(i) } } : null;
        reasons = tally.reasons(i, { code: 'observation_required', params: { ref: key, methods } }, head, awaiting);
      } else reasons = tally.reasons(i, null, head, { code: 'observed', params: { evidenceIds: tally.observedIds(i, ids) } });
    } else reasons = tally.reasons(i, null, head, null);
    countInto(summary.statements, status);
    const x = i * TEXT_FIELDS;
    statements[i] = { key, ref: text[x + 1] as string, kind: text[x + 2] as StatementVerdict['kind'], groupRef: text[x + 3] as string | null, status, evidenceIds, reasons };
  }

  const scopeItems = new Array<ScopeItemVerdict>(nC);
  for (let i = 0; i < nC; i++) {
    const t = scopeBase + i;
    const status = baseStatus(tally, t);
    const isRequired = ((info[t * INFO_FIELDS] as number) & IS_REQUIRED) !== 0;
    if (isRequired) countInto(summary.scopeItems, status);
    const evidenceIds = tally.usableIds(t, ids);
    const head = baseHead(tally, t, status, evidenceIds, status === 'met' ? tally.methods(t) : NO_METHODS);
    const x = t * TEXT_FIELDS;
    scopeItems[i] = { key: text[x] as string, groupRef: text[x + 1] as string | null, ref: text[x + 2] as string, isRequired, status, evidenceIds, reasons: tally.reasons(t, null, head, null) };
  }

  const requirementBase = new Array<Status>(nR);
  for (let i = 0; i < nR; i++) requirementBase[i] = baseStatus(tally, requirementBase0 + i);
  for (let i = 0; i < nR; i++) {
    const children = c.requirementChildren[i] as number[];
    if (children.length === 0) continue;
    const counter = new StatusCounter();
    for (let k = 0; k < children.length; k++) counter.add(requirementBase[children[k] as number] as Status);
    requirementBase[i] = counter.status;
  }

  // Decided here rather than in the rules' rarely taken branches: a property first read there, in a
  // portfolio without performance evidence, cost the optimised code of evaluateRule.
  const performanceStatus: Status = performanceCount > 0 ? 'met' : hasPendingPerformance ? 'not-yet-assessed' : 'not-met';
  const context: RuleContext = { statements, statementMethods, scopeItems, requirementBase, tally, scopeBase, performanceItems, performanceCount, firstPerformanceDay, lastPerformanceDay, settingRefusals, performanceStatus, policy };
  const rules = new Array<RuleVerdict>(c.rules.length);
  for (let r = 0; r < c.rules.length; r++) {
    const verdict = evaluateRule(c.rules[r] as CompiledRule, r, c, context);
    countInto(summary.rules, verdict.status);
    rules[r] = verdict;
  }

  const evidenceRequirements = new Array<EvidenceRequirementVerdict>(nR);
  for (let i = 0; i < nR; i++) {
    const t = requirementBase0 + i;
    const decidingRules = c.requirementRules[i] as number[];
    const children = c.requirementChildren[i] as number[];
    const isRequired = ((info[t * INFO_FIELDS] as number) & IS_REQUIRED) !== 0;
    let status = requirementBase[i] as Status;
    const notRequired: Reason | null = isRequired ? null : NOT_REQUIRED;
    const evidenceIds = tally.usableIds(t, ids);
    let reasons: Reason[];
    if (decidingRules.length > 0) {
      const counter = new StatusCounter();
      for (let k = 0; k < decidingRules.length; k++) counter.add((rules[decidingRules[k] as number] as RuleVerdict).status);
      status = counter.status;
      reasons = tally.reasons(t, null, { code: 'decided_by_rule', params: { rules: c.requirementRuleIds[i] as readonly string[], kinds: c.requirementRuleKinds[i] as readonly string[] } }, notRequired);
    } else if (children.length > 0) {
      let missingCount = 0;
      for (let k = 0; k < children.length; k++) if (requirementBase[children[k] as number] !== 'met') missingCount++;
      const missing = new Array<string>(missingCount);
      missingCount = 0;
      for (let k = 0; k < children.length; k++) {
        const child = children[k] as number;
        if (requirementBase[child] !== 'met') missing[missingCount++] = text[(requirementBase0 + child) * TEXT_FIELDS] as string;
      }
      const summaryReason: Reason = { code: status === 'met' ? 'requirements_met' : 'requirements_not_met', params: { missing } };
      reasons = notRequired === null ? [summaryReason] : [summaryReason, notRequired];
    } else {
      reasons = tally.reasons(t, null, baseHead(tally, t, status, evidenceIds, status === 'met' ? tally.methods(t) : NO_METHODS), notRequired);
    }
    if (isRequired) countInto(summary.evidenceRequirements, status);
    const x = t * TEXT_FIELDS;
    evidenceRequirements[i] = { key: text[x] as string, ref: text[x + 1] as string, parentRef: text[x + 2] as string | null, isRequired, status, evidenceIds, reasons };
  }

  tally.release();
  const isReady = summary.statements.met === summary.statements.total && summary.scopeItems.met === summary.scopeItems.total && summary.evidenceRequirements.met === summary.evidenceRequirements.total && summary.rules.met === summary.rules.total;

  const { signOff, isSignedOff, isVerified, hasSignature } = evaluateSignOff(c, facts, asOfDay, unitReasons);
  if (!isReady && hasSignature) {
    const early: string[] = [];
    for (const s of signOff) if (s.stage === 'sign-off' && s.status === 'signed') early.push(s.role);
    if (early.length !== 0) unitReasons.push({ code: 'signed_before_requirements_met', params: { roles: early } });
  }
  const state: UnitState = isReady ? (isVerified && isSignedOff ? 'verified' : isSignedOff ? 'signed-off' : 'ready-for-sign-off') : hasActivity || hasSignature ? 'in-progress' : 'not-started';

  return {
    unitId: c.unitId,
    asOf: options.asOf,
    state,
    isReadyForSignOff: isReady,
    statements,
    scopeItems,
    evidenceRequirements,
    rules,
    signOff,
    summary,
    reasons: unitReasons,
  };
}

type RuleContext = {
  statements: StatementVerdict[];
  scopeItems: ScopeItemVerdict[];
  requirementBase: Status[];
  statementMethods: string[][];
  tally: EvidenceTally;
  scopeBase: number;
  /** Only the first `performanceCount` entries are set. */
  performanceItems: EvidenceItem[];
  performanceCount: number;
  firstPerformanceDay: number;
  lastPerformanceDay: number;
  settingRefusals: Reason[];
  /** Met when any performance evidence counts, else whether some awaits assessment. */
  performanceStatus: Status;
  policy: Policy;
};

function countStatus(count: number, required: number): Status {
  return count >= required ? 'met' : count > 0 ? 'partly-met' : 'not-met';
}

function evaluateRule(rule: CompiledRule, r: number, c: CompiledUnit, x: RuleContext): RuleVerdict {
  const targets = c.ruleTargets[r] as number[];
  const keys = c.ruleTargetKeys[r] as readonly string[];
  const counter = new StatusCounter();
  switch (rule.kind) {
    case 'observation-required': {
      let unobserved = 0;
      for (let t = 0; t < targets.length; t++) {
        const s = targets[t] as number;
        if (x.tally.observedCount(s) > 0) counter.add('met');
        else {
          counter.add(x.tally.hasPendingObservation(s) ? 'not-yet-assessed' : 'not-met');
          unobserved++;
        }
      }
      if (unobserved === 0) return { index: r, kind: rule.kind, status: counter.status, reasons: [{ code: 'statements_met', params: { refs: keys } }] };
      const reasons = new Array<Reason>(unobserved);
      let k = 0;
      for (let t = 0; t < targets.length; t++) {
        const s = targets[t] as number;
        if (x.tally.observedCount(s) === 0) reasons[k++] = { code: 'observation_required', params: { ref: keys[t] as string, methods: x.statementMethods[s] as string[] } };
      }
      return { index: r, kind: rule.kind, status: counter.status, reasons };
    }
    case 'methods-allowed':
    case 'knowledge-inference': {
      let missingCount = 0;
      for (let t = 0; t < targets.length; t++) {
        const status = (x.statements[targets[t] as number] as StatementVerdict).status;
        counter.add(status);
        if (status !== 'met') missingCount++;
      }
      if (missingCount === 0) return { index: r, kind: rule.kind, status: counter.status, reasons: [{ code: 'statements_met', params: { refs: keys } }] };
      const missing = new Array<string>(missingCount);
      let k = 0;
      for (let t = 0; t < targets.length; t++) if ((x.statements[targets[t] as number] as StatementVerdict).status !== 'met') missing[k++] = keys[t] as string;
      return { index: r, kind: rule.kind, status: counter.status, reasons: [{ code: 'statements_not_met', params: { refs: missing } }] };
    }
    case 'scope-observation': {
      let observedCount = 0;
      let isPending = false;
      for (let t = 0; t < targets.length; t++) {
        const target = x.scopeBase + (targets[t] as number);
        if (x.tally.observedCount(target) > 0) observedCount++;
        else if (x.tally.hasPendingObservation(target)) isPending = true;
      }
      const observed = new Array<string>(observedCount);
      let k = 0;
      for (let t = 0; t < targets.length; t++) if (x.tally.observedCount(x.scopeBase + (targets[t] as number)) > 0) observed[k++] = keys[t] as string;
      let status = countStatus(observedCount, rule.min);
      if (status === 'not-met' && isPending) status = 'not-yet-assessed';
      return { index: r, kind: rule.kind, status, reasons: [{ code: 'scope_observed_count', params: { observed: observedCount, required: rule.min, items: observed } }] };
    }
    case 'scope-coverage': {
      let missingCount = 0;
      for (let t = 0; t < targets.length; t++) {
        const status = (x.scopeItems[targets[t] as number] as ScopeItemVerdict).status;
        counter.add(status);
        if (status !== 'met') missingCount++;
      }
      const covered = targets.length - missingCount;
      if (missingCount === 0) return { index: r, kind: rule.kind, status: counter.status, reasons: [{ code: 'scope_covered', params: { covered, total: targets.length } }] };
      const missing = new Array<string>(missingCount);
      let k = 0;
      for (let t = 0; t < targets.length; t++) if ((x.scopeItems[targets[t] as number] as ScopeItemVerdict).status !== 'met') missing[k++] = keys[t] as string;
      return { index: r, kind: rule.kind, status: counter.status, reasons: [{ code: 'scope_not_covered', params: { missing, covered, total: targets.length } }] };
    }
    case 'work-setting': {
      const count = x.performanceCount;
      const status = x.performanceStatus;
      const reasons = new Array<Reason>(1 + x.settingRefusals.length);
      // Read once for both branches: a read only in the rare one cost the optimised code when first taken.
      const allowed = rule.allowed;
      reasons[0] = count > 0 ? { code: 'work_setting_met', params: { count, allowed } } : { code: 'no_performance_evidence', params: { allowed } };
      for (let k = 0; k < x.settingRefusals.length; k++) reasons[k + 1] = x.settingRefusals[k] as Reason;
      return { index: r, kind: rule.kind, status, reasons };
    }
    case 'sufficiency-over-time': {
      const items = x.performanceItems;
      const count = x.performanceCount;
      if (count === 0) return { index: r, kind: rule.kind, status: x.performanceStatus, reasons: [NO_PERFORMANCE_EVIDENCE] };
      const reasons = new Array<Reason>((rule.distinctOccasions ? 1 : 0) + (rule.distinctCustomers ? 1 : 0) + (rule.overPeriod ? 1 : 0));
      let k = 0;
      if (rule.distinctOccasions) {
        const distinct = countDistinctOccasions(items, count);
        counter.add(countStatus(distinct, x.policy.minDistinctOccasions));
        reasons[k++] = { code: 'distinct_occasions', params: { count: distinct, required: x.policy.minDistinctOccasions } };
      }
      if (rule.distinctCustomers) {
        const distinct = countDistinctCustomers(items, count);
        counter.add(countStatus(distinct, x.policy.minDistinctCustomers));
        reasons[k++] = { code: 'distinct_customers', params: { count: distinct, required: x.policy.minDistinctCustomers } };
      }
      if (rule.overPeriod) {
        const days = x.lastPerformanceDay - x.firstPerformanceDay;
        counter.add(days >= x.policy.minPeriodDays ? 'met' : 'partly-met');
        reasons[k] = { code: 'evidence_period', params: { days, required: x.policy.minPeriodDays } };
      }
      return { index: r, kind: rule.kind, status: counter.status, reasons };
    }
    case 'evidence-required': {
      let missingCount = 0;
      for (let t = 0; t < targets.length; t++) {
        const status = x.requirementBase[targets[t] as number] as Status;
        counter.add(status);
        if (status !== 'met') missingCount++;
      }
      if (missingCount === 0) return { index: r, kind: rule.kind, status: counter.status, reasons: [{ code: 'requirements_met', params: { count: targets.length } }] };
      const missing = new Array<string>(missingCount);
      let k = 0;
      for (let t = 0; t < targets.length; t++) if (x.requirementBase[targets[t] as number] !== 'met') missing[k++] = keys[t] as string;
      return { index: r, kind: rule.kind, status: counter.status, reasons: [{ code: 'requirements_not_met', params: { missing } }] };
    }
  }
}

// Up to this many performance items, distinct values are counted by comparing each with those
// before it: no set is built, and a portfolio seldom has more. Past it, sets keep the count linear.
const FEW_ITEMS = 32;

/** An item without an occasion id stands for the occasion of its date. */
function countDistinctOccasions(items: readonly EvidenceItem[], count: number): number {
  if (count > FEW_ITEMS) {
    // Two sets rather than one of prefixed strings: no string is built per item.
    const occasions = new Set<string>();
    const dates = new Set<string>();
    for (let i = 0; i < count; i++) {
      const item = items[i] as EvidenceItem;
      if (item.occasionId) occasions.add(item.occasionId);
      else dates.add(item.date);
    }
    return occasions.size + dates.size;
  }
  let distinct = 0;
  for (let i = 0; i < count; i++) {
    const item = items[i] as EvidenceItem;
    const occasionId = item.occasionId;
    let isRepeat = false;
    for (let j = 0; j < i && !isRepeat; j++) {
      const earlier = items[j] as EvidenceItem;
      isRepeat = occasionId ? earlier.occasionId === occasionId : !earlier.occasionId && earlier.date === item.date;
    }
    if (!isRepeat) distinct++;
  }
  return distinct;
}

function countDistinctCustomers(items: readonly EvidenceItem[], count: number): number {
  if (count > FEW_ITEMS) {
    const customers = new Set<string>();
    for (let i = 0; i < count; i++) {
      const customerId = (items[i] as EvidenceItem).customerId;
      if (customerId) customers.add(customerId);
    }
    return customers.size;
  }
  let distinct = 0;
  for (let i = 0; i < count; i++) {
    const customerId = (items[i] as EvidenceItem).customerId;
    if (!customerId) continue;
    let isRepeat = false;
    for (let j = 0; j < i && !isRepeat; j++) isRepeat = (items[j] as EvidenceItem).customerId === customerId;
    if (!isRepeat) distinct++;
  }
  return distinct;
}

function bySignedDate(a: Signature, b: Signature): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.signerId < b.signerId ? -1 : a.signerId > b.signerId ? 1 : 0;
}

function includes(list: readonly string[], value: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true;
  return false;
}

// Plain loops over the few signatures rather than a sort and a Map: a unit's sign-off is decided
// once per evaluation, and the library code those would call is seldom in the CPU cache by then.
function evaluateSignOff(c: CompiledUnit, facts: PortfolioFactsInput, asOfDay: number, unitReasons: Reason[]) {
  const sampledBy = facts.sampledBy ?? [];
  const countersign = facts.countersignaturesRequired ?? [];
  const signatures = facts.signatures ?? [];
  let hasSignature = false;
  let futureCount = 0;
  for (let i = 0; i < signatures.length; i++) {
    if (toDayNumber((signatures[i] as Signature).date) > asOfDay) futureCount++;
    else hasSignature = true;
  }
  if (futureCount > 0) {
    const future: Signature[] = [];
    for (let i = 0; i < signatures.length; i++) if (toDayNumber((signatures[i] as Signature).date) > asOfDay) future.push(signatures[i] as Signature);
    if (future.length > 1) future.sort(bySignedDate);
    for (const s of future) unitReasons.push({ code: 'signature_dated_after_as_of', params: { role: s.role, date: s.date } });
  }
  const isIvSampled = includes(sampledBy, 'internal-verifier');
  const signOff = new Array<SignOffVerdict>(c.chain.length);
  let signOffSigned = 0;
  let signOffAwaiting = 0;
  let verificationSigned = 0;
  let verificationAwaiting = 0;
  for (let k = 0; k < c.chain.length; k++) {
    const step = c.chain[k] as CompiledStep;
    // A role's signature counts from its earliest date on or before asOf.
    let signedOn: string | null = null;
    for (let i = 0; i < signatures.length; i++) {
      const s = signatures[i] as Signature;
      if (s.role === step.role && (signedOn === null || s.date < signedOn) && toDayNumber(s.date) <= asOfDay) signedOn = s.date;
    }
    const verdict = signOffStep(c, step, signedOn, sampledBy, countersign, isIvSampled);
    signOff[k] = verdict;
    if (step.isVerification) {
      if (verdict.status === 'signed') verificationSigned++;
      else if (verdict.status === 'awaiting') verificationAwaiting++;
    } else if (verdict.status === 'signed') signOffSigned++;
    else if (verdict.status === 'awaiting') signOffAwaiting++;
  }
  const isSignedOff = signOffSigned > 0 && signOffAwaiting === 0;
  const isVerified = verificationSigned > 0 && verificationAwaiting === 0;
  return { signOff, isSignedOff, isVerified, hasSignature };
}

function signOffStep(c: CompiledUnit, step: CompiledStep, signedOn: string | null, sampledBy: readonly string[], countersign: readonly string[], isIvSampled: boolean): SignOffVerdict {
  const stage = step.isVerification ? 'verification' : 'sign-off';
  if (signedOn !== null) {
    const present: Reason = { code: 'signature_present', params: { role: step.role, date: signedOn } };
    return { role: step.role, ifSampled: step.ifSampled, stage, status: 'signed', signedOn, reasons: step.isAssumed ? [present, ASSESSOR_STEP_ASSUMED] : [present] };
  }
  let notRequiredReason: Reason | null = null;
  if (step.countersignatureOf !== null && !includes(countersign, step.countersignatureOf)) notRequiredReason = { code: 'signature_not_required', params: { role: step.role } };
  if (step.ifSampled && !includes(sampledBy, step.sampler)) notRequiredReason = { code: 'signature_not_sampled', params: { role: step.role } };
  if (step.role === 'internal-verifier-countersignature' && !step.ifSampled && !isIvSampled && c.hasSampledIv) notRequiredReason = { code: 'signature_not_sampled', params: { role: step.role } };
  if (notRequiredReason === null) {
    const missing: Reason = { code: 'signature_missing', params: { role: step.role } };
    return { role: step.role, ifSampled: step.ifSampled, stage, status: 'awaiting', signedOn: null, reasons: step.isAssumed ? [missing, ASSESSOR_STEP_ASSUMED] : [missing] };
  }
  return { role: step.role, ifSampled: step.ifSampled, stage, status: 'not-required', signedOn: null, reasons: [notRequiredReason] };
}
