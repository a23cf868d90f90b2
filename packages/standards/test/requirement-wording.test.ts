import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildUnitIndex, isWordless, type Unit } from '../src/index.ts';
import { DEFAULT_STANDARDS_DIR, inspectCatalogue, loadCatalogue } from '../src/loader/index.ts';

const COMMENT = '# yaml-language-server: $schema=../schema/requirement-wording.schema.json';
const dirs: string[] = [];

/** A copy of the real catalogue with a centre's wording file added to one qualification's folder. */
function withWording(folder: string, yaml: string, comment = COMMENT): string {
  const dir = mkdtempSync(join(tmpdir(), 'attest-wording-'));
  dirs.push(dir);
  cpSync(DEFAULT_STANDARDS_DIR, dir, { recursive: true });
  writeFileSync(join(dir, folder, 'requirement-wording.yaml'), `${comment}\n${yaml}`);
  return dir;
}

const WORDING = `qualification: nvq2-customer-service
source: { document: "Evidence requirements for the NVQ 2 in Customer Service (the centre's copy)", suppliedBy: "Northfield College" }
units:
  - unit: nvq2-cs-202
    requirements:
      - { ref: "1", text: "Evidence must come from your real job, with real customers." }
      - { ref: "4.a", text: "Customers you deal with face to face." }
`;

const unitIn = (units: readonly Unit[], id: string) => units.find((u) => u.id === id) as Unit;
const errorsOf = (dir: string) => inspectCatalogue(dir).findings.filter((f) => f.severity === 'error').map((f) => ({ file: f.file, path: f.path.join('.'), code: f.code, message: f.message }));

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a centre’s wording for evidence requirements the source prints blank', () => {
  it('is none in the catalogue as shipped: unit 202’s requirements have no wording', () => {
    const unit = unitIn(loadCatalogue().units, 'nvq2-cs-202');
    expect(unit.evidenceRequirements.every(isWordless)).toBe(true);
  });

  it('words the requirements it names, says where the wording comes from, and leaves the others blank', () => {
    const unit = unitIn(loadCatalogue(withWording('nvq2-customer-service', WORDING)).units, 'nvq2-cs-202');
    const byRef = new Map(unit.evidenceRequirements.map((r) => [r.ref, r]));
    expect(byRef.get('1')).toMatchObject({ text: 'Evidence must come from your real job, with real customers.', wordingSource: "Evidence requirements for the NVQ 2 in Customer Service (the centre's copy), supplied by Northfield College" });
    expect(byRef.get('4.a')?.text).toBe('Customers you deal with face to face.');
    expect(isWordless(byRef.get('2') as Unit['evidenceRequirements'][number])).toBe(true);
    // Worded, it is a requirement like any other: the index carries its text.
    expect(buildUnitIndex(unit).requirements.find((r) => r.key === '1')?.text).toBe('Evidence must come from your real job, with real customers.');
    // Other units of the qualification are untouched.
    expect(unitIn(loadCatalogue(withWording('nvq2-customer-service', WORDING)).units, 'nvq2-cs-201').evidenceRequirements.every(isWordless)).toBe(true);
  });

  it.each([
    { what: 'a unit not in the folder', folder: 'nvq2-customer-service', yaml: WORDING.replace('unit: nvq2-cs-202', 'unit: nvq2-cs-299'), code: 'unknown_reference', path: 'units.0.unit', message: /no unit nvq2-cs-299/ },
    { what: 'a requirement the unit does not print', folder: 'nvq2-customer-service', yaml: WORDING.replace('ref: "4.a"', 'ref: "9"'), code: 'unknown_reference', path: 'units.0.requirements.1.ref', message: /no evidence requirement 9/ },
    { what: 'a requirement worded twice', folder: 'nvq2-customer-service', yaml: WORDING.replace('ref: "4.a"', 'ref: "1"'), code: 'wording_conflict', path: 'units.0.requirements.1.ref', message: /worded twice/ },
    {
      what: 'a requirement the source already words',
      folder: 'customer-service-element-format',
      yaml: 'qualification: customer-service-element-format\nsource: { document: "d", suppliedBy: "c" }\nunits:\n  - unit: cs-310\n    requirements:\n      - { ref: "1", text: "Other words." }\n',
      code: 'wording_conflict',
      path: 'units.0.requirements.0.ref',
      message: /already has the source's wording/,
    },
    { what: 'another qualification', folder: 'nvq2-customer-service', yaml: WORDING.replace('qualification: nvq2-customer-service', 'qualification: ocr-customer-service'), code: 'qualification_mismatch', path: 'qualification', message: /ocr-customer-service/ },
    { what: 'a misspelt key', folder: 'nvq2-customer-service', yaml: WORDING.replace('suppliedBy:', 'supplied:'), code: 'schema_violation', path: 'source', message: /supplied/ },
  ])('refuses $what, naming the file and path, and words nothing', ({ folder, yaml, code, path, message }) => {
    const dir = withWording(folder, yaml);
    const errors = errorsOf(dir);
    const match = errors.find((e) => e.code === code && e.path === path);
    expect(match, JSON.stringify(errors, null, 2)).toBeDefined();
    expect(match?.file).toBe(`${folder}/requirement-wording.yaml`);
    expect(match?.message).toMatch(message);
    expect(() => loadCatalogue(dir)).toThrow(/requirement-wording\.yaml/);
  });

  it('asks for the schema comment, so editors check the file as it is typed', () => {
    const errors = errorsOf(withWording('nvq2-customer-service', WORDING, '# wording'));
    expect(errors.find((e) => e.code === 'schema_comment_missing')?.file).toBe('nvq2-customer-service/requirement-wording.yaml');
  });
});
