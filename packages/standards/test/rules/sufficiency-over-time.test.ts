import { describe, expect, it } from 'vitest';
import { countCustomers, countOccasions } from '../../src/rules/sufficiency-over-time.ts';
import { evidence } from '../factories.ts';
import { judgeRule, smallUnit } from './rule-facts.ts';

const unit = smallUnit([{ kind: 'sufficiency-over-time', distinctCustomers: true, distinctOccasions: true, overPeriod: true }]);

describe('sufficiency-over-time', () => {
  it('is met with two customers on two occasions over more than a day, by default', () => {
    const items = [evidence({ method: 'O', date: '2026-02-01', customerId: 'c1', occasionId: 'o1', statements: ['1.1'] }), evidence({ method: 'O', date: '2026-02-09', customerId: 'c2', occasionId: 'o2', statements: ['1.2'] })];
    expect(judgeRule(unit, items)).toEqual({
      status: 'met',
      reasons: [
        { code: 'distinct_occasions', params: { count: 2, required: 2 } },
        { code: 'distinct_customers', params: { count: 2, required: 2 } },
        { code: 'evidence_period', params: { days: 8, required: 1 } },
      ],
    });
  });

  it('takes its figures from the centre’s policy', () => {
    const items = [evidence({ method: 'O', date: '2026-02-01', customerId: 'c1', statements: ['1.1'] }), evidence({ method: 'O', date: '2026-02-09', customerId: 'c2', statements: ['1.2'] })];
    expect(judgeRule(unit, items, { minDistinctCustomers: 3, minPeriodDays: 30 }).status).toBe('partly-met');
  });

  it('says there is no performance evidence when none counts', () => {
    expect(judgeRule(unit, [evidence({ method: 'Q', statements: ['k1'] })])).toEqual({ status: 'not-met', reasons: [{ code: 'no_performance_evidence', params: {} }] });
  });

  it('counts an item without an occasion as the occasion of its date, and customers only where named', () => {
    const items = [evidence({ occasionId: null, date: '2026-01-01', customerId: null }), evidence({ occasionId: null, date: '2026-01-01', customerId: 'c' }), evidence({ occasionId: 'o', date: '2026-01-01', customerId: 'c' })];
    expect(countOccasions(items)).toBe(2);
    expect(countCustomers(items)).toBe(1);
  });
});
