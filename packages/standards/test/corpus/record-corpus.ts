import { digestCorpus, RECORDED_FILE, writeRecorded } from './corpus-digests.ts';

// `corpus:record`: writes the digest of every verdict the engine gives the corpus today.
const recorded = digestCorpus();
writeRecorded(recorded);
console.log(`recorded ${recorded.evaluations.toLocaleString('en-GB')} verdicts in ${RECORDED_FILE}, total sha256 ${recorded.total}`);
