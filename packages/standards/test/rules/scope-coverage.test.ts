import { describe, expect, it } from 'vitest';
import { evidence } from '../factories.ts';
import { judgeRule, ruleFactsFor, smallUnit } from './rule-facts.ts';

describe('scope-coverage', () => {
  const all = smallUnit([{ kind: 'scope-coverage', items: 'all', methods: ['O', 'Q'] }]);

  it('is met when every scope item is covered', () => {
    expect(judgeRule(all, [evidence({ method: 'Q', scope: ['a.1', 'a.2', 'a.3', 'x'] })])).toEqual({ status: 'met', reasons: [{ code: 'scope_covered', params: { covered: 4, total: 4 } }] });
  });

  it('names the items still missing, and refuses a method it does not list on the item', () => {
    const items = [evidence({ method: 'O', scope: ['a.1', 'a.2'] }), evidence({ id: 'pe', method: 'PE', scope: ['x'] })];
    expect(judgeRule(all, items)).toEqual({ status: 'partly-met', reasons: [{ code: 'scope_not_covered', params: { missing: ['a.3', 'x'], covered: 2, total: 4 } }] });
    const { facts } = ruleFactsFor(all, items);
    expect(facts.scopeItems.find((s) => s.key === 'x')?.reasons).toContainEqual({ code: 'method_not_allowed', params: { evidenceId: 'pe', method: 'PE', allowed: ['O', 'Q'] } });
  });

  it('makes only the items it names required', () => {
    const some = smallUnit([{ kind: 'scope-coverage', items: ['a.1', 'x'] }]);
    const { facts } = ruleFactsFor(some, []);
    expect(facts.scopeItems.map((s) => [s.key, s.isRequired])).toEqual([['a.1', true], ['a.2', false], ['a.3', false], ['x', true]]);
  });
});
