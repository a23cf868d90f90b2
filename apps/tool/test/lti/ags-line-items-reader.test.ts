import { describe, expect, it } from 'vitest';
import { nextPageOf } from '../../src/lti/ags-line-items-reader.ts';

describe('nextPageOf (AGS §3.2.2 paging)', () => {
  it('finds the rel="next" link among several, quoted or not', () => {
    expect(nextPageOf('<https://lms.example/lineitems?page=1>; rel="first", <https://lms.example/lineitems?page=3>; rel="next"')).toBe('https://lms.example/lineitems?page=3');
    expect(nextPageOf('<https://lms.example/lineitems?from=20>;rel=next')).toBe('https://lms.example/lineitems?from=20');
  });

  it('answers null on the last page or without a Link header', () => {
    expect(nextPageOf('<https://lms.example/lineitems?page=1>; rel="first"')).toBeNull();
    expect(nextPageOf(null)).toBeNull();
  });
});
