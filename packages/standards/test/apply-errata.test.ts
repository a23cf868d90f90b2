import { describe, expect, it } from 'vitest';
import { applyErrata, buildUnitIndex, evaluateUnit, PortfolioFactsSchema, type Unit } from '../src/index.ts';
import { inspectCatalogue, loadCatalogue } from '../src/loader/index.ts';
import { AS_OF, evidence, facts } from './factories.ts';

const loaded = (id: string): Unit => {
  const unit = loadCatalogue().units.find((u) => u.id === id);
  if (!unit) throw new Error(`no unit ${id}`);
  return unit;
};
const asWritten = (id: string): Unit => {
  const unit = inspectCatalogue().units.find((u) => u.id === id);
  if (!unit) throw new Error(`no unit ${id}`);
  return unit;
};
const statements = (unit: Unit) => unit.groups.flatMap((g) => g.statements);

describe('errata applied when the catalogue is loaded', () => {
  it('gives unit 202 the corrected ref 202.3.5 and keeps the printed 203.3.5 beside it', () => {
    const fifth = loaded('nvq2-cs-202').groups[2]?.statements[4];
    expect(fifth).toMatchObject({ ref: '202.3.5', printedRef: '203.3.5' });
    expect(statements(loaded('nvq2-cs-202')).map((s) => s.ref)).not.toContain('203.3.5');
    // The data file itself keeps the source as printed (the checker insists on it).
    expect(asWritten('nvq2-cs-202').groups[2]?.statements[4]?.ref).toBe('203.3.5');
  });

  it('corrects wording and a unit title, keeping what was printed', () => {
    const unit = loaded('nvq2-cs-207');
    expect(unit).toMatchObject({ title: 'Deal with customers in writing or using ICT', printedTitle: 'Deal with customer in writing or using ICT' });
    expect(unit.groups[2]?.statements[1]).toMatchObject({ text: 'identify what they are seeking as the outcome of the contact', printedText: 'identify what they are seeking as the outcome of the contract' });
  });

  it('leaves errata that describe the source in words (a missing sign-off block) and units without errata as they are', () => {
    const unit = asWritten('nvq2-cs-213');
    expect(applyErrata(unit).signOff).toEqual(unit.signOff);
    const plain = inspectCatalogue().units.find((u) => (u.errata ?? []).length === 0);
    expect(plain).toBeDefined();
    expect(applyErrata(plain as Unit)).toBe(plain);
    for (const u of loadCatalogue().units) for (const s of statements(u)) if (s.printedRef !== undefined) expect(s.printedRef).not.toBe(s.ref);
  });

  it('never changes the unit it is given', () => {
    const unit = asWritten('nvq2-cs-202');
    const before = JSON.stringify(unit);
    applyErrata(unit);
    expect(JSON.stringify(unit)).toBe(before);
  });

  it('keys the corrected statement by its corrected ref, and still finds it by the printed one', () => {
    const index = buildUnitIndex(loaded('nvq2-cs-202'));
    const found = index.findStatement('202.3.5');
    expect(typeof found).toBe('number');
    expect(index.statements[found as number]?.key).toBe('202.3.5');
    expect(index.findStatement('203.3.5')).toBe(found);
  });

  it('counts evidence mapped under the printed ref towards the corrected statement, with no unknown-target reason', () => {
    const unit = loaded('nvq2-cs-202');
    const verdict = evaluateUnit(unit, PortfolioFactsSchema.parse(facts(unit, [evidence({ statements: ['203.3.5'] })])), { asOf: AS_OF });
    const row = verdict.statements.find((s) => s.key === '202.3.5');
    expect(row?.ref).toBe('202.3.5');
    expect(row?.status).not.toBe('not-met');
    expect(JSON.stringify(verdict)).not.toContain('unknown_target');
  });
});
