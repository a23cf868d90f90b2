import { describe, expect, it } from 'vitest';
import { methodsOf, observedIds, usableIds } from '../src/evidence-findings.ts';
import { evidence } from './factories.ts';
import { ruleFactsFor, smallUnit } from './rules/rule-facts.ts';

const unit = smallUnit([]);
const findingsFor = (items: ReturnType<typeof evidence>[]) => ruleFactsFor(unit, items).facts.findings;

describe('the pass over the evidence', () => {
  it('gathers each target’s usable items in id order, whatever order they arrive in', () => {
    const found = findingsFor([evidence({ id: 'ev-3', method: 'O', statements: ['1.1'] }), evidence({ id: 'ev-1', method: 'WT', statements: ['1.1'] }), evidence({ id: 'ev-2', method: 'O', statements: ['1.1'] })]);
    const target = found.statements[0]!;
    expect(usableIds(target)).toEqual(['ev-1', 'ev-2', 'ev-3']);
    expect(observedIds(target)).toEqual(['ev-2', 'ev-3']);
    expect(methodsOf(target)).toEqual(['WT', 'O']);
  });

  it('counts an item once per target however many of its mappings name the target, and a repeated id as one', () => {
    const twice = evidence({ id: 'same', statements: ['1.1', '1.1'] });
    const found = findingsFor([twice, { ...twice, method: 'Q' }]);
    expect(usableIds(found.statements[0]!)).toEqual(['same']);
    expect(methodsOf(found.statements[0]!)).toEqual(['O']);
  });

  it('keeps referred, pending and refused evidence out of the usable items, with a reason on the target', () => {
    const found = findingsFor([evidence({ id: 'ref', statements: ['1.2'], decision: 'referred' }), evidence({ id: 'pend', statements: ['1.2'], decision: 'pending' }), evidence({ id: 'late', date: '2027-01-01', statements: ['1.2'] })]);
    const target = found.statements[1]!;
    expect(target.usable).toEqual([]);
    expect(target.pending).toBe(1);
    expect(target.hasPendingObservation).toBe(true);
    expect(target.reasons).toEqual([
      { code: 'evidence_dated_after_as_of', params: { evidenceId: 'late', date: '2027-01-01' } },
      { code: 'evidence_referred', params: { evidenceId: 'ref' } },
    ]);
    expect(found.unitReasons).toEqual([{ code: 'evidence_dated_after_as_of', params: { evidenceId: 'late', date: '2027-01-01' } }]);
  });

  it('reports a mapping to a ref the unit does not have on the unit, and counts it as no activity', () => {
    const found = findingsFor([evidence({ id: 'lost', statements: ['9.9'] })]);
    expect(found.unitReasons).toEqual([{ code: 'unknown_target', params: { evidenceId: 'lost', target: 'statement', ref: '9.9' } }]);
    expect(found.hasActivity).toBe(false);
  });

  it('gives targets no mapping names one shared, frozen empty record', () => {
    const found = findingsFor([]);
    expect(Object.isFrozen(found.scopeItems[0])).toBe(true);
    expect(() => found.scopeItems[0]!.usable.push(evidence())).toThrow(TypeError);
  });
});
