import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acceptAttribute, cleanFileName, EVIDENCE_FILE_KINDS } from '../src/rules.ts';

const srcDirectory = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Every module `rules.ts` pulls in, following relative imports. */
async function importGraph(entry: string): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() ?? '';
    if (seen.has(file)) continue;
    const source = await readFile(join(srcDirectory, file), 'utf8');
    seen.set(file, source);
    for (const match of source.matchAll(/from '\.\/([^']+)'/g)) pending.push(match[1] ?? '');
  }
  return seen;
}

describe('the browser-safe rules entry point', () => {
  it('imports nothing from Node, so the learner UI can bundle it', async () => {
    const graph = await importGraph('rules.ts');
    expect([...graph.keys()].sort()).toEqual(['clean-file-name.ts', 'evidence-file-error.ts', 'evidence-file-kinds.ts', 'file-types.ts', 'rules.ts']);
    for (const [file, source] of graph) {
      expect({ file, importsNode: /from 'node:|\bBuffer\b|require\(/.test(source) }).toEqual({ file, importsNode: false });
    }
  });

  it('gives each kind an accept attribute listing its extensions and MIME types', () => {
    const photo = acceptAttribute('photo').split(',');
    expect(photo).toEqual(expect.arrayContaining(['.jpg', '.jpeg', 'image/jpeg', '.heic', 'image/heic', '.png']));
    expect(photo).not.toContain('.pdf');
    for (const kind of EVIDENCE_FILE_KINDS) expect(acceptAttribute(kind)).not.toMatch(/\.(exe|html|svg|zip)\b/);
  });

  it('cleans names in the browser exactly as the server does', () => {
    expect(cleanFileName(' C:\\fakepath\\Site\u202e visit.JPG. ')).toEqual({ originalName: ' C:\\fakepath\\Site\u202e visit.JPG. ', fileName: 'Site visit.JPG', extension: 'jpg' });
    expect(cleanFileName('Report v2.1')).toMatchObject({ fileName: 'Report v2.1', extension: undefined });
  });
});
