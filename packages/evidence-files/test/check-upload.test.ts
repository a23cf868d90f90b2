import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkUpload, EvidenceFileError, type EvidenceFileErrorCode, type EvidenceFileKind } from '../src/index.ts';
import * as sample from './sample-files.ts';

async function refusal(promise: Promise<unknown>): Promise<EvidenceFileError> {
  const error: unknown = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof EvidenceFileError)) throw new Error(`expected an EvidenceFileError, got ${String(error)}`);
  return error;
}

async function expectRefused(promise: Promise<unknown>, code: EvidenceFileErrorCode, message?: string): Promise<EvidenceFileError> {
  const error = await refusal(promise);
  expect(error.code).toBe(code);
  if (message !== undefined) expect(error.userMessage).toBe(message);
  return error;
}

/** A source that counts how many bytes were pulled from it, and never ends unless told to. */
function countingSource(chunk: Buffer, maxChunks = Number.POSITIVE_INFINITY): { source: Readable; pulled: () => number } {
  let pulled = 0;
  let sent = 0;
  const source = new Readable({
    read() {
      if (sent >= maxChunks) return void this.push(null);
      sent++;
      pulled += chunk.length;
      this.push(chunk);
    },
  });
  return { source, pulled: () => pulled };
}

describe('checkUpload accepts each supported type by its content', () => {
  const cases: { fileName: string; mime: string; bytes: Buffer; type: string; kind: EvidenceFileKind }[] = [
    { fileName: 'observation.pdf', mime: 'application/pdf', bytes: sample.pdf(), type: 'pdf', kind: 'document' },
    { fileName: 'finished-joint.png', mime: 'image/png', bytes: sample.png(), type: 'png', kind: 'photo' },
    { fileName: 'IMG_0042.JPG', mime: 'image/jpeg', bytes: sample.jpeg(), type: 'jpeg', kind: 'photo' },
    { fileName: 'diagram.gif', mime: 'image/gif', bytes: sample.gif(), type: 'gif', kind: 'photo' },
    { fileName: 'site.webp', mime: 'image/webp', bytes: sample.webp(), type: 'webp', kind: 'photo' },
    { fileName: 'IMG_0043.HEIC', mime: '', bytes: sample.heic(), type: 'heic', kind: 'photo' },
    { fileName: 'discussion.mp3', mime: 'audio/mpeg', bytes: sample.mp3(), type: 'mp3', kind: 'recording' },
    { fileName: 'discussion.wav', mime: 'audio/x-wav', bytes: sample.wav(), type: 'wav', kind: 'recording' },
    { fileName: 'voice-note.opus', mime: 'audio/ogg', bytes: sample.ogg(), type: 'ogg', kind: 'recording' },
    { fileName: 'New Recording 3.m4a', mime: 'audio/x-m4a', bytes: sample.m4a(), type: 'm4a', kind: 'recording' },
    { fileName: 'task.mp4', mime: 'video/mp4', bytes: sample.mp4(), type: 'mp4', kind: 'recording' },
    { fileName: 'IMG_0044.MOV', mime: 'video/quicktime', bytes: sample.mov(), type: 'mov', kind: 'recording' },
    { fileName: 'screen.webm', mime: 'video/webm', bytes: sample.webm(), type: 'webm', kind: 'recording' },
    { fileName: 'account.docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes: sample.docx(), type: 'docx', kind: 'personal-statement' },
    { fileName: 'costing.xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes: sample.xlsx(), type: 'xlsx', kind: 'work-product' },
    { fileName: 'toolbox-talk.pptx', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', bytes: sample.pptx(), type: 'pptx', kind: 'work-product' },
    { fileName: 'statement.odt', mime: 'application/vnd.oasis.opendocument.text', bytes: sample.odt(), type: 'odt', kind: 'witness-statement' },
    { fileName: 'notes.txt', mime: 'text/plain; charset=utf-8', bytes: sample.plainText(), type: 'text', kind: 'document' },
  ];

  for (const { fileName, mime, bytes, type, kind } of cases) {
    it(`accepts ${fileName} as ${type} evidence for ${kind}`, async () => {
      const result = await checkUpload(bytes, { fileName, declaredMimeType: mime, kind });
      expect(result).toMatchObject({ type, fileName, originalName: fileName, size: bytes.length });
    });
  }

  // Signatures, ZIP headers and ISO boxes split across chunks must still be recognised.
  for (const { fileName, bytes, type, kind } of cases) {
    it(`recognises ${fileName} when it arrives in 1-byte and 7-byte chunks`, async () => {
      for (const size of [1, 7]) {
        const chunks = Readable.from((function* () { for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size); })());
        await expect(checkUpload(chunks, { fileName, kind })).resolves.toMatchObject({ type, size: bytes.length });
      }
    });
  }

  it('serves the stored type from the content, not from what the client declared', async () => {
    const result = await checkUpload(sample.jpeg(), { fileName: 'photo.jpeg', declaredMimeType: 'image/pjpeg', kind: 'photo' });
    expect(result.mimeType).toBe('image/jpeg');
  });

  it('accepts a CSV that Windows declares as application/vnd.ms-excel', async () => {
    const result = await checkUpload(Buffer.from('date,task\n2026-03-12,isolation\n'), { fileName: 'log.csv', declaredMimeType: 'application/vnd.ms-excel', kind: 'work-product' });
    expect(result.type).toBe('text');
  });

  it('accepts a name with no extension when the content is allowed', async () => {
    const result = await checkUpload(sample.pdf(), { fileName: 'scan', kind: 'document' });
    expect(result).toMatchObject({ type: 'pdf', fileName: 'scan' });
  });
});

describe('checkUpload refuses abuse with a precise code and message', () => {
  it('refuses an oversized file and stops reading soon after the limit', async () => {
    const { source, pulled } = countingSource(Buffer.alloc(64 * 1024, 0x20));
    await expectRefused(checkUpload(source, { fileName: 'huge.txt', kind: 'document', maxBytes: 1024 * 1024 }), 'payload_too_large', 'huge.txt is larger than the 1 MB limit for a document.');
    // The stream stops at the chunk that crossed the limit, give or take the stream buffers.
    expect(pulled()).toBeLessThan(1024 * 1024 + 4 * 64 * 1024);
  });

  it('accepts a file exactly at the size limit', async () => {
    const bytes = sample.pdf();
    await expect(checkUpload(bytes, { fileName: 'exact.pdf', kind: 'document', maxBytes: bytes.length })).resolves.toMatchObject({ size: bytes.length });
  });

  it('refuses a file one byte over the size limit', async () => {
    const bytes = sample.pdf();
    const error = await expectRefused(checkUpload(bytes, { fileName: 'over.pdf', kind: 'document', maxBytes: bytes.length - 1 }), 'payload_too_large');
    expect(error.params).toMatchObject({ limitBytes: bytes.length - 1 });
    expect(error.status).toBe(413);
  });

  it('refuses an empty file', async () => {
    await expectRefused(checkUpload(Buffer.alloc(0), { fileName: 'blank.pdf', kind: 'document' }), 'empty_file', 'blank.pdf is empty. Choose the file again and check that it opens on your device.');
  });

  it('refuses a PNG renamed to .pdf', async () => {
    await expectRefused(checkUpload(sample.png(), { fileName: 'scan.pdf', declaredMimeType: 'application/pdf', kind: 'document' }), 'type_mismatch', 'scan.pdf is not a PDF document: its content is a PNG image.');
  });

  it('refuses a PDF renamed to .jpg for a photo', async () => {
    await expectRefused(checkUpload(sample.pdf(), { fileName: 'photo.jpg', declaredMimeType: 'image/jpeg', kind: 'photo' }), 'type_mismatch', 'photo.jpg is not a JPEG image: its content is a PDF document.');
  });

  it('refuses a PDF declared as image/png even when its name is right', async () => {
    const error = await expectRefused(checkUpload(sample.pdf(), { fileName: 'record.pdf', declaredMimeType: 'image/png', kind: 'document' }), 'type_mismatch', 'record.pdf was sent as a PNG image, but its content is a PDF document.');
    expect(error.params).toMatchObject({ claimedBy: 'mime-type', claimedType: 'png', detectedType: 'pdf' });
  });

  it('refuses an HTML page named .txt and declared text/plain, because a browser may run it', async () => {
    const page = Buffer.from('\n<!DOCTYPE html><html><script>fetch("/api/portfolio")</script></html>');
    await expectRefused(checkUpload(page, { fileName: 'notes.txt', declaredMimeType: 'text/plain', kind: 'document' }), 'type_mismatch', 'notes.txt is not a plain text file: its content is a web page (HTML).');
  });

  it('refuses an SVG drawing as a photo even under its own name', async () => {
    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    await expectRefused(checkUpload(svg, { fileName: 'logo.svg', declaredMimeType: 'image/svg+xml', kind: 'photo' }), 'unsupported_media_type');
  });

  it('refuses a path-like name such as ../../etc/passwd', async () => {
    await expectRefused(checkUpload(sample.plainText(), { fileName: '../../etc/passwd', kind: 'document' }), 'invalid_file_name', 'The file name is a folder path, not a plain file name. Rename the file and upload it again.');
  });

  it('keeps only the last part of a Windows path, as old browsers send it', async () => {
    await expect(checkUpload(sample.pdf(), { fileName: 'C:\\fakepath\\record.pdf', kind: 'document' })).resolves.toMatchObject({ fileName: 'record.pdf', originalName: 'C:\\fakepath\\record.pdf' });
  });

  it('refuses an enormous name before reading any content', async () => {
    const { source, pulled } = countingSource(sample.pdf(), 1);
    const name = `${'é'.repeat(200)}.pdf`;
    const error = await expectRefused(checkUpload(source, { fileName: name, kind: 'document' }), 'invalid_file_name', 'The file name is too long (404 bytes; the limit is 255). Shorten it and upload the file again.');
    expect(error.params).toMatchObject({ bytes: 404, limitBytes: 255 });
    expect(pulled()).toBe(0);
  });

  it('accepts a name of exactly 255 bytes of UTF-8', async () => {
    const name = `${'é'.repeat(123)}abcde.pdf`;
    expect(Buffer.byteLength(name)).toBe(255);
    await expect(checkUpload(sample.pdf(), { fileName: name, kind: 'document' })).resolves.toMatchObject({ fileName: name });
  });

  it('refuses a name of 256 bytes of UTF-8', async () => {
    await expectRefused(checkUpload(sample.pdf(), { fileName: `${'é'.repeat(123)}abcdef.pdf`, kind: 'document' }), 'invalid_file_name');
  });

  it('removes a NUL from a name and refuses a name that is nothing but control characters', async () => {
    await expect(checkUpload(sample.jpeg(), { fileName: 'photo\u0000.php.jpg', kind: 'photo' })).resolves.toMatchObject({ fileName: 'photo.php.jpg' });
    await expectRefused(checkUpload(sample.jpeg(), { fileName: '\u0000\u0001\u001f', kind: 'photo' }), 'invalid_file_name');
  });

  it('removes a bidi override, so a program disguised as "invoice‮fdp.exe" shows its real extension and is refused', async () => {
    const error = await expectRefused(checkUpload(sample.pdf(), { fileName: 'invoice\u202efdp.exe', kind: 'document' }), 'unsupported_media_type');
    expect(error.params).toMatchObject({ fileName: 'invoicefdp.exe', extension: 'exe' });
    expect(error.userMessage).toBe('invoicefdp.exe: files ending in .exe are not accepted. Its content is a PDF document: if that is right, rename it to end in .pdf.');
  });

  it('refuses a plain ZIP renamed to .docx', async () => {
    const archive = sample.zip([{ name: 'word.txt', data: 'not a document' }, { name: 'notes/readme.txt', data: 'still not' }]);
    await expectRefused(checkUpload(archive, { fileName: 'report.docx', kind: 'document' }), 'type_mismatch', 'report.docx is not a Word document: its content is a ZIP archive.');
  });

  it('refuses a ZIP that has Word folders but no [Content_Types].xml', async () => {
    const archive = sample.zip([{ name: 'word/document.xml', data: '<w:document/>' }]);
    await expectRefused(checkUpload(archive, { fileName: 'report.docx', kind: 'document' }), 'type_mismatch');
  });

  it('refuses a PNG whose upload ended before its last chunk', async () => {
    const whole = sample.png();
    await expectRefused(checkUpload(whole.subarray(0, whole.length - 12), { fileName: 'site.png', kind: 'photo' }), 'upload_incomplete', 'site.png was not received in full: it ends part-way through a PNG image. Upload it again.');
  });

  it('refuses a video cut off inside its media data', async () => {
    const whole = sample.mp4(Buffer.alloc(10_000, 5));
    await expectRefused(checkUpload(whole.subarray(0, 6_000), { fileName: 'task.mp4', kind: 'recording' }), 'upload_incomplete');
  });

  it('refuses truncated DOCX, PDF, JPEG, WAV and Ogg files', async () => {
    const cut = (bytes: Buffer, keep: number): Buffer => bytes.subarray(0, keep);
    await expectRefused(checkUpload(cut(sample.docx(), sample.docx().length - 30), { fileName: 'a.docx', kind: 'document' }), 'upload_incomplete');
    await expectRefused(checkUpload(cut(sample.pdf(), 60), { fileName: 'a.pdf', kind: 'document' }), 'upload_incomplete');
    await expectRefused(checkUpload(sample.jpeg({ withEnd: false }), { fileName: 'a.jpg', kind: 'photo' }), 'upload_incomplete');
    await expectRefused(checkUpload(cut(sample.wav(), 400), { fileName: 'a.wav', kind: 'recording' }), 'upload_incomplete');
    await expectRefused(checkUpload(sample.ogg({ withEnd: false }), { fileName: 'a.ogg', kind: 'recording' }), 'upload_incomplete');
  });

  it('refuses a Windows program renamed to .jpg after reading only its first bytes', async () => {
    const program = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64 * 1024 - 2, 0x90)]);
    const { source, pulled } = countingSource(program);
    await expectRefused(checkUpload(source, { fileName: 'holiday.jpg', kind: 'photo' }), 'type_mismatch', 'holiday.jpg is not a JPEG image: its content is a program.');
    expect(pulled()).toBeLessThan(5 * 64 * 1024);
  });

  it('refuses an allowed type for the wrong kind of evidence and lists what is accepted', async () => {
    await expectRefused(checkUpload(sample.mp3(), { fileName: 'talk.mp3', kind: 'photo' }), 'unsupported_media_type', 'talk.mp3 is an MP3 audio file, which cannot be uploaded as a photo. Accepted: JPEG, PNG, HEIC, WebP, GIF.');
  });

  it('refuses a macro-enabled Word file renamed to .docx', async () => {
    const macroDocument = sample.zip([
      { name: '[Content_Types].xml', data: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
      { name: 'word/document.xml', data: '<w:document/>' },
      { name: 'word/vbaProject.bin', data: Buffer.alloc(512, 0xcc) },
    ]);
    await expectRefused(checkUpload(macroDocument, { fileName: 'timesheet.docx', kind: 'document' }), 'type_mismatch', 'timesheet.docx is not a Word document: its content is an Office file with macros.');
  });

  it('refuses an Office 97–2003 document under its own name', async () => {
    const legacy = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    const error = await expectRefused(checkUpload(legacy, { fileName: 'statement.doc', declaredMimeType: 'application/msword', kind: 'witness-statement' }), 'unsupported_media_type');
    expect(error.userMessage).toMatch(/^statement\.doc is an Office 97–2003 file \(or a password-protected Office file\), which cannot be uploaded as a witness statement\. Accepted: PDF, /);
  });

  it('names an AIFF recording when it refuses it', async () => {
    const common = Buffer.from('434f4d4d000000120001000000000010400dac44000000000000', 'hex');
    const aiff = Buffer.concat([Buffer.from('FORM'), Buffer.from([0, 0, 0, 4 + common.length]), Buffer.from('AIFF'), common]);
    await expectRefused(checkUpload(aiff, { fileName: 'take 1.aiff', kind: 'recording' }), 'unsupported_media_type', 'take 1.aiff is an AIFF audio file, which cannot be uploaded as an audio or video recording. Accepted: MP3, M4A, WAV, Ogg/Opus, WebM, MP4, MOV.');
  });

  it('refuses a Matroska video even though it shares WebM\'s header', async () => {
    await expectRefused(checkUpload(sample.webm('matroska'), { fileName: 'clip.webm', kind: 'recording' }), 'type_mismatch', 'clip.webm is not a WebM recording: its content is a Matroska (MKV) video.');
  });

  it('accepts MP3 frames without an ID3 tag, but refuses FLAC and AAC named .mp3', async () => {
    await expect(checkUpload(sample.mp3().subarray(10), { fileName: 'talk.mp3', kind: 'recording' })).resolves.toMatchObject({ type: 'mp3' });
    const flacBehindId3 = Buffer.concat([sample.mp3().subarray(0, 10), Buffer.from('fLaC'), Buffer.alloc(64)]);
    await expectRefused(checkUpload(flacBehindId3, { fileName: 'talk.mp3', kind: 'recording' }), 'type_mismatch', 'talk.mp3 is not an MP3 audio file: its content is a FLAC audio file.');
    const adtsAac = Buffer.concat([Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), Buffer.alloc(64)]);
    await expectRefused(checkUpload(adtsAac, { fileName: 'talk.mp3', kind: 'recording' }), 'type_mismatch');
  });

  it('tells an AVIF image from a HEIC one by its brands', async () => {
    const avif = sample.avif();
    await expectRefused(checkUpload(avif, { fileName: 'IMG_0045.heic', kind: 'photo' }), 'type_mismatch', 'IMG_0045.heic is not a HEIC/HEIF image: its content is an AVIF image.');
  });

  it('refuses a .txt that is not valid UTF-8 text', async () => {
    const latin1 = Buffer.from('caf\xe9 \xff\xfe', 'latin1');
    await expectRefused(checkUpload(latin1, { fileName: 'notes.txt', kind: 'document' }), 'type_mismatch', 'notes.txt is not a plain text file: its content is of a type we do not recognise.');
  });

  it('refuses text saved as UTF-16 and says how to fix it', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Observation notes', 'utf16le')]);
    await expectRefused(checkUpload(utf16, { fileName: 'notes.txt', kind: 'document' }), 'type_mismatch', 'notes.txt is not a plain text file: its content is text saved as UTF-16 (save it as UTF-8 and upload it again).');
  });

  it('treats an unknown evidence kind or a nonsensical limit as a programming error, not a user error', async () => {
    await expect(checkUpload(sample.pdf(), { fileName: 'a.pdf', kind: 'selfie' as 'photo' })).rejects.toThrow(TypeError);
    await expect(checkUpload(sample.pdf(), { fileName: 'a.pdf', kind: 'document', maxBytes: 0 })).rejects.toThrow(RangeError);
  });

  it('refuses text with a NUL byte in it', async () => {
    await expectRefused(checkUpload(Buffer.from('line one\u0000line two'), { fileName: 'notes.txt', kind: 'document' }), 'type_mismatch');
  });

  it('refuses an unrecognised extension even when the content is fine', async () => {
    await expectRefused(checkUpload(sample.png(), { fileName: 'photo.xyz', kind: 'photo' }), 'unsupported_media_type', 'photo.xyz: files ending in .xyz are not accepted. Its content is a PNG image: if that is right, rename it to end in .png.');
  });

  it('refuses an OpenDocument spreadsheet renamed to .odt', async () => {
    await expectRefused(checkUpload(sample.odt('application/vnd.oasis.opendocument.spreadsheet'), { fileName: 'sheet.odt', kind: 'document' }), 'type_mismatch');
  });
});
