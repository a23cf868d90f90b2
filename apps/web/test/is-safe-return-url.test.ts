import { describe, expect, it } from 'vitest';
import { isSafeReturnUrl } from '../src/deep-linking/is-safe-return-url.ts';

describe('isSafeReturnUrl', () => {
  it('accepts the http and https return URLs platforms send', () => {
    expect(isSafeReturnUrl('https://moodle.example/mod/lti/contentitem_return.php?course=2')).toBe(true);
    expect(isSafeReturnUrl('http://127.0.0.1:9000/deep-linking/return')).toBe(true);
  });

  it('refuses script and data URLs and text that is not a URL', () => {
    expect(isSafeReturnUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeReturnUrl('data:text/html,<p>x</p>')).toBe(false);
    expect(isSafeReturnUrl('/relative/path')).toBe(false);
  });
});
