import { describe, expect, it } from 'vitest';
import { UPLOAD_LIMITS } from '@attest/contracts';
import { acceptAttribute, EVIDENCE_FILE_KIND_RULES } from '@attest/evidence-files/rules';
import { checkFileBeforeUpload, kindLimitsText, maxFileBytesFor } from '../src/portfolio/upload-request.ts';

const megabytes = (n: number) => n * 1024 * 1024;

describe('per-kind upload limits, read from @attest/evidence-files/rules', () => {
  it('accepts a photo of exactly the photo limit and refuses one byte more, naming the limit', () => {
    const limit = EVIDENCE_FILE_KIND_RULES.photo.defaultMaxBytes;
    expect(limit).toBe(megabytes(25));
    expect(checkFileBeforeUpload({ name: 'till.jpg', size: limit }, 0, 'photo')).toBeNull();
    expect(checkFileBeforeUpload({ name: 'till.jpg', size: limit + 1 }, 0, 'photo')).toBe('till.jpg is larger than 25 MB, the most a photo can be.');
  });

  it('refuses a 40 MB photo that the per-file limit alone would let through', () => {
    expect(checkFileBeforeUpload({ name: 'shop-floor.jpg', size: megabytes(40) }, 0)).toBeNull();
    expect(checkFileBeforeUpload({ name: 'shop-floor.jpg', size: megabytes(40) }, 0, 'photo')).toContain('larger than 25 MB');
  });

  it('caps a kind whose own limit is larger at the per-file limit the server applies too', () => {
    expect(EVIDENCE_FILE_KIND_RULES.recording.defaultMaxBytes).toBeGreaterThan(UPLOAD_LIMITS.maxFileBytes);
    expect(maxFileBytesFor('recording')).toBe(UPLOAD_LIMITS.maxFileBytes);
    expect(checkFileBeforeUpload({ name: 'talk.mp4', size: UPLOAD_LIMITS.maxFileBytes + 1 }, 0, 'recording')).toBe('talk.mp4 is larger than 100 MB, the most a file can be.');
  });

  it('states the kind’s limit and types before a file is picked', () => {
    expect(kindLimitsText('photo')).toBe('A photo can be at most 25 MB per file, of these types: JPEG, PNG, HEIC, WebP, GIF.');
  });

  it('offers the picker only the types the kind accepts', () => {
    const accept = acceptAttribute('photo').split(',');
    expect(accept).toEqual(expect.arrayContaining(['.jpg', 'image/jpeg', '.png', 'image/png']));
    expect(accept).not.toContain('.pdf');
  });
});
