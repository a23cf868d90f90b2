// How fast an upload streams through every check into the local store, and how quickly a wrong
// file is refused. Run: npx pnpm@10.34.9 --filter @attest/evidence-files run bench [-- <MiB>]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isEvidenceFileError, LocalDirectoryFileStore, storeUpload } from '../src/index.ts';

const mebibytes = Number(process.argv[2] ?? 100);
const chunk = Buffer.alloc(64 * 1024, 0x5a);

function box(type: string, size: number): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(size);
  header.write(type, 4, 'latin1');
  return header;
}

/** An MP4 whose `mdat` box holds `bytes` of payload, generated as it is read. */
function* largeMp4(bytes: number): Generator<Buffer> {
  yield Buffer.concat([box('ftyp', 16), Buffer.from('isom\0\0\0\0', 'latin1'), box('mdat', bytes + 8)]);
  for (let sent = 0; sent < bytes; sent += chunk.length) yield chunk.subarray(0, Math.min(chunk.length, bytes - sent));
}

const directory = await mkdtemp(join(tmpdir(), 'attest-evidence-bench-'));
try {
  const store = new LocalDirectoryFileStore({ directory });
  const bytes = mebibytes * 1024 * 1024;
  const started = performance.now();
  const stored = await storeUpload(store, { tenantId: 'bench', source: Readable.from(largeMp4(bytes)), fileName: 'site-visit.mp4', kind: 'recording', maxBytes: bytes + 1024 });
  const seconds = (performance.now() - started) / 1000;
  console.log(`stored ${mebibytes} MiB ${stored.type} in ${seconds.toFixed(2)} s: ${(mebibytes / seconds).toFixed(0)} MiB/s (checks + SHA-256 + fsync)`);

  let pulled = 0;
  const program = Readable.from((function* () { yield Buffer.concat([Buffer.from('MZ'), chunk.subarray(2)]); for (let i = 0; i < 16 * 1024; i++) { pulled += chunk.length; yield chunk; } })());
  const refusedStart = performance.now();
  const refusal = await storeUpload(store, { tenantId: 'bench', source: program, fileName: 'photo.jpg', kind: 'photo', maxBytes: 2 * 1024 * 1024 * 1024 }).catch((error: unknown) => error);
  console.log(`refused a 1 GiB program named photo.jpg (${isEvidenceFileError(refusal) ? refusal.code : String(refusal)}) in ${(performance.now() - refusedStart).toFixed(1)} ms after reading ${(pulled / 1024).toFixed(0)} KiB`);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  await rm(directory, { recursive: true, force: true });
}
