import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as contracts from '../src/index.ts';
import { isSafeText, safeText } from '../src/index.ts';

// Every string in every schema this package exports must refuse U+0000 and unpaired surrogates
// (PostgreSQL cannot store the one, UTF-8 cannot carry the other). Rather than list fields, the
// test walks each exported schema's definition and checks every string node it reaches, so a
// field added later with a bare z.string() fails here.

interface SchemaDef {
  readonly type: string;
  readonly checks?: readonly { _zod: { def: { format?: unknown; pattern?: unknown } } }[];
  readonly [key: string]: unknown;
}
interface AnySchema {
  readonly _zod: { def: SchemaDef };
  safeParse(value: unknown): z.ZodSafeParseResult<unknown>;
}

const isSchema = (value: unknown): value is AnySchema => typeof value === 'object' && value !== null && '_zod' in value;

/** Every string schema reachable from `root`, with the path that leads to it. */
function stringNodes(root: AnySchema, rootPath: string): { path: string; schema: AnySchema }[] {
  const found: { path: string; schema: AnySchema }[] = [];
  const seen = new Set<unknown>();
  const visit = (schema: AnySchema, path: string) => {
    if (seen.has(schema)) return;
    seen.add(schema);
    const def = schema._zod.def;
    if (def.type === 'string') found.push({ path, schema });
    const visitValue = (value: unknown, at: string) => {
      if (isSchema(value)) visit(value, at);
      else if (Array.isArray(value)) value.forEach((entry, i) => visitValue(entry, `${at}[${i}]`));
    };
    for (const [key, value] of Object.entries(def)) {
      if (key === 'checks') continue;
      // A pipe's output schema only ever sees what its input schema accepted.
      if (def.type === 'pipe' && key === 'out') continue;
      if (key === 'shape' && typeof value === 'object' && value !== null) {
        for (const [field, fieldSchema] of Object.entries(value)) visitValue(fieldSchema, `${path}.${field}`);
      } else {
        visitValue(value, `${path}<${key}>`);
      }
    }
  };
  visit(root, rootPath);
  return found;
}

const exportedSchemas = Object.entries(contracts as Record<string, unknown>).filter((entry): entry is [string, AnySchema] => isSchema(entry[1]));
const requestSchemas = exportedSchemas.filter(([name]) => name.endsWith('RequestSchema'));

/** Whether a string node checks its text with a regular expression (a format like a date or a digest). */
const hasPattern = (schema: AnySchema) => (schema._zod.def.checks ?? []).some((check) => check._zod.def.format !== undefined || check._zod.def.pattern !== undefined);

const reasonsFor = (schema: AnySchema, text: string): unknown[] => {
  const result = schema.safeParse(text);
  return result.success ? [] : result.error.issues.map((issue) => (issue as { params?: { reason?: unknown } }).params?.reason ?? issue.code);
};

describe('safeText', () => {
  it('refuses NUL and unpaired surrogates anywhere, and accepts every other text, including paired surrogates', () => {
    for (const text of ['\u0000', 'before\u0000after', 'a\uD800', '\uD800b', 'a\uDC00b', '\uDC00\uD800']) {
      expect(isSafeText(text), JSON.stringify(text)).toBe(false);
      expect(safeText().safeParse(text).success, JSON.stringify(text)).toBe(false);
    }
    for (const text of ['', 'plain', 'Mrs P, returns desk — “quoted”', 'emoji 😀 and 𝔘', '\u0001\u001f tab\t newline\n', '\uFFFD']) {
      expect(isSafeText(text), JSON.stringify(text)).toBe(true);
      expect(safeText().safeParse(text).success, JSON.stringify(text)).toBe(true);
    }
  });

  it('names the reason on the field it refuses', () => {
    expect(reasonsFor(safeText() as unknown as AnySchema, 'x\u0000')).toEqual(['text_contains_nul']);
    expect(reasonsFor(safeText() as unknown as AnySchema, 'x\uD800')).toEqual(['text_contains_lone_surrogate']);
  });
});

describe('every exported schema', () => {
  it('exports the request schemas the API validates', () => {
    expect(requestSchemas.map(([name]) => name)).toEqual(expect.arrayContaining(['CreateEvidenceRequestSchema', 'UpdateEvidenceRequestSchema', 'UpdateMappingsRequestSchema']));
    expect(requestSchemas.length).toBeGreaterThan(10);
  });

  const nodes = exportedSchemas.flatMap(([name, schema]) => stringNodes(schema, name));

  it('has string fields to check', () => {
    expect(nodes.length).toBeGreaterThan(100);
  });

  it.each(requestSchemas.map(([name]) => name))('%s has every string field refuse NUL and a lone surrogate', (name) => {
    const schema = exportedSchemas.find(([exported]) => exported === name)![1];
    for (const node of stringNodes(schema, name)) {
      const nul = reasonsFor(node.schema, 'ok\u0000ok');
      const surrogate = reasonsFor(node.schema, 'ok\uD83Dok');
      if (hasPattern(node.schema)) {
        // A format (a calendar date, a digest) already refuses any text outside its pattern.
        expect(nul.length, `${node.path} with NUL`).toBeGreaterThan(0);
        expect(surrogate.length, `${node.path} with a lone surrogate`).toBeGreaterThan(0);
      } else {
        expect(nul, `${node.path} with NUL`).toContain('text_contains_nul');
        expect(surrogate, `${node.path} with a lone surrogate`).toContain('text_contains_lone_surrogate');
      }
    }
  });

  it('response and shared schemas refuse them too (every string node of every export)', () => {
    const unguarded = nodes.filter((node) => !hasPattern(node.schema) && !reasonsFor(node.schema, 'ok\u0000ok').includes('text_contains_nul')).map((node) => node.path);
    expect(unguarded).toEqual([]);
  });
});
