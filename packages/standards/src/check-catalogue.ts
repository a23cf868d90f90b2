import type { z } from 'zod';
import { buildUnitIndex } from './unit-index.ts';
import { QualificationSchema, RequirementWordingSchema, UnitSchema, type Qualification, type RequirementWording, type Unit } from './unit-schema.ts';

/** One data file as read from disk; the loader does the reading, this module only judges. */
export type CatalogueFile = { path: string; kind: 'unit' | 'qualification' | 'requirement-wording'; firstLine: string; data: unknown };

export type FindingCode =
  | 'schema_comment_missing'
  | 'schema_violation'
  | 'qualification_missing'
  | 'qualification_mismatch'
  | 'duplicate_id'
  | 'duplicate_ref'
  | 'ref_mismatch'
  | 'duplicate_statement'
  | 'unknown_reference'
  | 'ambiguous_reference'
  | 'rule_impossible'
  | 'sign_off_missing'
  | 'erratum_mismatch'
  | 'source_erratum'
  | 'text_whitespace'
  | 'schema_stale'
  | 'unit_list_mismatch'
  | 'loader_field'
  | 'wording_conflict';

export type Finding = { severity: 'error' | 'warning'; file: string; path: (string | number)[]; code: FindingCode; message: string };

// Findings a recorded erratum explains are the source's fault, not the transcriber's.
const EXPLAINED_BY_ERRATA: ReadonlySet<FindingCode> = new Set(['duplicate_statement', 'ref_mismatch', 'duplicate_ref', 'sign_off_missing']);

export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, segment) => (typeof segment === 'number' ? `${out}[${segment}]` : out === '' ? segment : `${out}.${segment}`), '');
}

function parsePath(path: string): (string | number)[] | null {
  const segments: (string | number)[] = [];
  const pattern = /([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\./gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(path)) !== null) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    consumed = pattern.lastIndex;
  }
  return consumed === path.length && segments.length > 0 ? segments : null;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

const SCHEMA_COMMENT = {
  unit: '# yaml-language-server: $schema=../schema/unit.schema.json',
  qualification: '# yaml-language-server: $schema=../schema/qualification.schema.json',
  'requirement-wording': '# yaml-language-server: $schema=../schema/requirement-wording.schema.json',
} as const;

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[\s\u00a0]+/g, ' ').replace(/[.;:,\s]+$/, '').trim();
}

/**
 * The fields the loader fills in from the errata (apply-errata.ts) or a centre's wording
 * (apply-requirement-wording.ts); a data file records an erratum, or the centre's file the wording.
 */
function loaderFieldsIn(file: string, unit: Unit): Finding[] {
  const found: Finding[] = [];
  const refuse = (path: (string | number)[], field: string) => found.push({ severity: 'error', file, path: [...path, field], code: 'loader_field', message: field === 'wordingSource' ? '`wordingSource` is filled in by the loader: put a centre’s wording in requirement-wording.yaml beside the qualification' : `\`${field}\` is filled in by the loader from the unit's errata: record the printing error under \`errata\` instead` });
  if (unit.printedTitle !== undefined) refuse([], 'printedTitle');
  unit.evidenceRequirements.forEach((requirement, r) => {
    if (requirement.wordingSource !== undefined) refuse(['evidenceRequirements', r], 'wordingSource');
  });
  unit.groups.forEach((group, g) =>
    group.statements.forEach((statement, s) => {
      if (statement.printedRef !== undefined) refuse(['groups', g, 'statements', s], 'printedRef');
      if (statement.printedText !== undefined) refuse(['groups', g, 'statements', s], 'printedText');
    }),
  );
  return found;
}

function zodFindings(file: string, data: unknown, error: z.ZodError): Finding[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const isMissing = issue.code === 'invalid_type' && path.length > 0 && valueAt(data, path) === undefined;
    return { severity: 'error', file, path, code: 'schema_violation', message: isMissing ? `required field \`${String(path[path.length - 1])}\` is missing` : issue.message };
  });
}

/**
 * Validates every file against the schema and the semantic rules the schema cannot express, and
 * collects every finding rather than stopping at the first (the author fixes them in one go).
 */
export function checkCatalogue(files: readonly CatalogueFile[]): { findings: Finding[]; qualifications: Qualification[]; units: Unit[]; wordings: RequirementWording[] } {
  const findings: Finding[] = [];
  const qualifications: Qualification[] = [];
  const units: { file: string; unit: Unit; data: unknown }[] = [];
  const qualificationByFolder = new Map<string, { file: string; id: string }>();
  const qualificationIds = new Map<string, string>();

  for (const file of files) {
    if (file.firstLine.trim() !== SCHEMA_COMMENT[file.kind]) {
      findings.push({ severity: 'error', file: file.path, path: [], code: 'schema_comment_missing', message: `the first line must be \`${SCHEMA_COMMENT[file.kind]}\` so editors can check the file as you type` });
    }
    if (file.kind === 'qualification') {
      const parsed = QualificationSchema.safeParse(file.data);
      if (!parsed.success) {
        findings.push(...zodFindings(file.path, file.data, parsed.error));
        continue;
      }
      const other = qualificationIds.get(parsed.data.id);
      if (other) findings.push({ severity: 'error', file: file.path, path: ['id'], code: 'duplicate_id', message: `qualification id ${parsed.data.id} is already used by ${other}` });
      qualificationIds.set(parsed.data.id, file.path);
      qualificationByFolder.set(folderOf(file.path), { file: file.path, id: parsed.data.id });
      qualifications.push(parsed.data);
      (parsed.data.errata ?? []).forEach((erratum, e) => {
        findings.push({ severity: 'warning', file: file.path, path: ['errata', e], code: 'source_erratum', message: `source erratum at ${erratum.at}: printed ${JSON.stringify(erratum.source)}; should read ${JSON.stringify(erratum.correction)} (${erratum.note})` });
      });
    }
  }

  const unitIds = new Map<string, string>();
  for (const file of files) {
    if (file.kind !== 'unit') continue;
    const parsed = UnitSchema.safeParse(file.data);
    if (!parsed.success) {
      findings.push(...zodFindings(file.path, file.data, parsed.error));
      continue;
    }
    const unit = parsed.data;
    const other = unitIds.get(unit.id);
    if (other) findings.push({ severity: 'error', file: file.path, path: ['id'], code: 'duplicate_id', message: `unit id ${unit.id} is already used by ${other}` });
    unitIds.set(unit.id, file.path);
    const folderQualification = qualificationByFolder.get(folderOf(file.path));
    if (!folderQualification) {
      findings.push({ severity: 'error', file: file.path, path: ['qualification'], code: 'qualification_missing', message: `there is no valid qualification.yaml beside this unit in ${folderOf(file.path) || 'the catalogue root'}` });
    } else if (folderQualification.id !== unit.qualification) {
      findings.push({ severity: 'error', file: file.path, path: ['qualification'], code: 'qualification_mismatch', message: `names qualification ${unit.qualification}, but this folder's ${folderQualification.file} has id ${folderQualification.id}` });
    }
    findings.push(...checkUnit(file.path, unit, file.data));
    findings.push(...loaderFieldsIn(file.path, unit));
    units.push({ file: file.path, unit, data: file.data });
  }

  for (const qualification of qualifications) {
    if (!qualification.units) continue;
    const file = qualificationIds.get(qualification.id) ?? '';
    const inFolder = units.filter((u) => folderOf(u.file) === folderOf(file)).map((u) => u.unit.id);
    qualification.units.forEach((id, i) => {
      if (!inFolder.includes(id)) findings.push({ severity: 'error', file, path: ['units', i], code: 'unit_list_mismatch', message: `lists unit ${id}, but no valid unit file in this folder has that id` });
    });
    for (const id of inFolder) {
      if (!qualification.units.includes(id)) findings.push({ severity: 'error', file, path: ['units'], code: 'unit_list_mismatch', message: `does not list unit ${id}, which is in this folder` });
    }
  }

  const wordings: RequirementWording[] = [];
  for (const file of files) {
    if (file.kind !== 'requirement-wording') continue;
    const parsed = RequirementWordingSchema.safeParse(file.data);
    if (!parsed.success) {
      findings.push(...zodFindings(file.path, file.data, parsed.error));
      continue;
    }
    const wordingFindings = checkWording(file.path, parsed.data, qualificationByFolder.get(folderOf(file.path)), units.filter((u) => folderOf(u.file) === folderOf(file.path)).map((u) => u.unit));
    findings.push(...wordingFindings);
    if (!wordingFindings.some((f) => f.severity === 'error')) wordings.push(parsed.data);
  }

  return { findings, qualifications, units: units.map((u) => u.unit), wordings };
}

/**
 * A centre's wording may only fill in what the source leaves blank: a requirement of a unit of this
 * folder's qualification, printed without wording, worded once.
 */
function checkWording(file: string, wording: RequirementWording, qualification: { id: string } | undefined, unitsInFolder: readonly Unit[]): Finding[] {
  const out: Finding[] = [];
  const error = (path: (string | number)[], code: FindingCode, message: string) => out.push({ severity: 'error', file, path, code, message });
  if (!qualification) error(['qualification'], 'qualification_missing', `there is no valid qualification.yaml beside this file in ${folderOf(file) || 'the catalogue root'}`);
  else if (qualification.id !== wording.qualification) error(['qualification'], 'qualification_mismatch', `names qualification ${wording.qualification}, but this folder's qualification has id ${qualification.id}`);
  wording.units.forEach((entry, u) => {
    const unit = unitsInFolder.find((candidate) => candidate.id === entry.unit);
    if (!unit) {
      error(['units', u, 'unit'], 'unknown_reference', `there is no unit ${entry.unit} in this folder`);
      return;
    }
    const worded = new Set<string>();
    entry.requirements.forEach((requirement, r) => {
      const path = ['units', u, 'requirements', r, 'ref'];
      const printed = unit.evidenceRequirements.find((candidate) => candidate.ref === requirement.ref);
      if (!printed) error(path, 'unknown_reference', `unit ${unit.id} has no evidence requirement ${requirement.ref}`);
      else if (printed.text !== null) error(path, 'wording_conflict', `evidence requirement ${requirement.ref} of unit ${unit.id} already has the source's wording; a centre only words what the source leaves blank`);
      else if (worded.has(requirement.ref)) error(path, 'wording_conflict', `evidence requirement ${requirement.ref} of unit ${unit.id} is worded twice in this file`);
      worded.add(requirement.ref);
    });
  });
  return out;
}

function checkUnit(file: string, unit: Unit, data: unknown): Finding[] {
  const out: Finding[] = [];
  const error = (path: (string | number)[], code: FindingCode, message: string) => out.push({ severity: 'error', file, path, code, message });

  const walkText = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string') {
      if (/\s{2,}|^\s|\s$/.test(value) && path[path.length - 1] !== 'note' && path[path.length - 1] !== 'basis') error(path, 'text_whitespace', 'text has leading, trailing or repeated spaces: collapse runs of whitespace to one space');
    } else if (Array.isArray(value)) value.forEach((v, i) => walkText(v, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== 'errata') walkText(v, [...path, k]);
  };
  walkText(data, []);

  const groupRefs = new Map<string, number>();
  const statementRefs = new Map<string, string>();
  const texts = new Map<string, { path: string; group: number }>();
  unit.groups.forEach((group, g) => {
    if (group.ref !== null) {
      if (groupRefs.has(group.ref)) error(['groups', g, 'ref'], 'duplicate_ref', `group ref ${group.ref} is already used by groups[${groupRefs.get(group.ref)}]`);
      groupRefs.set(group.ref, g);
      if (group.ref.includes('.') && unit.codes.length > 0 && !unit.codes.includes(group.ref.split('.')[0] ?? '')) {
        error(['groups', g, 'ref'], 'ref_mismatch', `group ref ${group.ref} does not start with one of this unit's codes (${unit.codes.join(', ')})`);
      }
    }
    group.statements.forEach((statement, s) => {
      const path = ['groups', g, 'statements', s];
      const key = `${statement.kind}:${statement.ref}`;
      const seen = statementRefs.get(key);
      if (seen) error([...path, 'ref'], 'duplicate_ref', `${statement.kind} ${statement.ref} is already used at ${seen}`);
      statementRefs.set(key, formatPath(path));
      if (group.ref !== null && statement.ref.includes('.') && !statement.ref.startsWith(`${group.ref}.`)) {
        error([...path, 'ref'], 'ref_mismatch', `statement ${statement.ref} sits in group ${group.ref}, but its ref does not start with ${group.ref}.`);
      } else if (statement.ref.split('.').length >= 3 && unit.codes.length > 0 && !unit.codes.includes(statement.ref.split('.')[0] ?? '')) {
        error([...path, 'ref'], 'ref_mismatch', `statement ${statement.ref} does not start with one of this unit's codes (${unit.codes.join(', ')})`);
      }
      const normal = normalise(statement.text);
      const twin = texts.get(normal);
      // Standards repeat a statement across elements (making and receiving calls both "summarise
      // the outcome"), so only a repeat inside one element is an error.
      if (twin && twin.group === g) error([...path, 'text'], 'duplicate_statement', `the same statement text already appears at ${twin.path}, in the same group`);
      else if (twin) out.push({ severity: 'warning', file, path: [...path, 'text'], code: 'duplicate_statement', message: `the same statement text also appears at ${twin.path}, in another group: check the source prints it twice` });
      else texts.set(normal, { path: formatPath(path), group: g });
    });
  });

  const scopeRefs = new Map<string, number>();
  unit.scope.forEach((group, g) => {
    if (group.ref !== null) {
      if (scopeRefs.has(group.ref)) error(['scope', g, 'ref'], 'duplicate_ref', `scope group ref ${group.ref} is already used by scope[${scopeRefs.get(group.ref)}]`);
      scopeRefs.set(group.ref, g);
    }
    const items = new Set<string>();
    group.items.forEach((item, i) => {
      if (items.has(item.ref)) error(['scope', g, 'items', i, 'ref'], 'duplicate_ref', `item ${item.ref} appears twice in this scope group`);
      items.add(item.ref);
    });
  });
  const index = buildUnitIndex(unit);
  const scopeKeys = new Set<string>();
  index.scopeItems.forEach((item) => {
    if (scopeKeys.has(item.key)) error(['scope'], 'duplicate_ref', `scope item key ${item.key} is used twice; give the groups refs`);
    scopeKeys.add(item.key);
  });
  const requirementRefs = new Set<string>();
  unit.evidenceRequirements.forEach((requirement, r) => {
    if (requirementRefs.has(requirement.ref)) error(['evidenceRequirements', r, 'ref'], 'duplicate_ref', `evidence requirement ${requirement.ref} appears twice`);
    requirementRefs.add(requirement.ref);
    const items = new Set<string>();
    (requirement.items ?? []).forEach((item, i) => {
      if (items.has(item.ref)) error(['evidenceRequirements', r, 'items', i, 'ref'], 'duplicate_ref', `item ${item.ref} appears twice in evidence requirement ${requirement.ref}`);
      items.add(item.ref);
    });
  });

  unit.assessmentRules.forEach((rule, r) => {
    const base = ['assessmentRules', r];
    const statementList = 'statements' in rule ? rule.statements : [];
    statementList.forEach((name, i) => {
      const found = index.findStatement(name);
      if (found === 'ambiguous') error([...base, 'statements', i], 'ambiguous_reference', `statement ref ${name} is printed more than once in this unit; write it as kind:ref, e.g. pc:${name} or k:${name}`);
      else if (found === undefined) error([...base, 'statements', i], 'unknown_reference', `names statement ${name}, which this unit does not have`);
    });
    if (rule.kind === 'scope-observation' || (rule.kind === 'scope-coverage' && rule.items !== 'all')) {
      const items = rule.items as string[];
      items.forEach((key, i) => {
        if (index.findScopeItem(key) === undefined) error([...base, 'items', i], 'unknown_reference', `names scope item ${key}, which this unit does not have (scope item keys: ${index.scopeItems.map((s) => s.key).join(', ') || 'none'})`);
      });
    }
    if (rule.kind === 'scope-observation' && rule.min > rule.items.length) error([...base, 'min'], 'rule_impossible', `asks for ${rule.min} observed items out of only ${rule.items.length}`);
    if (rule.kind === 'scope-coverage' && rule.items === 'all' && unit.scope.length === 0) error([...base, 'items'], 'rule_impossible', 'asks for all scope items to be covered, but the unit has no scope');
    if (rule.kind === 'evidence-required') {
      rule.requirements.forEach((key, i) => {
        if (index.findRequirement(key) === undefined) error([...base, 'requirements', i], 'unknown_reference', `names evidence requirement ${key}, which this unit does not have`);
      });
    }
    if (rule.evidenceRequirement !== undefined && index.findRequirement(rule.evidenceRequirement) === undefined) {
      error([...base, 'evidenceRequirement'], 'unknown_reference', `names evidence requirement ${rule.evidenceRequirement}, which this unit does not have`);
    }
  });

  if (unit.signOff.length === 0) error(['signOff'], 'sign_off_missing', 'every unit needs a sign-off chain (at least the assessor)');
  else if (!unit.signOff.some((s) => s.role === 'assessor')) error(['signOff'], 'sign_off_missing', 'the sign-off chain has no assessor');

  const explained = new Set<string>();
  (unit.errata ?? []).forEach((erratum, e) => {
    const path = parsePath(erratum.at);
    const actual = path ? valueAt(data, path) : undefined;
    if (!path || actual === undefined) {
      error(['errata', e, 'at'], 'erratum_mismatch', `${erratum.at} is not a path inside this file`);
      return;
    }
    // An erratum on a list or object (a missing sign-off block) describes the source in words.
    if (typeof actual === 'string' && actual !== erratum.source) {
      error(['errata', e, 'source'], 'erratum_mismatch', `the data at ${erratum.at} reads ${JSON.stringify(actual)}, not the erratum's source ${JSON.stringify(erratum.source)}: the data must keep the source wording`);
      return;
    }
    explained.add(formatPath(path));
    out.push({ severity: 'warning', file, path, code: 'source_erratum', message: `source erratum: printed ${JSON.stringify(erratum.source)}; should read ${JSON.stringify(erratum.correction)} (${erratum.note})` });
  });

  return out.map((f) => (f.severity === 'error' && EXPLAINED_BY_ERRATA.has(f.code) && explained.has(formatPath(f.path)) ? { ...f, severity: 'warning', message: `${f.message} (kept as printed; see errata)` } : f));
}
