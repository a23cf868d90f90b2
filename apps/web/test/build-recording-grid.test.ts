import { describe, expect, it } from 'vitest';
import { buildRecordingGrid, describeMappings, describeStatus, labelItems, resolveMappingKey } from '../src/portfolio/build-recording-grid.ts';
import { makeItem, makePortfolio, makeUnit, mapping } from './portfolio-factories.ts';

describe('buildRecordingGrid', () => {
  it('lists every statement, scope item and evidence requirement in the unit’s own grouping', () => {
    const grid = buildRecordingGrid(makeUnit(), [], null);
    expect(grid.sections.map((s) => s.heading)).toEqual(['Element 209.1: Answer calls', 'Knowledge 209.2', 'Scope 2 Customers', 'Evidence requirements']);
    expect(grid.sections[0]?.rows.map((r) => r.ref)).toEqual(['209.1.1', '209.1.2', '3']);
    expect(grid.sections[2]?.rows.map((r) => [r.target, r.key])).toEqual([['scope-item', '2.a'], ['scope-item', '2.b']]);
    expect(grid.sections[3]?.rows.map((r) => r.key)).toEqual(['4', '4.a']);
  });

  it('offers no row for a requirement the form prints without wording, and one like any other once a centre words it', () => {
    const wordless = makeUnit({ evidenceRequirements: [{ ref: '1', text: null }, { ref: '2', text: 'At least three customers.' }] });
    const rows = (unit: ReturnType<typeof makeUnit>) => buildRecordingGrid(unit, [], null).sections.find((s) => s.heading === 'Evidence requirements')?.rows.map((r) => [r.key, r.text]);
    expect(rows(wordless)).toEqual([['2', 'At least three customers.']]);
    expect(buildRecordingGrid(wordless, [], null).wordlessRequirements).toEqual(['1']);
    const worded = makeUnit({ evidenceRequirements: [{ ref: '1', text: 'From your real job.', wordingSource: 'a centre' }, { ref: '2', text: 'At least three customers.' }] });
    expect(rows(worded)).toEqual([['1', 'From your real job.'], ['2', 'At least three customers.']]);
    expect(buildRecordingGrid(worded, [], null).wordlessRequirements).toEqual([]);
    expect(buildRecordingGrid(makeUnit({ evidenceRequirements: [{ ref: '1', text: null }] }), [], null).sections.map((s) => s.heading)).not.toContain('Evidence requirements');
  });

  it('keys a ref printed twice by its kind, as the engine does, while showing it as printed', () => {
    const rows = buildRecordingGrid(makeUnit(), [], null).sections.flatMap((s) => s.rows).filter((r) => r.ref === '3');
    expect(rows.map((r) => r.key)).toEqual(['pc:3', 'k:3']);
  });

  it('shows a row an erratum corrected under its corrected ref, naming the printed one, and keys it by the corrected ref', () => {
    const unit = makeUnit({ groups: [{ ref: '209.1', title: null, kind: 'element', statements: [{ ref: '209.1.5', printedRef: '210.1.5', kind: 'standard', text: 'refer your customer' }] }] });
    const item = makeItem({ mappings: [mapping('210.1.5', { decision: 'accepted' })] });
    const [row] = buildRecordingGrid(unit, [item], null).sections[0]?.rows ?? [];
    expect(row).toMatchObject({ key: '209.1.5', ref: '209.1.5', printed: 'Corrected: the awarding body’s form prints the number 210.1.5.' });
    // A mapping saved under the printed ref still lands in the corrected row.
    expect(row?.cells[0]).toEqual({ method: 'PE', decision: 'accepted' });
  });

  it('makes a column of each item mapped to this unit, numbered by its age among all items', () => {
    const unmapped = makeItem({ title: 'Rota', createdAt: '2026-05-01T10:00:00Z' });
    const otherUnitOnly = makeItem({ createdAt: '2026-05-02T10:00:00Z', mappings: [mapping('1.1', { unitId: 'nvq2-cs-210' })] });
    const mapped = makeItem({ title: 'Call log', createdAt: '2026-05-03T10:00:00Z', mappings: [mapping('209.1.1', { decision: 'accepted' })] });
    const grid = buildRecordingGrid(makeUnit(), [unmapped, otherUnitOnly, mapped], null);
    expect(grid.columns).toEqual([{ itemId: mapped.id, label: 'E3', title: 'Call log' }]);
  });

  it('puts the method letter and decision in the cell of each mapped row and nothing elsewhere', () => {
    const witness = makeItem({ method: 'WT', mappings: [mapping('209.1.2', { method: 'WT', decision: 'referred' }), mapping('2.b', { target: 'scope-item', method: 'WT' })] });
    const rows = buildRecordingGrid(makeUnit(), [witness], null).sections.flatMap((s) => s.rows);
    const cell = (key: string) => rows.find((r) => r.key === key)?.cells[0];
    expect(cell('209.1.2')).toEqual({ method: 'WT', decision: 'referred' });
    expect(cell('2.b')).toEqual({ method: 'WT', decision: 'pending' });
    expect(cell('209.1.1')).toBeNull();
  });

  it('finds the row of a mapping that names a statement by its qualified key', () => {
    const item = makeItem({ mappings: [mapping('k:3', { decision: 'accepted' })] });
    const rows = buildRecordingGrid(makeUnit(), [item], null).sections.flatMap((s) => s.rows);
    expect(rows.find((r) => r.key === 'k:3')?.cells[0]).toEqual({ method: 'PE', decision: 'accepted' });
    expect(rows.find((r) => r.key === 'pc:3')?.cells[0]).toBeNull();
  });

  it('shows each row’s status from the verdict', () => {
    const unit = makeUnit();
    const items = [makeItem({ mappings: [mapping('209.1.1', { decision: 'accepted' }), mapping('209.1.2')] })];
    const rows = buildRecordingGrid(unit, items, makePortfolio(unit, items).verdict).sections.flatMap((s) => s.rows);
    expect(rows.find((r) => r.key === '209.1.1')?.status).toBe('met');
    expect(rows.find((r) => r.key === '209.1.2')?.status).not.toBe('met');
    expect(describeStatus(null)).toBe('Not evaluated');
  });
});

describe('resolveMappingKey', () => {
  it('refuses a bare ref that the unit prints twice and a ref it does not have', () => {
    expect(resolveMappingKey(makeUnit(), { target: 'statement', ref: '3' })).toBeNull();
    expect(resolveMappingKey(makeUnit(), { target: 'statement', ref: '999' })).toBeNull();
    expect(resolveMappingKey(makeUnit(), { target: 'evidence-requirement', ref: '4.a' })).toBe('4.a');
  });
});

describe('labelItems', () => {
  it('numbers items E1, E2… oldest first, whatever order the server sends them in', () => {
    const older = { id: 'y', createdAt: '2026-05-01T10:00:00Z' };
    const newer = { id: 'x', createdAt: '2026-05-02T10:00:00Z' };
    expect([...labelItems([newer, older]).entries()]).toEqual([['y', 'E1'], ['x', 'E2']]);
  });

  it('keeps numbers stable for items created in the same instant', () => {
    const at = '2026-05-01T10:00:00Z';
    expect(labelItems([{ id: 'b', createdAt: at }, { id: 'a', createdAt: at }]).get('a')).toBe('E1');
  });
});

describe('describeMappings', () => {
  it('counts an item’s mappings by the assessor’s decision, leaving out decisions it has none of', () => {
    expect(describeMappings([])).toBe('not mapped yet');
    expect(describeMappings([{ decision: 'pending' }])).toBe('mapped to 1 requirement: 1 pending');
    expect(describeMappings([{ decision: 'referred' }, { decision: 'accepted' }, { decision: 'accepted' }])).toBe('mapped to 3 requirements: 2 accepted, 1 referred');
  });
});
