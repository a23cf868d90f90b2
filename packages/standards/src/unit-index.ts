import type { Group, Statement, Unit } from './unit-schema.ts';

const KIND_PREFIX: Record<Statement['kind'], string> = {
  'performance-criterion': 'pc',
  'assessment-criterion': 'ac',
  knowledge: 'k',
  standard: 'std',
};

// Entries copy the fields the engine reads: data-file objects differ in shape (a group with or
// without a note), and reading them in the hot path turns V8's property loads megamorphic.
export type IndexedStatement = { key: string; ref: string; kind: Statement['kind']; groupRef: string | null; statement: Statement; group: Group; isKnowledge: boolean };
export type IndexedScopeItem = { key: string; groupRef: string | null; ref: string; text: string };
export type IndexedRequirement = { key: string; ref: string; parentRef: string | null; text: string | null; childKeys: string[] };

export type UnitIndex = {
  statements: IndexedStatement[];
  scopeItems: IndexedScopeItem[];
  requirements: IndexedRequirement[];
  statementByName: ReadonlyMap<string, number | 'ambiguous'>;
  scopeItemByKey: ReadonlyMap<string, number>;
  requirementByKey: ReadonlyMap<string, number>;
  /** Resolves a ref as written in rules or mappings; `ambiguous` when a bare ref is printed twice. */
  findStatement(name: string): number | 'ambiguous' | undefined;
  findScopeItem(key: string): number | undefined;
  findRequirement(key: string): number | undefined;
};

/**
 * Seed 001 prints PC 3 and knowledge statement 3: bare refs are then ambiguous, so such
 * statements are keyed `kind:ref` (pc:3, k:3). Refs printed once keep their bare form, which
 * is what assessors write.
 */
export function buildUnitIndex(unit: Unit): UnitIndex {
  const refCounts = new Map<string, number>();
  for (const group of unit.groups) for (const s of group.statements) refCounts.set(s.ref, (refCounts.get(s.ref) ?? 0) + 1);

  const statements: IndexedStatement[] = [];
  const byName = new Map<string, number | 'ambiguous'>();
  for (const group of unit.groups) {
    for (const statement of group.statements) {
      const qualified = `${KIND_PREFIX[statement.kind]}:${statement.ref}`;
      const isAmbiguous = (refCounts.get(statement.ref) ?? 0) > 1;
      const index = statements.length;
      statements.push({ key: isAmbiguous ? qualified : statement.ref, ref: statement.ref, kind: statement.kind, groupRef: group.ref, statement, group, isKnowledge: statement.kind === 'knowledge' || group.kind === 'knowledge' });
      if (!byName.has(qualified)) byName.set(qualified, index);
      byName.set(statement.ref, isAmbiguous ? 'ambiguous' : index);
      // A ref corrected by an erratum still finds its statement by the printed ref, which a mapping
      // saved before the correction, or an assessor reading the paper form, may use.
      if (statement.printedRef !== undefined && !refCounts.has(statement.printedRef) && !byName.has(statement.printedRef)) byName.set(statement.printedRef, index);
    }
  }

  const scopeItems: IndexedScopeItem[] = [];
  const scopeByKey = new Map<string, number>();
  for (const group of unit.scope) {
    for (const item of group.items) {
      const key = group.ref === null ? item.ref : `${group.ref}.${item.ref}`;
      if (!scopeByKey.has(key)) scopeByKey.set(key, scopeItems.length);
      scopeItems.push({ key, groupRef: group.ref, ref: item.ref, text: item.text });
    }
  }

  const requirements: IndexedRequirement[] = [];
  const requirementByKey = new Map<string, number>();
  for (const requirement of unit.evidenceRequirements) {
    const childKeys = (requirement.items ?? []).map((item) => `${requirement.ref}.${item.ref}`);
    if (!requirementByKey.has(requirement.ref)) requirementByKey.set(requirement.ref, requirements.length);
    requirements.push({ key: requirement.ref, ref: requirement.ref, parentRef: null, text: requirement.text, childKeys });
    for (const item of requirement.items ?? []) {
      const key = `${requirement.ref}.${item.ref}`;
      if (!requirementByKey.has(key)) requirementByKey.set(key, requirements.length);
      requirements.push({ key, ref: item.ref, parentRef: requirement.ref, text: item.text, childKeys: [] });
    }
  }

  return {
    statements,
    scopeItems,
    requirements,
    statementByName: byName,
    scopeItemByKey: scopeByKey,
    requirementByKey,
    findStatement: (name) => byName.get(name),
    findScopeItem: (key) => scopeByKey.get(key),
    findRequirement: (key) => requirementByKey.get(key),
  };
}
