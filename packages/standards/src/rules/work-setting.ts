import type { EvidenceItem } from '../portfolio-facts-schema.ts';
import type { Reason } from '../verdict.ts';
import { WORK_SETTINGS } from '../vocabularies.ts';
import { NO_TARGETS, type RuleKind } from './rule-kind.ts';

/**
 * Performance evidence must come from the listed work settings (a real job; some units also allow a
 * realistic working environment; none allows simulation). Two such rules allow what both list.
 * Reads: the performance evidence that counted, and the accepted performance evidence refused for its setting.
 * Gives: met when some performance evidence counts; the refusals follow as reasons.
 */
export const workSetting: RuleKind<'work-setting'> = {
  targets: NO_TARGETS,
  demand(rule, _targets, demands) {
    demands.allowedSettings = demands.allowedSettings === null ? [...new Set(rule.allowed)] : demands.allowedSettings.filter((s) => (rule.allowed as readonly string[]).includes(s));
  },
  judge(rule, _targets, { findings }) {
    const { items, status, settingRefusals } = findings.performance;
    const head: Reason = items.length > 0 ? { code: 'work_setting_met', params: { count: items.length, allowed: rule.allowed } } : { code: 'no_performance_evidence', params: { allowed: rule.allowed } };
    return { status, reasons: [head].concat(settingRefusals) };
  },
};

/**
 * The refusal of performance evidence from a setting the unit does not allow; null when allowed.
 * A setting outside the vocabulary (only in unchecked facts) is never allowed.
 */
export function settingRefusal(item: EvidenceItem, allowedSettings: readonly string[] | null): Reason | null {
  const isAllowed = (WORK_SETTINGS as readonly string[]).includes(item.workSetting) && (allowedSettings === null || allowedSettings.includes(item.workSetting));
  if (isAllowed) return null;
  return { code: item.workSetting === 'simulation' ? 'simulation_not_allowed' : 'rwe_not_allowed', params: { evidenceId: item.id, workSetting: item.workSetting } };
}
