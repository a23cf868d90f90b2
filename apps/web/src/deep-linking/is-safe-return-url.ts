/**
 * The return URL comes from the platform's deep-linking request, via our server. The browser
 * posts the signed JWT to it, so anything but http(s) (a `javascript:` URL, say) is refused.
 */
export function isSafeReturnUrl(returnUrl: string): boolean {
  try {
    const { protocol } = new URL(returnUrl);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
