import { describe, expect, it } from 'vitest';
import { settingRefusal } from '../../src/rules/work-setting.ts';
import { evidence } from '../factories.ts';
import { judgeRule, smallUnit } from './rule-facts.ts';

const unit = smallUnit([{ kind: 'work-setting', allowed: ['real-job'] }]);

describe('work-setting', () => {
  it('is met when performance evidence from an allowed setting counts', () => {
    expect(judgeRule(unit, [evidence({ method: 'O', statements: ['1.1'] })])).toEqual({ status: 'met', reasons: [{ code: 'work_setting_met', params: { count: 1, allowed: ['real-job'] } }] });
  });

  it('refuses performance evidence from another setting, once per item, and says so on the rule', () => {
    const outcome = judgeRule(unit, [evidence({ id: 'sim', method: 'O', workSetting: 'simulation', statements: ['1.1', '1.2'] })]);
    expect(outcome).toEqual({
      status: 'not-met',
      reasons: [
        { code: 'no_performance_evidence', params: { allowed: ['real-job'] } },
        { code: 'simulation_not_allowed', params: { evidenceId: 'sim', workSetting: 'simulation' } },
      ],
    });
  });

  it('allows what two rules both allow, and any known setting when no rule limits it', () => {
    const both = smallUnit([
      { kind: 'work-setting', allowed: ['real-job', 'rwe'] },
      { kind: 'work-setting', allowed: ['rwe'] },
    ]);
    expect(judgeRule(both, [evidence({ method: 'O', workSetting: 'rwe', statements: ['1.1'] })]).status).toBe('met');
    expect(judgeRule(both, [evidence({ method: 'O', workSetting: 'real-job', statements: ['1.1'] })]).status).toBe('not-met');
    expect(settingRefusal(evidence({ workSetting: 'simulation' }), null)).toBeNull();
  });
});
