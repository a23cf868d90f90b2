// A user agent without a browser: a cookie jar and the OIDC hand-overs a browser performs
// (redirects, auto-submitting forms). Enough to walk login → authorise → launch over real HTTP.

export interface StoredCookie {
  readonly name: string;
  readonly value: string;
  /** The Set-Cookie line as received, so tests can check its attributes. */
  readonly raw: string;
}

export interface Hop {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly setCookies: readonly string[];
  readonly headers: Headers;
}

function decodeEntities(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return match ? decodeEntities(match[2] ?? match[3] ?? '') : null;
}

/** The first POST form of a page with its hidden fields, as an auto-submitting OIDC page has. */
export function findForm(html: string, baseUrl: string): { action: string; fields: Record<string, string> } | null {
  const form = /<form\b[^>]*>/i.exec(html);
  if (!form) return null;
  const action = attribute(form[0], 'action');
  if (!action) return null;
  const body = html.slice(form.index, html.indexOf('</form>', form.index) + 1 || undefined);
  const fields: Record<string, string> = {};
  for (const input of body.match(/<(input|textarea)\b[^>]*>/gi) ?? []) {
    const name = attribute(input, 'name');
    if (name) fields[name] = attribute(input, 'value') ?? '';
  }
  return { action: new URL(action, baseUrl).toString(), fields };
}

/** What a browser's navigation sends (Chromium's Accept for a document), so servers answer as to a page. */
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

export class BrowserlessAgent {
  readonly #jar = new Map<string, Map<string, StoredCookie>>();
  readonly hops: Hop[] = [];

  cookiesFor(url: string): readonly StoredCookie[] {
    return [...(this.#jar.get(new URL(url).host)?.values() ?? [])];
  }

  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
    const host = new URL(url).host;
    const cookies = this.cookiesFor(url).map((c) => `${c.name}=${c.value}`).join('; ');
    const method = init.method ?? (init.form ? 'POST' : 'GET');
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        ...(cookies ? { cookie: cookies } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...init.headers,
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    const setCookies = response.headers.getSetCookie();
    const jar = this.#jar.get(host) ?? new Map<string, StoredCookie>();
    for (const raw of setCookies) {
      const [pair = ''] = raw.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = /max-age=0\b/i.test(raw) || /expires=Thu, 01 Jan 1970/i.test(raw);
      if (expired) jar.delete(name);
      else jar.set(name, { name, value, raw });
    }
    this.#jar.set(host, jar);
    this.hops.push({ method, url, status: response.status, setCookies, headers: response.headers });
    return response;
  }

  /**
   * Follows redirects and auto-submitting forms from `url` until `isDone(url)` or a page that is
   * neither; returns the final response and its URL.
   */
  async walk(url: string, isDone: (url: string) => boolean, init: { form?: Record<string, string> } = {}, maxHops = 12): Promise<{ url: string; response: Response; body: string }> {
    let current = url;
    let form = init.form;
    for (let hop = 0; hop < maxHops; hop++) {
      const response = await this.request(current, { ...(form ? { form } : {}), headers: { accept: BROWSER_ACCEPT } });
      form = undefined;
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current).toString();
        if (isDone(current)) return { url: current, response, body: '' };
        continue;
      }
      const body = await response.text();
      const isPage = response.ok && (response.headers.get('content-type') ?? '').includes('html');
      // The tool's platform-storage login page (decision 14) goes straight on to the authorization
      // URL in a window with no LMS around it, as this agent is; the partitioned cookie carries on.
      const onward = isPage ? /data-auth-url="([^"]*)"/.exec(body)?.[1] : undefined;
      if (onward && !isDone(current)) {
        current = new URL(decodeEntities(onward), current).toString();
        continue;
      }
      const next = isPage ? findForm(body, current) : null;
      if (!next || isDone(current)) return { url: current, response, body };
      current = next.action;
      form = next.fields;
    }
    throw new Error(`walk: more than ${maxHops} hops from ${url}`);
  }
}
