import type { TenantKey } from '../domain/ports.ts';
import { SCOPE_AGS_LINEITEM, SCOPE_AGS_LINEITEM_READONLY } from './claims.ts';
import type { PlatformServiceClient } from './platform-service-client.ts';

/** AGS 2.0 §3.2 line item container media type. */
const MEDIA_TYPE_LINE_ITEM_CONTAINER = 'application/vnd.ims.lis.v2.lineitemcontainer+json';
/** A course holds a few dozen units at most; past this many pages something is wrong, not big. */
const MAX_PAGES = 20;

/** What Attest reads of a course line item: the ids it set when it placed the unit. */
export interface CourseLineItem {
  readonly resourceId: string | null;
  readonly tag: string | null;
}

export type LineItemsRead = { readonly ok: true; readonly items: readonly CourseLineItem[] } | { readonly ok: false; readonly message: string };

/** Reads a course's line items (filtered by `tag`) with the service client's token. */
export type CourseLineItemsReader = (tenant: TenantKey, lineItemsUrl: string, scopes: readonly string[], tag: string) => Promise<LineItemsRead>;

/** The next page's URL from an RFC 8288 `Link` header (AGS §3.2.2 paging), if any. */
export function nextPageOf(link: string | null): string | null {
  for (const part of link?.split(',') ?? []) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(part.trim());
    if (match?.[1]) return match[1];
  }
  return null;
}

function toLineItem(value: unknown): CourseLineItem | null {
  if (typeof value !== 'object' || value === null) return null;
  const entry = value as Record<string, unknown>;
  return { resourceId: typeof entry['resourceId'] === 'string' ? entry['resourceId'] : null, tag: typeof entry['tag'] === 'string' ? entry['tag'] : null };
}

/**
 * AGS 2.0 §3.2.2: GET the line items container with the `tag` filter, following `rel="next"`. Needs
 * the lineitem or lineitem.readonly scope granted at launch; never throws for a platform's refusal.
 */
export function createCourseLineItemsReader(client: PlatformServiceClient): CourseLineItemsReader {
  return async (tenant, lineItemsUrl, scopes, tag) => {
    const scope = [SCOPE_AGS_LINEITEM_READONLY, SCOPE_AGS_LINEITEM].find((granted) => scopes.includes(granted));
    if (!scope) return { ok: false, message: 'the platform granted no line item scope' };
    const first = new URL(lineItemsUrl);
    first.searchParams.set('tag', tag);
    const items: CourseLineItem[] = [];
    let url: string | null = first.toString();
    for (let page = 0; url !== null && page < MAX_PAGES; page += 1) {
      const result = await client.call(tenant, scope, url, { method: 'GET', headers: { accept: MEDIA_TYPE_LINE_ITEM_CONTAINER } });
      if (!result.ok) return { ok: false, message: result.message };
      let body: unknown;
      try {
        body = await result.response.json();
      } catch (error) {
        return { ok: false, message: `the line items service answered no JSON: ${(error as Error).message}` };
      }
      if (!Array.isArray(body)) return { ok: false, message: 'the line items service answered no array' };
      items.push(...body.flatMap((entry) => toLineItem(entry) ?? []));
      url = nextPageOf(result.response.headers.get('link'));
    }
    return { ok: true, items };
  };
}
