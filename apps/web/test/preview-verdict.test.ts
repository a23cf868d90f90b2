import { describe, expect, it } from 'vitest';
import { PortfolioFactsSchema } from '@attest/standards';
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
    expect(previewVerdict(unit, [edited], server, AS_OF).statements.find((s) => s.key === '209.1.1')?.status).toBe('not-yet-assessed');
  });

  it('keeps the server’s unit state and sign-off, which depend on facts the page does not have', () => {
    const unit = makeUnit();
    const server = { ...makePortfolio(unit, []).verdict, state: 'signed-off' as const };
    expect(previewVerdict(unit, [], server, AS_OF).state).toBe('signed-off');
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
