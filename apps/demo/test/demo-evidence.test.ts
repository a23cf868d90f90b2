import { EvidenceDraftSchema } from '@attest/contracts';
import { loadCatalogue } from '@attest/standards/loader';
import { describe, expect, it } from 'vitest';
import { demoEvidence } from '../src/demo-evidence.ts';
import { demoUnitIds } from '../src/start-demo.ts';

const [positiveImpression, promoteServices] = demoUnitIds;
const units = loadCatalogue().units.filter((unit) => (demoUnitIds as readonly string[]).includes(unit.id));
const evidence = demoEvidence({ positiveImpression, promoteServices }, '2026-03-10');
const statementRefs = (unitId: string) => units.find((unit) => unit.id === unitId)?.groups.flatMap((group) => group.statements.map((statement) => statement.ref)) ?? [];

describe('the demo learner’s evidence', () => {
  it('is three valid drafts the API would accept: a personal statement, a photo and a witness statement', () => {
    expect(evidence.map((item) => EvidenceDraftSchema.safeParse(item.draft).success)).toEqual([true, true, true]);
    expect(evidence.map((item) => item.draft.evidenceType)).toEqual(['personal-statement', 'photo', 'witness-statement']);
    expect(evidence.find((item) => item.draft.evidenceType === 'photo')?.files.map((file) => file.content.subarray(1, 4).toString('ascii'))).toEqual(['PNG']);
  });

  it('maps only to statements that exist, in both units of the demo course', () => {
    expect(units).toHaveLength(2);
    for (const unitId of demoUnitIds) {
      const mapped = evidence.flatMap((item) => item.mappings).filter((mapping) => mapping.unitId === unitId);
      expect(mapped.length, unitId).toBeGreaterThan(0);
      for (const mapping of mapped) expect(statementRefs(unitId), `${unitId} ${mapping.ref}`).toContain(mapping.ref);
    }
  });

  it('leaves some statements of each unit unmapped, so the grid is partly filled and something is still missing', () => {
    for (const unitId of demoUnitIds) {
      const mapped = new Set(evidence.flatMap((item) => item.mappings).filter((mapping) => mapping.unitId === unitId).map((mapping) => mapping.ref));
      const refs = statementRefs(unitId);
      expect(mapped.size, unitId).toBeGreaterThanOrEqual(refs.length / 2);
      expect(mapped.size, unitId).toBeLessThan(refs.length);
    }
  });

  it('has some items submitted and one still a draft, dated before the day it is seeded', () => {
    expect(evidence.map((item) => item.isSubmitted)).toEqual([true, true, false]);
    for (const item of evidence) expect(item.draft.activityDate < '2026-03-10').toBe(true);
    expect(evidence[0]?.draft.activityDate).toBe('2026-02-26');
  });

  it('shows different customers and occasions, as the units’ evidence requirements ask', () => {
    expect(new Set(evidence.map((item) => item.draft.occasionRef)).size).toBe(3);
    expect(new Set(evidence.map((item) => item.draft.customerRef).filter((ref) => ref !== null)).size).toBe(2);
  });
});
