import { buildUnitIndex } from './unit-index.ts';
import type { Catalogue } from './unit-schema.ts';

export type DumpedEntry = { key: string; ref: string; kind: string; text: string | null; group: string | null };
export type DumpedUnit = {
  id: string;
  qualification: string;
  awardingBody: string | null;
  codes: string[];
  title: string;
  level: number | null;
  creditValue: number | null;
  guidedLearningHours: number | null;
  format: string;
  statements: DumpedEntry[];
  scopeItems: DumpedEntry[];
  evidenceRequirements: DumpedEntry[];
};

/** The flat listing `standards:dump` prints: every statement, scope item and requirement with its printed ref. */
export function dumpCatalogue(catalogue: Catalogue): DumpedUnit[] {
  return catalogue.units.map((unit) => {
    const index = buildUnitIndex(unit);
    return {
      id: unit.id,
      qualification: unit.qualification,
      awardingBody: unit.awardingBody,
      codes: unit.codes,
      title: unit.title,
      level: unit.level,
      creditValue: unit.creditValue,
      guidedLearningHours: unit.guidedLearningHours,
      format: unit.format,
      statements: index.statements.map((s) => ({ key: s.key, ref: s.statement.ref, kind: s.statement.kind, text: s.statement.text, group: s.group.ref ?? s.group.title })),
      scopeItems: index.scopeItems.map((s) => ({ key: s.key, ref: s.ref, kind: 'scope-item', text: s.text, group: s.groupRef })),
      evidenceRequirements: index.requirements.map((r) => ({ key: r.key, ref: r.ref, kind: r.parentRef === null ? 'evidence-requirement' : 'evidence-requirement-item', text: r.text, group: r.parentRef })),
    };
  });
}
