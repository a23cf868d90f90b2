import type { AssessmentRule, AssessmentRuleKind } from '../unit-schema.ts';
import { evidenceRequired } from './evidence-required.ts';
import { knowledgeInference } from './knowledge-inference.ts';
import { methodsAllowed } from './methods-allowed.ts';
import { observationRequired } from './observation-required.ts';
import type { RuleKind } from './rule-kind.ts';
import { scopeCoverage } from './scope-coverage.ts';
import { scopeObservation } from './scope-observation.ts';
import { sufficiencyOverTime } from './sufficiency-over-time.ts';
import { workSetting } from './work-setting.ts';

/** Every rule kind the unit schema allows, by its name in the data: a kind added to the schema and missing here fails the typecheck. */
export const RULE_KINDS: { readonly [K in AssessmentRuleKind]: RuleKind<K> } = {
  'observation-required': observationRequired,
  'methods-allowed': methodsAllowed,
  'scope-observation': scopeObservation,
  'scope-coverage': scopeCoverage,
  'work-setting': workSetting,
  'sufficiency-over-time': sufficiencyOverTime,
  'knowledge-inference': knowledgeInference,
  'evidence-required': evidenceRequired,
};

/** The module of a rule's kind, typed for any rule (TypeScript cannot pair the two by itself). */
export const ruleKindOf = (rule: AssessmentRule): RuleKind<AssessmentRuleKind> => RULE_KINDS[rule.kind] as RuleKind<AssessmentRuleKind>;
