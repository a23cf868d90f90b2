import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ASSESSMENT_METHOD_CODES, buildUnitIndex, evaluateUnit, type EvidenceItem, type EvidenceMapping, type Status, type Unit, type Verdict } from '../src/index.ts';
import { AS_OF, getSeedUnit } from './factories.ts';

const units = ['cs-310', 'cs-pc-resolve-problems', 'qcf2-resolve-problems', 'ocr-354', 'nvq2-cs-209'].map(getSeedUnit);

/** Every ref a mapping can name in this unit, plus one it cannot. */
function targetsOf(unit: Unit): { target: EvidenceMapping['target']; ref: string }[] {
  const index = buildUnitIndex(unit);
  return [
    ...index.statements.map((s) => ({ target: 'statement' as const, ref: s.key })),
    ...index.scopeItems.map((s) => ({ target: 'scope-item' as const, ref: s.key })),
    ...index.requirements.map((r) => ({ target: 'evidence-requirement' as const, ref: r.key })),
    { target: 'statement' as const, ref: 'no-such-ref' },
  ];
}

const dateArb = fc.integer({ min: 0, max: 1200 }).map((offset) => {
  const d = new Date(Date.UTC(2023, 0, 1 + offset));
  return d.toISOString().slice(0, 10);
});

function evidenceArb(unit: Unit) {
  const targets = targetsOf(unit);
  const mappingArb = fc.record({ at: fc.nat({ max: targets.length - 1 }), decision: fc.constantFrom('pending', 'accepted', 'referred') as fc.Arbitrary<EvidenceMapping['decision']> });
  const itemArb = fc.record({
    method: fc.constantFrom(...ASSESSMENT_METHOD_CODES),
    date: dateArb,
    customer: fc.option(fc.nat({ max: 4 }), { nil: null }),
    occasion: fc.option(fc.nat({ max: 4 }), { nil: null }),
    workSetting: fc.constantFrom('real-job', 'rwe', 'simulation') as fc.Arbitrary<EvidenceItem['workSetting']>,
    mappings: fc.array(mappingArb, { maxLength: 6 }),
  });
  return fc.array(itemArb, { maxLength: 30 }).map((raw) =>
    raw.map(
      (r, i): EvidenceItem => ({
        id: `ev-${i}`,
        method: r.method,
        authorId: 'a',
        date: r.date,
        customerId: r.customer === null ? null : `c-${r.customer}`,
        occasionId: r.occasion === null ? null : `o-${r.occasion}`,
        workSetting: r.workSetting,
        mappings: r.mappings.map((m) => ({ ...(targets[m.at] as { target: EvidenceMapping['target']; ref: string }), decision: m.decision })),
      }),
    ),
  );
}

const evaluate = (unit: Unit, evidence: EvidenceItem[]): Verdict => evaluateUnit(unit, { unitId: unit.id, evidence }, { asOf: AS_OF });

function metKeys(v: Verdict): string[] {
  const met = (status: Status) => status === 'met';
  return [
    ...v.statements.filter((s) => met(s.status)).map((s) => `statement ${s.key}`),
    ...v.scopeItems.filter((s) => met(s.status)).map((s) => `scope ${s.key}`),
    ...v.evidenceRequirements.filter((e) => met(e.status)).map((e) => `requirement ${e.key}`),
    ...v.rules.filter((r) => met(r.status)).map((r) => `rule ${r.index}`),
  ];
}

describe.each(units.map((unit) => ({ id: unit.id, unit })))('evaluateUnit properties for $id', ({ unit }) => {
  it('gives the same verdict whatever the order of the evidence', () => {
    fc.assert(
      fc.property(
        evidenceArb(unit).chain((items) => fc.tuple(fc.constant(items), fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }))),
        ([items, shuffled]) => {
          expect(evaluate(unit, shuffled)).toEqual(evaluate(unit, items));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never turns a met requirement into an unmet one when an accepted mapping is added', () => {
    const targets = targetsOf(unit);
    fc.assert(
      fc.property(evidenceArb(unit), fc.nat(), fc.nat({ max: targets.length - 1 }), (items, pick, at) => {
        fc.pre(items.length > 0);
        const before = metKeys(evaluate(unit, items));
        const chosen = pick % items.length;
        const target = targets[at] as { target: EvidenceMapping['target']; ref: string };
        const extended = items.map((item, i) => (i === chosen ? { ...item, mappings: [...item.mappings, { ...target, decision: 'accepted' as const }] } : item));
        const after = new Set(metKeys(evaluate(unit, extended)));
        expect(before.filter((k) => !after.has(k))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('lists every statement of the unit exactly once', () => {
    const expected = unit.groups.reduce((n, g) => n + g.statements.length, 0);
    fc.assert(
      fc.property(evidenceArb(unit), (items) => {
        const keys = evaluate(unit, items).statements.map((s) => s.key);
        expect(keys).toHaveLength(expected);
        expect(new Set(keys).size).toBe(expected);
      }),
      { numRuns: 100 },
    );
  });
});
