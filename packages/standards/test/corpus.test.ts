import { describe, expect, it } from 'vitest';
import { digestCorpus, readRecorded } from './corpus/corpus-digests.ts';
import { corpusCases } from './corpus/generate-corpus.ts';

// Every verdict of the golden corpus, byte for byte (JSON.stringify), as recorded by
// `corpus:record` with the engine this one replaced (the packed engine of commit 2a97204, with the
// catalogue's errata applied on load, decision 24). A change here is a change in what learners and
// assessors are told: record again only when it is meant.

// Generating and evaluating 8,070 portfolios takes a few seconds, more on a busy machine: the bound
// is generous, as it only stops a hung run.
describe('the golden corpus of verdicts', () => {
  it('gives every one of the recorded evaluations the verdict recorded for it, byte for byte', { timeout: 300_000 }, () => {
    const recorded = readRecorded();
    const now = digestCorpus();
    expect(recorded.evaluations).toBeGreaterThanOrEqual(8070);
    expect(now.evaluations).toBe(recorded.evaluations);
    const first = now.digests.findIndex((digest, n) => digest !== recorded.digests[n]);
    if (first >= 0) {
      const changed = [...corpusCases()][first];
      const count = now.digests.filter((digest, n) => digest !== recorded.digests[n]).length;
      expect.fail(
        `${count} of ${now.evaluations} verdicts differ; the first is case ${first} (unit ${changed?.unit.id}, asOf ${changed?.options.asOf}, ${changed?.facts.evidence.length} evidence items). ` +
          `Compare \`npx pnpm@10.34.9 --filter @attest/standards run corpus:show ${first}\` here and on the commit that recorded test/corpus/verdicts.txt.`,
      );
    }
    expect(now.total).toBe(recorded.total);
  });
});
