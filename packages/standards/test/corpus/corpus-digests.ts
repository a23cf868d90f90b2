import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateUnit } from '../../src/index.ts';
import { corpusCases, type CorpusCase } from './generate-corpus.ts';

export const RECORDED_FILE = join(import.meta.dirname, 'verdicts.txt');

/** The verdict exactly as a client receives it: byte-identical means this string is. */
export const verdictText = (c: CorpusCase): string => JSON.stringify(evaluateUnit(c.unit, c.facts, c.options));

/** Eight hex digits per verdict say which evaluation changed; the total's full SHA-256 is what proves none did. */
export const shortDigest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

export type CorpusDigests = { evaluations: number; total: string; digests: string[] };

export function digestCorpus(): CorpusDigests {
  const total = createHash('sha256');
  const digests: string[] = [];
  for (const c of corpusCases()) {
    const text = verdictText(c);
    total.update(text).update('\n');
    digests.push(shortDigest(text));
  }
  return { evaluations: digests.length, total: total.digest('hex'), digests };
}

const HEADER = '# evaluateUnit verdicts over test/corpus/generate-corpus.ts: one SHA-256 prefix per evaluation, in case order. Record again only with `npx pnpm@10.34.9 --filter @attest/standards run corpus:record` on an engine known to be right.';

export function writeRecorded(recorded: CorpusDigests): void {
  writeFileSync(RECORDED_FILE, [HEADER, `evaluations ${recorded.evaluations}`, `total ${recorded.total}`, ...recorded.digests, ''].join('\n'));
}

export function readRecorded(): CorpusDigests {
  const lines = readFileSync(RECORDED_FILE, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  const [evaluations, total, ...digests] = lines;
  return { evaluations: Number(evaluations?.replace('evaluations ', '')), total: total?.replace('total ', '') ?? '', digests };
}
