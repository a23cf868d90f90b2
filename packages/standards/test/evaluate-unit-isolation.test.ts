import { describe, expect, it } from 'vitest';
import { evaluateUnit, type Unit, type Verdict } from '../src/index.ts';
import { AS_OF, completeEvidence, evidence, facts, getSeedUnit } from './factories.ts';

// The engine compiles each unit object once and reuses the result; these tests pin down that
// nothing of one evaluation leaks into another through that cache or through shared lists.

const pcUnit = getSeedUnit('cs-pc-resolve-problems');

const statement = (v: Verdict, key: string) => {
  const found = v.statements.find((s) => s.key === key);
  if (!found) throw new Error(`no statement ${key} in verdict`);
  return found;
};

/** A copy of a unit under the same id, differing only in its rules. */
const withRules = (unit: Unit, assessmentRules: Unit['assessmentRules']): Unit => ({ ...unit, assessmentRules });

describe('evaluateUnit isolation between evaluations', () => {
  it('judges two unit objects that share an id by their own rules, whichever is evaluated first', () => {
    const strict = withRules(pcUnit, [{ kind: 'observation-required', statements: ['pc:1'], basis: 'test' }]);
    const lenient = withRules(pcUnit, []);
    const items = [evidence({ method: 'WT', statements: ['pc:1'] })];
    const first = evaluateUnit(strict, facts(strict, items), { asOf: AS_OF });
    const second = evaluateUnit(lenient, facts(lenient, items), { asOf: AS_OF });
    const again = evaluateUnit(strict, facts(strict, items), { asOf: AS_OF });
    expect(statement(first, 'pc:1').status).toBe('partly-met');
    expect(statement(second, 'pc:1').status).toBe('met');
    expect(again).toEqual(first);
  });

  it('gives a portfolio the same verdict before and after other portfolios of the same unit', () => {
    const sparse = facts(pcUnit, [evidence({ id: 'only', method: 'Q', statements: ['8'] })]);
    const full = facts(pcUnit, completeEvidence(pcUnit));
    const before = evaluateUnit(pcUnit, sparse, { asOf: AS_OF });
    const other = evaluateUnit(pcUnit, full, { asOf: AS_OF });
    const after = evaluateUnit(pcUnit, sparse, { asOf: AS_OF });
    expect(after).toEqual(before);
    expect(before.state).toBe('in-progress');
    expect(other.state).toBe('ready-for-sign-off');
  });

  it('does not let a changed policy of one evaluation stay for the next', () => {
    const items = facts(pcUnit, [evidence({ id: 'old', method: 'O', date: '2025-01-10', statements: ['pc:1'] })]);
    const strict = evaluateUnit(pcUnit, items, { asOf: AS_OF, policy: { evidenceCurrencyDays: 30 } });
    const defaults = evaluateUnit(pcUnit, items, { asOf: AS_OF });
    expect(statement(strict, 'pc:1').status).toBe('not-met');
    expect(statement(defaults, 'pc:1').status).toBe('met');
  });

  it('shares the allowed-methods list of a refusal only as a frozen array, so no reader can change a later verdict', () => {
    const v = evaluateUnit(pcUnit, facts(pcUnit, [evidence({ id: 'pe-1', method: 'PE', scope: ['d'] })]), { asOf: AS_OF });
    const refusal = v.scopeItems.find((s) => s.key === 'd')?.reasons.find((r) => r.code === 'method_not_allowed');
    const allowed = refusal?.params.allowed as string[];
    expect(Object.isFrozen(allowed)).toBe(true);
    expect(() => allowed.push('PE')).toThrow(TypeError);
    const next = evaluateUnit(pcUnit, facts(pcUnit, [evidence({ id: 'pe-2', method: 'PE', scope: ['d'] })]), { asOf: AS_OF });
    expect(next.scopeItems.find((s) => s.key === 'd')?.reasons).toContainEqual({ code: 'method_not_allowed', params: { evidenceId: 'pe-2', method: 'PE', allowed: ['O', 'Q', 'WT'] } });
  });

  it('shares the reasons and empty lists of targets without evidence only frozen, so no reader can change a later verdict', () => {
    const empty = evaluateUnit(pcUnit, facts(pcUnit, []), { asOf: AS_OF });
    const untouched = statement(empty, 'pc:1');
    const noEvidence = untouched.reasons.find((r) => r.code === 'no_evidence');
    expect(noEvidence).toBeDefined();
    expect(Object.isFrozen(noEvidence)).toBe(true);
    expect(Object.isFrozen(noEvidence?.params)).toBe(true);
    expect(() => untouched.evidenceIds.push('forged')).toThrow(TypeError);
    expect(() => untouched.reasons.push({ code: 'evidence_accepted', params: {} })).not.toThrow();
    const next = evaluateUnit(pcUnit, facts(pcUnit, []), { asOf: AS_OF });
    expect(statement(next, 'pc:1').evidenceIds).toEqual([]);
    expect(statement(next, 'pc:1').reasons).toEqual([{ code: 'no_evidence', params: {} }]);
  });
});
