/** What the page needs from the launch URL: the token, and the URL to show without it. */
export interface LaunchToken {
  token: string | null;
  /** Path, query and hash with `ltik` removed, for `history.replaceState`. */
  cleanPath: string;
}

/**
 * The tool redirects the iframe to `/app/?ltik=<token>`. The token authorises every API call, so
 * it is kept in memory and taken out of the address bar, where it would leak into screenshots,
 * copied links and the Referer of anything the page loads.
 */
export function readLaunchToken(href: string): LaunchToken {
  const url = new URL(href);
  const raw = url.searchParams.get('ltik');
  url.searchParams.delete('ltik');
  const query = url.searchParams.toString();
  return {
    token: raw !== null && raw.trim() !== '' ? raw.trim() : null,
    cleanPath: `${url.pathname}${query === '' ? '' : `?${query}`}${url.hash}`,
  };
}
