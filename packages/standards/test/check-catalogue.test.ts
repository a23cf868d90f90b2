import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogueError, DEFAULT_STANDARDS_DIR, findStaleSchemas, inspectCatalogue, loadCatalogue } from '../src/loader/index.ts';

const UNIT = 'customer-service-element-format/unit-310.yaml';
const PC_UNIT = 'customer-service-performance-criteria/resolve-customer-service-problems.yaml';
const dirs: string[] = [];

/** A copy of the real catalogue with one file edited, so each test breaks exactly one thing. */
function brokenCopy(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'attest-standards-'));
  dirs.push(dir);
  cpSync(DEFAULT_STANDARDS_DIR, dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error('the edit changed nothing');
  writeFileSync(path, after);
  return dir;
}

const errorsOf = (dir: string) => inspectCatalogue(dir).findings.filter((f) => f.severity === 'error').map((f) => ({ file: f.file, path: f.path.join('.'), code: f.code, message: f.message, line: f.line }));

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the standards check on the real data', () => {
  it('finds no errors', () => {
    expect(errorsOf(DEFAULT_STANDARDS_DIR)).toEqual([]);
  });

  it('finds the committed JSON Schemas up to date', () => {
    expect(findStaleSchemas()).toEqual([]);
  });

  it('reports every recorded source erratum as a warning', () => {
    const warnings = inspectCatalogue().findings.filter((f) => f.code === 'source_erratum');
    expect(warnings.some((w) => w.file === UNIT && w.path.join('.') === 'scope.0.items.1.text')).toBe(true);
    expect(warnings.every((w) => w.severity === 'warning')).toBe(true);
  });

  it('loads every unit of the seeds: 310, 354, seed 001, seed 002 and the 19 recording forms', () => {
    const { units } = loadCatalogue();
    expect(units).toHaveLength(23);
    const count = (prefix: string) => units.filter((u) => u.id.startsWith(prefix)).reduce((n, u) => n + u.groups.reduce((m, g) => m + g.statements.length, 0), 0);
    expect(count('nvq2-cs-')).toBe(254);
    expect(units.map((u) => u.codes).flat()).toEqual(expect.arrayContaining(['310', '354', '101', '105', '106', '201', '216']));
  });
});

describe('the standards check on broken files', () => {
  it.each([
    { what: 'a missing required field', file: UNIT, edit: (t: string) => t.replace(/^title: .*\n/m, ''), code: 'schema_violation', path: 'title', message: /required field `title` is missing/ },
    { what: 'a misspelt key', file: UNIT, edit: (t: string) => t.replace('creditValue:', 'creditValu:'), code: 'schema_violation', path: '', message: /creditValu/ },
    { what: 'an unknown statement kind', file: UNIT, edit: (t: string) => t.replace('{ ref: "310.1.2", kind: performance-criterion', '{ ref: "310.1.2", kind: criterion'), code: 'schema_violation', path: 'groups.0.statements.1.kind', message: /performance-criterion/ },
    { what: 'a ref written as a number', file: UNIT, edit: (t: string) => t.replace('- { ref: "a", text: "brought', '- { ref: 7, text: "brought'), code: 'schema_violation', path: 'scope.0.items.0.ref', message: /string/ },
    { what: 'a duplicated statement ref', file: UNIT, edit: (t: string) => t.replace('ref: "310.1.2"', 'ref: "310.1.1"'), code: 'duplicate_ref', path: 'groups.0.statements.1.ref', message: /310\.1\.1 is already used at groups\[0\]\.statements\[0\]/ },
    { what: 'a statement filed under the wrong element', file: UNIT, edit: (t: string) => t.replace('ref: "310.2.1"', 'ref: "310.3.9"'), code: 'ref_mismatch', path: 'groups.1.statements.0.ref', message: /sits in group 310\.2/ },
    { what: 'an element of another unit', file: UNIT, edit: (t: string) => t.replace('ref: "310.3"\n', 'ref: "311.3"\n').replace(/ref: "310\.3\.(\d)"/g, 'ref: "311.3.$1"'), code: 'ref_mismatch', path: 'groups.2.ref', message: /codes \(310\)/ },
    { what: 'a duplicated statement in one element', file: UNIT, edit: (t: string) => t.replace('text: "action your agreed solution"', 'text: "monitor the changes you have made and adjust them if appropriate."'), code: 'duplicate_statement', path: 'groups.2.statements.3.text', message: /same statement text already appears at groups\[2\]\.statements\[1\]/ },
    { what: 'a rule naming a missing statement', file: PC_UNIT, edit: (t: string) => t.replace('"pc:7"]', '"pc:17"]'), code: 'unknown_reference', path: 'assessmentRules.0.statements.4', message: /pc:17/ },
    { what: 'a rule naming an ambiguous ref', file: PC_UNIT, edit: (t: string) => t.replace('["pc:3",', '["3",'), code: 'ambiguous_reference', path: 'assessmentRules.0.statements.0', message: /pc:3 or k:3/ },
    { what: 'a rule naming a missing scope item', file: PC_UNIT, edit: (t: string) => t.replace('items: ["a", "b", "c", "d"]', 'items: ["a", "b", "c", "e"]'), code: 'unknown_reference', path: 'assessmentRules.1.items.3', message: /scope item e/ },
    { what: 'a rule that can never be met', file: PC_UNIT, edit: (t: string) => t.replace('min: 2', 'min: 5'), code: 'rule_impossible', path: 'assessmentRules.1.min', message: /5 observed items out of only 4/ },
    { what: 'a rule naming a missing evidence requirement', file: UNIT, edit: (t: string) => t.replace('evidenceRequirement: "3"', 'evidenceRequirement: "9"'), code: 'unknown_reference', path: 'assessmentRules.1.evidenceRequirement', message: /evidence requirement 9/ },
    { what: 'an empty sign-off chain', file: PC_UNIT, edit: (t: string) => t.replace(/signOff:\n {2}- \{ role: assessor[^\n]*\n/, 'signOff: []\n'), code: 'sign_off_missing', path: 'signOff', message: /sign-off chain/ },
    { what: 'an erratum whose source is not the data', file: UNIT, edit: (t: string) => t.replace('source: "are identified first', 'source: "were identified first'), code: 'erratum_mismatch', path: 'errata.0.source', message: /must keep the source wording/ },
    { what: 'a unit of another qualification', file: UNIT, edit: (t: string) => t.replace('qualification: customer-service-element-format', 'qualification: ocr-customer-service'), code: 'qualification_mismatch', path: 'qualification', message: /folder's/ },
    { what: 'a missing schema comment', file: UNIT, edit: (t: string) => t.replace(/^# yaml-language-server.*\n/, ''), code: 'schema_comment_missing', path: '', message: /first line/ },
    { what: 'unnormalised whitespace', file: UNIT, edit: (t: string) => t.replace('action your agreed solution', 'action your  agreed solution'), code: 'text_whitespace', path: 'groups.2.statements.1.text', message: /whitespace/ },
    { what: 'a printed ref written in the data instead of an erratum', file: UNIT, edit: (t: string) => t.replace('{ ref: "310.1.2", kind: performance-criterion,', '{ ref: "310.1.2", printedRef: "310.1.9", kind: performance-criterion,'), code: 'loader_field', path: 'groups.0.statements.1.printedRef', message: /record the printing error under `errata`/ },
    { what: 'a YAML syntax error', file: UNIT, edit: (t: string) => t.replace('title: "Monitor', 'title: [ "Monitor'), code: 'schema_violation', path: '', message: /not valid YAML/ },
  ])('fails on $what, naming the file and the path', ({ file, edit, code, path, message }) => {
    const errors = errorsOf(brokenCopy(file, edit));
    const match = errors.find((e) => e.code === code && e.file === file && e.path === path);
    expect(match, JSON.stringify(errors, null, 2)).toBeDefined();
    expect(match?.message).toMatch(message);
    expect(match?.line).toBeGreaterThan(0);
  });

  it('fails on a unit id used twice across files', () => {
    const dir = brokenCopy('ocr-customer-service/unit-354.yaml', (t) => t.replace('id: ocr-354', 'id: cs-310'));
    expect(errorsOf(dir)).toContainEqual(expect.objectContaining({ code: 'duplicate_id', path: 'id', message: expect.stringMatching(/already used by customer-service-element-format\/unit-310\.yaml/) }));
  });

  it('fails when the committed JSON Schema no longer matches the model', () => {
    const dir = brokenCopy('schema/unit.schema.json', (t) => t.replace('"id"', '"identifier"'));
    expect(findStaleSchemas(dir)).toEqual([expect.objectContaining({ file: 'schema/unit.schema.json', code: 'schema_stale' })]);
  });

  it('makes loadCatalogue throw one error that lists every problem with file and path', () => {
    const dir = brokenCopy(UNIT, (t) => t.replace('ref: "310.1.2"', 'ref: "310.1.1"').replace('min: 2', 'min: 5'));
    const pcDir = brokenCopy(PC_UNIT, (t) => t.replace('min: 2', 'min: 5'));
    expect(() => loadCatalogue(dir)).toThrow(/unit-310\.yaml:\d+:\d+ groups\[0\]\.statements\[1\]\.ref: performance-criterion 310\.1\.1 is already used/);
    try {
      loadCatalogue(pcDir);
    } catch (error) {
      expect(error).toBeInstanceOf(CatalogueError);
      expect((error as CatalogueError).message).toMatch(/resolve-customer-service-problems\.yaml:\d+:\d+ assessmentRules\[1\]\.min: asks for 5/);
    }
  });
});

describe('the check and dump commands', () => {
  const run = (script: string, dir?: string) => spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'src', 'cli', script), ...(dir ? [dir] : [])], { encoding: 'utf8' });

  it('check exits 0 on the real data and prints the totals', () => {
    const result = run('check.ts');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/23 units, 352 statements; 0 errors/);
  });

  it('check exits 1 on a broken file and names it on stderr', () => {
    const result = run('check.ts', brokenCopy(UNIT, (t) => t.replace('ref: "310.1.2"', 'ref: "310.1.1"')));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error customer-service-element-format\/unit-310\.yaml:\d+:\d+ groups\[0\]\.statements\[1\]\.ref: /m);
  });

  it('dump prints every unit with its statements, scope items and evidence requirements as JSON', () => {
    const result = run('dump.ts');
    expect(result.status).toBe(0);
    const units = JSON.parse(result.stdout) as { id: string; statements: { ref: string; kind: string; text: string }[]; scopeItems: unknown[]; evidenceRequirements: unknown[] }[];
    expect(units).toHaveLength(23);
    expect(units.reduce((n, u) => n + u.statements.length, 0)).toBe(352);
    expect(units.find((u) => u.id === 'cs-310')?.statements[0]).toEqual({ key: '310.1.1', ref: '310.1.1', kind: 'performance-criterion', text: 'respond positively to customer service problems following organisational guidelines', group: '310.1' });
    expect(units.find((u) => u.id === 'qcf2-resolve-problems')?.evidenceRequirements).toContainEqual({ key: '4.e', ref: 'e', kind: 'evidence-requirement-item', text: 'a problem caused by a lack of resources or human error.', group: '4' });
  });
});
