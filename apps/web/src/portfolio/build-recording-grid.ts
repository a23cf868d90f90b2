import { buildUnitIndex, isWordless, type Status, type Unit, type UnitIndex, type Verdict } from '@attest/standards';
import type { EvidenceItem, EvidenceMapping, EvidenceMappingTarget } from '@attest/contracts';
import { describePrinted, groupHeading } from '../unit/group-statements.ts';

export type TargetKind = EvidenceMappingTarget['target'];

export interface GridColumn {
  itemId: string;
  /** The learner-facing number, "E1", "E2"…: server ids mean nothing on a recording form. */
  label: string;
  title: string;
}

export interface GridCell {
  method: EvidenceMapping['method'];
  decision: EvidenceMapping['decision'];
}

export interface GridRow {
  target: TargetKind;
  /** The key the engine and the mappings use (`209.1.1`, `pc:3`, `2.b`, `4.a`). */
  key: string;
  /** The ref as the awarding body prints it, or as the unit's errata correct it. */
  ref: string;
  text: string;
  /** What the paper form prints where an erratum corrected the row (describePrinted); null otherwise. */
  printed: string | null;
  status: Status | null;
  /** One per column; null where that item is not mapped to this row. */
  cells: (GridCell | null)[];
}

export interface GridSection {
  heading: string;
  rows: GridRow[];
}

export interface RecordingGrid {
  columns: GridColumn[];
  sections: GridSection[];
  /** Evidence-requirement columns the form prints without wording: named, never rows (decision 0025). */
  wordlessRequirements: string[];
}

/**
 * Oldest first, so an item keeps its number (E1, E2…) whatever order the server sends, and a new
 * item never renumbers the ones a learner has already quoted to their assessor.
 */
export function orderItems<T extends Pick<EvidenceItem, 'id' | 'createdAt'>>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.createdAt < b.createdAt ? -1 : 1));
}

/** "E1", "E2"… by age, the same on every screen. */
export function labelItems(items: readonly Pick<EvidenceItem, 'id' | 'createdAt'>[]): Map<string, string> {
  return new Map(orderItems(items).map((item, index) => [item.id, `E${index + 1}`]));
}

// One index per unit object: the grid resolves every mapping of every item through it.
const indexes = new WeakMap<Unit, UnitIndex>();
function indexOf(unit: Unit): UnitIndex {
  let index = indexes.get(unit);
  if (index === undefined) {
    index = buildUnitIndex(unit);
    indexes.set(unit, index);
  }
  return index;
}

/**
 * Resolves a mapping to the index key of the row it names. Mappings may name a statement by its
 * bare ref or its qualified `kind:ref`, so they are resolved through the unit index rather than
 * compared as strings.
 */
export function resolveMappingKey(unit: Unit, mapping: Pick<EvidenceMappingTarget, 'target' | 'ref'>): string | null {
  const index = indexOf(unit);
  if (mapping.target === 'statement') {
    const found = index.findStatement(mapping.ref);
    return typeof found === 'number' ? (index.statements[found]?.key ?? null) : null;
  }
  if (mapping.target === 'scope-item') {
    const found = index.findScopeItem(mapping.ref);
    return found === undefined ? null : (index.scopeItems[found]?.key ?? null);
  }
  const found = index.findRequirement(mapping.ref);
  return found === undefined ? null : (index.requirements[found]?.key ?? null);
}

/**
 * The unit's recording form: every statement, scope item and evidence requirement as a row, in
 * the unit's own grouping, and each item mapped to anything of this unit as a column.
 */
export function buildRecordingGrid(unit: Unit, items: readonly EvidenceItem[], verdict: Verdict | null): RecordingGrid {
  const index = indexOf(unit);
  const labels = labelItems(items);
  const cellsByItem = new Map<string, Map<string, GridCell>>();
  for (const item of items) {
    const cells = new Map<string, GridCell>();
    for (const mapping of item.mappings) {
      if (mapping.unitId !== unit.id) continue;
      const key = resolveMappingKey(unit, mapping);
      if (key !== null) cells.set(`${mapping.target}|${key}`, { method: mapping.method, decision: mapping.decision });
    }
    if (cells.size > 0) cellsByItem.set(item.id, cells);
  }
  const columns: GridColumn[] = orderItems(items).filter((item) => cellsByItem.has(item.id)).map((item) => ({ itemId: item.id, label: labels.get(item.id) ?? item.id, title: item.title }));

  const statusOf = new Map<string, Status>();
  if (verdict !== null) {
    for (const s of verdict.statements) statusOf.set(`statement|${s.key}`, s.status);
    for (const s of verdict.scopeItems) statusOf.set(`scope-item|${s.key}`, s.status);
    for (const s of verdict.evidenceRequirements) statusOf.set(`evidence-requirement|${s.key}`, s.status);
  }
  const row = (target: TargetKind, key: string, ref: string, text: string, printed: string | null = null): GridRow => ({
    target,
    key,
    ref,
    text,
    printed,
    status: statusOf.get(`${target}|${key}`) ?? null,
    cells: columns.map((column) => cellsByItem.get(column.itemId)?.get(`${target}|${key}`) ?? null),
  });

  const sections: GridSection[] = [];
  unit.groups.forEach((group, position) => {
    const rows = index.statements.filter((s) => s.group === group).map((s) => row('statement', s.key, s.ref, s.statement.text, describePrinted(s.statement)));
    if (rows.length > 0) sections.push({ heading: groupHeading(group, position + 1), rows });
  });
  for (const group of unit.scope) {
    // Keyed as the unit index keys them, so rows line up with the verdict's scope items.
    const rows = group.items.map((item) => {
      const key = group.ref === null ? item.ref : `${group.ref}.${item.ref}`;
      return row('scope-item', key, key, item.text);
    });
    const title = [group.ref, group.title].filter((part) => part !== null).join(' ');
    if (rows.length > 0) sections.push({ heading: title === '' ? 'Scope' : `Scope ${title}`, rows });
  }
  // A requirement the source prints only as a column number is not a row to meet or to map to
  // until a centre supplies its wording (decision 0025): the unit page names those columns instead.
  // A heading without wording of its own is not a row either; its worded items are.
  const requirementRows = index.requirements.flatMap((r) => (r.text === null ? [] : [row('evidence-requirement', r.key, r.key, r.text)]));
  if (requirementRows.length > 0) sections.push({ heading: 'Evidence requirements', rows: requirementRows });
  const wordlessRequirements = index.requirements.filter(isWordless).map((r) => r.key);
  return { columns, sections, wordlessRequirements };
}

const decisionWords: Record<GridCell['decision'], string> = { pending: 'pending', accepted: 'accepted', referred: 'referred' };
const statusWords: Record<Status, string> = { met: 'Met', 'partly-met': 'Partly met', 'not-met': 'Not met', 'not-yet-assessed': 'Awaiting assessment' };

export function describeDecision(decision: GridCell['decision']): string {
  return decisionWords[decision];
}

export function describeStatus(status: Status | null): string {
  return status === null ? 'Not evaluated' : statusWords[status];
}

/** "mapped to 3 requirements: 1 accepted, 1 referred, 1 pending", counting every unit's mappings. */
export function describeMappings(mappings: readonly Pick<EvidenceMapping, 'decision'>[]): string {
  if (mappings.length === 0) return 'not mapped yet';
  const head = mappings.length === 1 ? 'mapped to 1 requirement' : `mapped to ${mappings.length} requirements`;
  const counts = (['accepted', 'referred', 'pending'] as const).map((decision) => [decision, mappings.filter((m) => m.decision === decision).length] as const).filter(([, n]) => n > 0);
  return `${head}: ${counts.map(([decision, n]) => `${n} ${decision}`).join(', ')}`;
}
