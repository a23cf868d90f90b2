/**
 * Just enough of a browser to walk an LTI launch over HTTP without one: it keeps cookies per
 * origin, follows redirects, and submits the auto-posting forms that OIDC and deep linking use
 * (`<form method="post">` with hidden inputs, submitted by script in a real browser). The demo uses
 * it to place activities through the same requests an instructor's browser would make.
 */
export interface FollowResult {
  /** The URL where following stopped. */
  readonly url: string;
  readonly status: number;
  readonly body: string;
}

export interface FollowOptions {
  method?: 'GET' | 'POST';
  form?: Record<string, string>;
  /** Stop before requesting a URL for which this returns true (e.g. the tool's `/app/?ltik=`). */
  stopAt?: (url: URL) => boolean;
  maxHops?: number;
}

interface AutoPostForm {
  readonly action: string;
  readonly fields: Record<string, string>;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", '#x2F': '/', '#47': '/' };

function decodeEntities(text: string): string {
  return text.replace(/&(#?[a-zA-Z0-9]+);/g, (whole, name: string) => {
    // Numeric references (&#38; &#x26;) as any HTML escaper may write them, named ones from the table.
    const code = /^#x([0-9a-f]+)$/i.exec(name)?.[1] ?? null;
    const decimal = /^#([0-9]+)$/.exec(name)?.[1] ?? null;
    if (code !== null) return String.fromCodePoint(Number.parseInt(code, 16));
    if (decimal !== null) return String.fromCodePoint(Number.parseInt(decimal, 10));
    return entities[name] ?? whole;
  });
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (!match) return null;
  return decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
}

/** Where the tool's platform-storage login page sends a top-level window: its `data-auth-url`. */
function findPlatformStorageOnward(html: string, baseUrl: string): URL | null {
  const tag = /<[a-z]+\b[^>]*\bid="platform-storage"[^>]*>/i.exec(html)?.[0];
  const authUrl = tag === undefined ? null : attribute(tag, 'data-auth-url');
  return authUrl === null ? null : new URL(authUrl, baseUrl);
}

/** The first POST form of a page, if the page is one of those self-submitting hand-over pages. */
export function findAutoPostForm(html: string, baseUrl: string): AutoPostForm | null {
  const formMatch = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!formMatch) return null;
  const formTag = /<form\b[^>]*>/i.exec(formMatch[0])?.[0] ?? '';
  if ((attribute(formTag, 'method') ?? 'get').toLowerCase() !== 'post') return null;
  const fields: Record<string, string> = {};
  for (const input of formMatch[1]?.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(input, 'name');
    if (name !== null) fields[name] = attribute(input, 'value') ?? '';
  }
  for (const area of formMatch[1]?.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi) ?? []) {
    const name = attribute(`<textarea ${area[1] ?? ''}>`, 'name');
    if (name !== null) fields[name] = decodeEntities(area[2] ?? '');
  }
  return { action: new URL(attribute(formTag, 'action') ?? baseUrl, baseUrl).href, fields };
}

export class HttpUserAgent {
  /** origin → cookie name → value. Attributes are ignored: every cookie goes back to its origin. */
  private readonly cookies = new Map<string, Map<string, string>>();

  cookiesFor(origin: string): ReadonlyMap<string, string> {
    return this.cookies.get(origin) ?? new Map();
  }

  private remember(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const separator = pair?.indexOf('=') ?? -1;
      if (!pair || separator <= 0) continue;
      const jar = this.cookies.get(url.origin) ?? new Map<string, string>();
      jar.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim());
      this.cookies.set(url.origin, jar);
    }
  }

  private cookieHeader(url: URL): string | undefined {
    const jar = this.cookies.get(url.origin);
    if (!jar || jar.size === 0) return undefined;
    return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** One request, no following. */
  async request(url: string, options: { method?: 'GET' | 'POST'; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = { Accept: 'text/html,application/json;q=0.9,*/*;q=0.8' };
    const cookie = this.cookieHeader(target);
    if (cookie) headers.Cookie = cookie;
    let body: string | undefined;
    if (options.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const response = await fetch(target, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
    this.remember(target, response);
    return response;
  }

  /** Requests `url` and keeps going through redirects and auto-posting forms, as a browser would. */
  async follow(url: string, options: FollowOptions = {}): Promise<FollowResult> {
    let current = new URL(url);
    let method = options.method ?? (options.form ? 'POST' : 'GET');
    let form = options.form;
    for (let hop = 0; hop < (options.maxHops ?? 15); hop += 1) {
      if (options.stopAt?.(current)) return { url: current.href, status: 0, body: '' };
      const response = await this.request(current.href, { method, form });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current);
        // 307/308 keep the method and body; every other redirect becomes a GET (Fetch §4.4).
        if (response.status !== 307 && response.status !== 308) {
          method = 'GET';
          form = undefined;
        }
        continue;
      }
      const body = await response.text();
      const isPage = response.ok && (response.headers.get('content-type') ?? '').includes('text/html');
      // The tool's platform-storage login page (Canvas, decision 14) goes straight on to its
      // authorization URL in a window with no LMS around it, as this agent is; the cookie carries on.
      const onward = isPage ? findPlatformStorageOnward(body, current.href) : null;
      if (onward) {
        current = onward;
        method = 'GET';
        form = undefined;
        continue;
      }
      const autoPost = isPage ? findAutoPostForm(body, current.href) : null;
      if (!autoPost) return { url: current.href, status: response.status, body };
      current = new URL(autoPost.action);
      method = 'POST';
      form = autoPost.fields;
    }
    throw new Error(`More than ${options.maxHops ?? 15} redirects or form posts starting from ${url}`);
  }
}
