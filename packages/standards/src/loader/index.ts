import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { checkCatalogue, formatPath, type CatalogueFile, type Finding } from '../check-catalogue.ts';
import { applyErrata } from '../apply-errata.ts';
import { applyRequirementWording } from '../apply-requirement-wording.ts';
import { buildJsonSchemas } from '../json-schemas.ts';
import type { Catalogue, RequirementWording } from '../unit-schema.ts';

/** The repository's `standards/` folder, found from this file so it works from any working directory. */
export const DEFAULT_STANDARDS_DIR = fileURLToPath(new URL('../../../../standards/', import.meta.url));

export type LocatedFinding = Finding & { line: number | null; column: number | null };

export class CatalogueError extends Error {
  readonly findings: LocatedFinding[];
  constructor(findings: LocatedFinding[]) {
    const errors = findings.filter((f) => f.severity === 'error');
    super(`the standards catalogue has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.map(formatFinding).join('\n')}`);
    this.name = 'CatalogueError';
    this.findings = findings;
  }
}

export function formatFinding(f: LocatedFinding): string {
  const where = f.line === null ? f.file : `${f.file}:${f.line}:${f.column ?? 1}`;
  const path = f.path.length > 0 ? ` ${formatPath(f.path)}:` : '';
  return `${f.severity === 'error' ? 'error' : 'warning'} ${where}${path} ${f.message} [${f.code}]`;
}

function listYamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name === 'schema' || name === 'node_modules') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listYamlFiles(full));
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

/** Reads, validates and cross-checks every data file, returning every finding with its line. */
export function inspectCatalogue(dir: string = DEFAULT_STANDARDS_DIR): Catalogue & { wordings: RequirementWording[]; findings: LocatedFinding[] } {
  const files: CatalogueFile[] = [];
  const documents = new Map<string, { doc: Document; lines: LineCounter }>();
  const early: LocatedFinding[] = [];
  for (const full of listYamlFiles(dir)) {
    const path = relative(dir, full).split('\\').join('/');
    const text = readFileSync(full, 'utf8');
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = lines.linePos(e.pos[0]);
        early.push({ severity: 'error', file: path, path: [], code: 'schema_violation', message: `not valid YAML: ${e.message.split('\n')[0]}`, line: pos.line, column: pos.col });
      }
      continue;
    }
    documents.set(path, { doc, lines });
    const kind = /(^|\/)qualification\.ya?ml$/.test(path) ? 'qualification' : /(^|\/)requirement-wording\.ya?ml$/.test(path) ? 'requirement-wording' : 'unit';
    files.push({ path, kind, firstLine: text.split('\n', 1)[0] ?? '', data: doc.toJS() });
  }
  const { findings, qualifications, units, wordings } = checkCatalogue(files);
  const located = findings.map((f) => locate(f, documents.get(f.file)));
  return { qualifications, units, wordings, findings: [...early, ...located] };
}

function locate(f: Finding, source: { doc: Document; lines: LineCounter } | undefined): LocatedFinding {
  if (!source) return { ...f, line: null, column: null };
  // Point at the deepest node that exists: a missing key is reported where its object is.
  for (let depth = f.path.length; depth >= 0; depth--) {
    const node = depth === 0 ? source.doc.contents : source.doc.getIn(f.path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const pos = source.lines.linePos(node.range[0]);
      return { ...f, line: pos.line, column: pos.col };
    }
  }
  return { ...f, line: null, column: null };
}

/** Compares the committed JSON Schemas with the ones the zod model generates now. */
export function findStaleSchemas(dir: string = DEFAULT_STANDARDS_DIR): LocatedFinding[] {
  return Object.entries(buildJsonSchemas()).flatMap(([name, expected]) => {
    let actual: string | null = null;
    try {
      actual = readFileSync(join(dir, 'schema', name), 'utf8');
    } catch {
      actual = null;
    }
    if (actual === expected) return [];
    return [{ severity: 'error' as const, file: `schema/${name}`, path: [], code: 'schema_stale' as const, message: `${actual === null ? 'is missing' : 'is out of date with the zod model'}: run \`npx pnpm@10.34.9 --filter @attest/standards run schema\` and commit the result`, line: null, column: null }];
  });
}

/**
 * Loads the validated catalogue, or throws a CatalogueError listing every problem with file and
 * path. Units come with their errata applied (corrected refs and wording, the printed form kept
 * beside them) and with the wording a centre supplied for requirements the source prints blank;
 * `inspectCatalogue` shows the data as written.
 */
export function loadCatalogue(dir: string = DEFAULT_STANDARDS_DIR): Catalogue {
  const { qualifications, units, wordings, findings } = inspectCatalogue(dir);
  if (findings.some((f) => f.severity === 'error')) throw new CatalogueError(findings);
  return { qualifications, units: units.map((unit) => applyErrata(applyRequirementWording(unit, wordings))) };
}
