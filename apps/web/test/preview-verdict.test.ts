import { describe, expect, it } from 'vitest';
import { PortfolioFactsSchema, renderReason } from '@attest/standards';
import { withTargets, setTarget, targetsOf } from '../src/portfolio/edit-mappings.ts';
import { previewVerdict, todayIso, toPortfolioFacts } from '../src/portfolio/preview-verdict.ts';
import { AS_OF, makeItem, makePortfolio, makeUnit, mapping } from './portfolio-factories.ts';

describe('previewVerdict', () => {
  it('shows a newly mapped statement as waiting for the assessor before the server answers', () => {
    const unit = makeUnit();
    const item = makeItem();
    const server = makePortfolio(unit, [item]).verdict;
    expect(server.statements.find((s) => s.key === '209.1.1')?.status).toBe('not-met');
    const edited = withTargets(item, setTarget(targetsOf(item), { unitId: unit.id, target: 'statement', ref: '209.1.1' }, true));
    expect(previewVerdict(unit, [item], [edited], server, AS_OF).statements.find((s) => s.key === '209.1.1')?.status).toBe('not-yet-assessed');
  });

  it('keeps the server’s answer for rows the edit does not change, such as one the assessor observed', () => {
    const unit = makeUnit();
    const item = makeItem();
    const computed = makePortfolio(unit, [item]).verdict;
    // The assessor's observation of 209.1.2 is in the server's verdict but not among the learner's items.
    const server = { ...computed, statements: computed.statements.map((s) => (s.key === '209.1.2' ? { ...s, status: 'met' as const, reasons: [] } : s)) };
    const edited = withTargets(item, setTarget(targetsOf(item), { unitId: unit.id, target: 'statement', ref: '209.1.1' }, true));
    const preview = previewVerdict(unit, [item], [edited], server, AS_OF);
    expect(preview.statements.find((s) => s.key === '209.1.2')?.status).toBe('met');
    expect(preview.statements.find((s) => s.key === '209.1.1')?.status).toBe('not-yet-assessed');
  });

  it('keeps the server’s unit state and sign-off, which depend on facts the page does not have', () => {
    const unit = makeUnit();
    const server = { ...makePortfolio(unit, []).verdict, state: 'signed-off' as const };
    expect(previewVerdict(unit, [], [], server, AS_OF).state).toBe('signed-off');
  });

  it('updates a unit-wide rule when the edit changes its answer', () => {
    const unit = makeUnit({ assessmentRules: [{ kind: 'sufficiency-over-time', distinctCustomers: true, distinctOccasions: false, overPeriod: false, basis: 'Different customers.' }] });
    const item = makeItem({ customerRef: 'Mrs P', mappings: [mapping('209.1.1', { decision: 'accepted' })] });
    const server = makePortfolio(unit, [item]).verdict;
    const unmapped = withTargets(item, []);
    const rule = previewVerdict(unit, [item], [unmapped], server, AS_OF).rules[0];
    expect(server.rules[0]?.reasons.map((reason) => renderReason(reason))).toContain('Evidence with 1 distinct customer; at least 2 needed.');
    expect(rule?.status).toBe('not-met');
    expect(rule?.reasons.map((reason) => renderReason(reason))).toEqual(['No accepted performance evidence yet.']);
    expect(rule).not.toHaveProperty('key');
  });
});

describe('toPortfolioFacts', () => {
  it('gives the engine only this unit’s mappings, as valid facts', () => {
    const unit = makeUnit();
    const items = [makeItem({ customerRef: 'Mrs P', mappings: [mapping('209.1.1'), mapping('1.1', { unitId: 'other-unit' })] }), makeItem({ mappings: [mapping('1.1', { unitId: 'other-unit' })] })];
    const facts = PortfolioFactsSchema.parse(toPortfolioFacts(unit, items));
    expect(facts.evidence).toHaveLength(1);
    expect(facts.evidence[0]).toMatchObject({ customerId: 'Mrs P', mappings: [{ target: 'statement', ref: '209.1.1', decision: 'pending' }] });
  });
});

describe('todayIso', () => {
  it('writes the local calendar date with padded month and day', () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});
