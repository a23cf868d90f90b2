import { corpusCases } from './generate-corpus.ts';
import { verdictText } from './corpus-digests.ts';

// `corpus:show <number>`: one case's unit, facts, options and verdict, to diff between two commits
// when the corpus test names a changed evaluation.
const wanted = Number(process.argv[2]);
if (!Number.isInteger(wanted) || wanted < 0) {
  console.error('usage: corpus:show <case number>');
  process.exit(2);
}
for (const c of corpusCases()) {
  if (c.number !== wanted) continue;
  console.log(JSON.stringify({ unitId: c.unit.id, options: c.options, facts: c.facts, verdict: JSON.parse(verdictText(c)) }, null, 2));
  process.exit(0);
}
console.error(`no case ${wanted} in the corpus`);
process.exit(2);
