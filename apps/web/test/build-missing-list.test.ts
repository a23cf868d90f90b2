import { describe, expect, it } from 'vitest';
import { countMissingRequirements, type Reason } from '@attest/standards';
import { buildMissingList, relabelReason, splitUnmapped, summariseProgress } from '../src/portfolio/build-missing-list.ts';
import { labelItems } from '../src/portfolio/build-recording-grid.ts';
import { makeItem, makePortfolio, makeUnit, mapping } from './portfolio-factories.ts';

describe('buildMissingList', () => {
  // The server's next step ("N requirements are still missing") counts with the engine's countMissingRequirements.
  it.each([
    ['nothing mapped', []],
    ['one accepted statement', [makeItem({ mappings: [mapping('209.1.1', { decision: 'accepted' })] })]],
    ['witness testimony for an observed criterion', [makeItem({ method: 'WT', evidenceType: 'witness-statement', mappings: [mapping('209.1.2', { method: 'WT', decision: 'accepted' })] })]],
    ['a referred and a pending mapping', [makeItem({ mappings: [mapping('209.1.1', { decision: 'referred' }), mapping('pc:3')] })]],
  ] as const)('counts the same requirements as the engine’s countMissingRequirements: %s', (_, items) => {
    const verdict = makePortfolio(makeUnit(), [...items]).verdict;
    expect(buildMissingList(verdict)).toHaveLength(countMissingRequirements(verdict));
  });

  it('says in plain English that an observed criterion covered only by witness testimony still needs the assessor', () => {
    const unit = makeUnit();
    const items = [makeItem({ method: 'WT', evidenceType: 'witness-statement', mappings: [mapping('209.1.2', { method: 'WT', decision: 'accepted' })] })];
    const missing = buildMissingList(makePortfolio(unit, items).verdict, labelItems(items));
    const entry = missing.find((m) => m.key === 'statement|209.1.2');
    expect(entry?.label).toBe('PC 209.1.2');
    expect(entry?.reasons.join(' ')).toContain('209.1.2 must be directly observed by the assessor; so far it is evidenced only by WT.');
  });

  it('names statements and scope items in a unit rule’s reasons by their codes and words, never by internal keys', () => {
    const unit = makeUnit({ assessmentRules: [{ kind: 'scope-coverage', items: 'all', basis: 'All customers.' }] });
    const entries = buildMissingList(makePortfolio(unit, []).verdict, new Map(), unit);
    const rule = entries.find((m) => m.key.startsWith('rule|'));
    expect(rule?.reasons.join(' ')).toContain('2.a “internal customers”');
    expect(rule?.reasons.join(' ')).toContain('2.b “external customers”');
    expect(entries.flatMap((m) => m.reasons).join(' ')).not.toMatch(/\b(pc|k|ac):\d/);
  });

  it('names a statement under its own entry by its code alone: its words are beside it already', () => {
    const unit = makeUnit();
    const items = [makeItem({ method: 'WT', evidenceType: 'witness-statement', mappings: [mapping('209.1.2', { method: 'WT', decision: 'accepted' })] })];
    const entry = buildMissingList(makePortfolio(unit, items).verdict, labelItems(items), unit).find((m) => m.key === 'statement|209.1.2');
    expect(entry?.reasons.join(' ')).toContain('209.1.2 must be directly observed by the assessor');
    expect(entry?.reasons.join(' ')).not.toContain('keep your customer informed');
  });

  it('lists a statement with no evidence and leaves out the ones that are met', () => {
    const unit = makeUnit();
    const items = [makeItem({ mappings: [mapping('209.1.1', { decision: 'accepted' })] })];
    const keys = buildMissingList(makePortfolio(unit, items).verdict).map((m) => m.key);
    expect(keys).toContain('statement|pc:3');
    expect(keys).not.toContain('statement|209.1.1');
  });

  it('names statements as recording forms do, telling a PC from a knowledge statement with the same number', () => {
    const labels = buildMissingList(makePortfolio(makeUnit(), []).verdict).map((m) => m.label);
    expect(labels).toEqual(expect.arrayContaining(['PC 3', 'Knowledge 3', 'PC 209.1.1']));
  });

  it('lists a unit-wide rule that is not met under its own name', () => {
    const unit = makeUnit({ assessmentRules: [{ kind: 'sufficiency-over-time', distinctCustomers: true, distinctOccasions: false, overPeriod: false, basis: 'Different customers.' }] });
    const items = [makeItem({ customerRef: 'Mrs P', mappings: [mapping('209.1.1', { decision: 'accepted' })] })];
    const entry = buildMissingList(makePortfolio(unit, items).verdict).find((m) => m.key.startsWith('rule|'));
    expect(entry?.label).toBe('Different customers, occasions and time');
    expect(entry?.reasons.join(' ')).toContain('Evidence with 1 distinct customer; at least 2 needed.');
  });

  it('does not count evidence waiting for the assessor as missing', () => {
    const unit = makeUnit();
    const items = [makeItem({ mappings: [mapping('209.1.1')] })];
    const verdict = makePortfolio(unit, items).verdict;
    expect(verdict.statements.find((s) => s.key === '209.1.1')?.status).toBe('not-yet-assessed');
    expect(buildMissingList(verdict).map((m) => m.key)).not.toContain('statement|209.1.1');
  });

  it('shrinks when evidence is accepted for a missing statement', () => {
    const unit = makeUnit();
    const before = buildMissingList(makePortfolio(unit, []).verdict).length;
    const after = buildMissingList(makePortfolio(unit, [makeItem({ mappings: [mapping('209.1.1', { decision: 'accepted' })] })]).verdict).length;
    expect(after).toBeLessThan(before);
  });
});

describe('splitUnmapped', () => {
  it('sets apart what has no evidence at all from what has evidence that falls short', () => {
    const unit = makeUnit();
    const items = [makeItem({ method: 'WT', mappings: [mapping('209.1.2', { method: 'WT', decision: 'accepted' })] })];
    const { unmapped, others } = splitUnmapped(buildMissingList(makePortfolio(unit, items).verdict));
    expect(unmapped.map((m) => m.label)).toEqual(expect.arrayContaining(['PC 209.1.1', 'PC 3', 'Knowledge 3']));
    expect(others.map((m) => m.label)).toEqual(['PC 209.1.2']);
  });
});

describe('relabelReason', () => {
  it('names evidence by the learner’s labels instead of server ids, in single and list parameters', () => {
    const labels = new Map([['uuid-1', 'E1'], ['uuid-2', 'E2']]);
    const single: Reason = { code: 'simulation_not_allowed', params: { evidenceId: 'uuid-2' } };
    const list: Reason = { code: 'observed', params: { evidenceIds: ['uuid-1', 'unknown'] } };
    expect(relabelReason(single, labels).params).toEqual({ evidenceId: 'E2' });
    expect(relabelReason(list, labels).params).toEqual({ evidenceIds: ['E1', 'unknown'] });
  });
});

describe('summariseProgress', () => {
  it('counts statements met, assessed and in total', () => {
    const unit = makeUnit();
    const items = [makeItem({ mappings: [mapping('209.1.1', { decision: 'accepted' }), mapping('pc:3', { decision: 'referred' }), mapping('k:3')] })];
    expect(summariseProgress(makePortfolio(unit, items).verdict)).toEqual({ met: 1, assessed: 2, total: 4 });
  });
});
