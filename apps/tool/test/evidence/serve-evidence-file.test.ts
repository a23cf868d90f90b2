import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import express from 'express';
import { describe, expect, it } from 'vitest';
import type { FileStore } from '@attest/evidence-files';
import type { EvidenceFileRow } from '../../src/portfolio/find-evidence-file.ts';
import { serveEvidenceFile } from '../../src/portfolio/serve-evidence-file.ts';
import type { EvidenceFileDisposition } from '../../src/portfolio/serve-evidence-file.ts';
import { errorMiddleware } from '../../src/http/error-middleware.ts';

// The one way both file routes hand a file over; the routes' own tests (upload-abuse for the
// learner's download, assessment/authorisation for the assessor's view) check it end to end.

function aFile(overrides: Partial<EvidenceFileRow> = {}): EvidenceFileRow {
  return { id: 'f1', itemId: 'i1', storageKey: 'tenant/key', name: 'Till receipt.pdf', mediaType: 'application/pdf', size: 5, sha256: 'x', uploadedBy: 'u1', uploadedAt: new Date(0), ...overrides };
}

const store = { openRead: async () => Readable.from([Buffer.from('bytes')]) } as unknown as FileStore;

async function served(file: EvidenceFileRow, disposition: EvidenceFileDisposition) {
  const app = express();
  app.get('/', async (_req, res) => serveEvidenceFile(res, store, file, disposition));
  app.use(errorMiddleware(() => {}));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const header = (name: string) => response.headers.get(name);
    return { status: response.status, body: await response.text(), disposition: header('content-disposition'), csp: header('content-security-policy'), type: header('content-type'), length: header('content-length'), sniff: header('x-content-type-options') };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('serveEvidenceFile', () => {
  it('downloads the learner’s file, even a PDF, as an attachment under a sandboxing CSP', async () => {
    const answer = await served(aFile({ size: 5 }), 'download');
    expect(answer).toEqual({ status: 200, body: 'bytes', disposition: 'attachment; filename="Till receipt.pdf"', csp: "default-src 'none'; sandbox", type: 'application/pdf', length: '5', sniff: 'nosniff' });
  });

  it('shows a PDF inline to the assessor without the sandbox PDF viewers refuse, and a picture inline in the sandbox', async () => {
    expect(await served(aFile(), 'view-where-safe')).toMatchObject({ disposition: "inline; filename*=UTF-8''Till%20receipt.pdf", csp: "default-src 'none'" });
    expect(await served(aFile({ name: 'photo.png', mediaType: 'image/png' }), 'view-where-safe')).toMatchObject({ disposition: "inline; filename*=UTF-8''photo.png", csp: "default-src 'none'; sandbox", type: 'image/png' });
  });

  it('downloads what a browser cannot show safely, even to the assessor', async () => {
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(await served(aFile({ name: 'notes.docx', mediaType: docx }), 'view-where-safe')).toMatchObject({ disposition: 'attachment; filename=notes.docx', csp: "default-src 'none'; sandbox", type: docx });
  });
});
