import { describe, expect, it } from 'vitest';
import { UPLOAD_LIMITS } from '@attest/contracts';
import { checkFileBeforeUpload, formatBytes, uploadErrorMessage, uploadLimitsText } from '../src/portfolio/upload-request.ts';

describe('checkFileBeforeUpload', () => {
  const max = UPLOAD_LIMITS.maxFileBytes;
  it('accepts a file of exactly the size limit and refuses one byte more', () => {
    expect(checkFileBeforeUpload({ name: 'a.pdf', size: max }, 0)).toBeNull();
    expect(checkFileBeforeUpload({ name: 'a.pdf', size: max + 1 }, 0)).toBe('a.pdf is larger than 100 MB, the most a file can be.');
  });

  it('refuses an empty file', () => {
    expect(checkFileBeforeUpload({ name: 'empty.txt', size: 0 }, 0)).toBe('empty.txt is empty, so there is nothing to upload.');
  });

  it('accepts the last file an item can hold and refuses the one after', () => {
    expect(checkFileBeforeUpload({ name: 'a.pdf', size: 1 }, UPLOAD_LIMITS.maxFilesPerItem - 1)).toBeNull();
    expect(checkFileBeforeUpload({ name: 'a.pdf', size: 1 }, UPLOAD_LIMITS.maxFilesPerItem)).toContain('already has 20 files');
  });

  it('counts the name’s length in bytes, as the server does', () => {
    expect(checkFileBeforeUpload({ name: 'a'.repeat(UPLOAD_LIMITS.maxNameBytes), size: 1 }, 0)).toBeNull();
    expect(checkFileBeforeUpload({ name: 'é'.repeat(128), size: 1 }, 0)).toContain('too long');
  });
});

describe('uploadErrorMessage', () => {
  it('shows the server’s own message, which names what it found', () => {
    const body = { error: { code: 'file_type_mismatch', message: 'the file says it is a PDF but its content is a ZIP archive.' } };
    expect(uploadErrorMessage('cv.pdf', 415, body)).toBe('cv.pdf was not uploaded: the file says it is a PDF but its content is a ZIP archive.');
  });

  it('explains a 413 or 415 without the agreed body, such as a proxy’s page', () => {
    expect(uploadErrorMessage('big.mov', 413, undefined)).toBe('big.mov was not uploaded: it is larger than the 100 MB limit.');
    expect(uploadErrorMessage('x.exe', 415, '<html>')).toBe('x.exe was not uploaded: Attest does not accept this type of file.');
  });

  it('tells a lost connection apart from a server error', () => {
    expect(uploadErrorMessage('a.pdf', 0, undefined)).toContain('the connection was lost');
    expect(uploadErrorMessage('a.pdf', 500, undefined)).toContain('HTTP 500');
  });

  it('sends an expired session to relaunch rather than retry', () => {
    expect(uploadErrorMessage('a.pdf', 401, { error: { code: 'unauthorised', message: 'no' } })).toBe('Your session has ended. Open the activity again from your course.');
  });
});

describe('limits', () => {
  it('states the limits the server enforces, before a file is picked', () => {
    expect(uploadLimitsText).toBe('Up to 20 files per item, each at most 100 MB, with a name of at most 255 bytes. Attest checks each file\'s content, not just its name.');
    expect(formatBytes(1536)).toBe('2 KB');
    expect(formatBytes(12)).toBe('12 bytes');
  });
});
