import type { GradebookResultsReader, LineItemResultsRead, PlatformResult, ScoreTarget } from '../domain/ports.ts';
import { nextPageOf } from './ags-line-items-reader.ts';
import { SCOPE_AGS_RESULT_READONLY } from './claims.ts';
import type { PlatformServiceClient, ServiceCallResult } from './platform-service-client.ts';
import type { PlatformRegistry } from './platform-registry.ts';

/** AGS 2.0 §3.5.1 result container media type. */
const MEDIA_TYPE_RESULT_CONTAINER = 'application/vnd.ims.lis.v2.resultcontainer+json';
/** Past this many pages (each the platform's page size) the reader stops and says so rather than loop. */
const MAX_PAGES = 500;

/**
 * AGS 2.0 §3.5: the result service is the line item URL with `/results` appended to its path (its
 * query, e.g. Moodle's type_id, kept). No `limit`: Moodle then answers every result at once, while
 * with one its results.php writes a Link header no parser reads (`rel=“next”` in typographic quotes,
 * `&amp;` in the URLs from moodle_url::out()); Canvas pages by Api.paginate's default and links the
 * next page properly.
 */
export function lineItemResultsUrlOf(lineItemUrl: string): string {
  const url = new URL(lineItemUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/results`;
  return url.toString();
}

function toResult(value: unknown): [string, PlatformResult] | null {
  if (typeof value !== 'object' || value === null) return null;
  const entry = value as Record<string, unknown>;
  const userId = entry['userId'];
  if (typeof userId !== 'string' || userId === '') return null;
  const numberOf = (key: string) => (typeof entry[key] === 'number' && Number.isFinite(entry[key]) ? (entry[key] as number) : null);
  // Moodle leaves resultScore out when the grade is empty (gradebookservices.php result_for_json: `if (!empty($grade->finalgrade))`).
  return [userId, { resultScore: numberOf('resultScore'), resultMaximum: numberOf('resultMaximum'), comment: typeof entry['comment'] === 'string' ? entry['comment'] : null }];
}

/** How long one page's read keeps asking again while the platform throttles it. */
const THROTTLED_READ_BUDGET_MS = 30_000;

/**
 * A read the platform throttled (429, or Canvas's 403 "Rate Limit Exceeded") is asked again after
 * the wait it names, or 1–2 s when it names none as Canvas does not: a sync report or a course
 * resync run while a resync's deliveries keep the platform busy would otherwise see every line item
 * as unreadable and repair nothing. A read is safe to repeat; the budget keeps the request bounded.
 */
async function waitingOutThrottling(call: () => Promise<ServiceCallResult>): Promise<ServiceCallResult> {
  const startedAt = Date.now();
  for (;;) {
    const answer = await call();
    if (answer.ok || !answer.isThrottled) return answer;
    const waitMs = answer.retryAfterSeconds !== null ? answer.retryAfterSeconds * 1000 : 1000 * (1 + Math.random());
    if (Date.now() - startedAt + waitMs > THROTTLED_READ_BUDGET_MS) return answer;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

/**
 * AGS 2.0 §3.5: GET every result on a line item, following `rel="next"` Link headers, with the
 * result.readonly scope. A 404 means the line item is gone (Moodle results.php: "Grade item … doesn't
 * exist"; Canvas: the assignment was deleted). Never throws for a platform's answer.
 */
export function createGradebookResultsReader(client: PlatformServiceClient, registry: PlatformRegistry): GradebookResultsReader {
  return {
    async readResults(target: ScoreTarget): Promise<LineItemResultsRead> {
      const refusal = await registry.refusalFor(target.issuer, target.clientId, target.deploymentId);
      if (refusal) return { ok: false, isLineItemGone: false, message: `tenant refused: ${refusal}` };
      const results = new Map<string, PlatformResult>();
      let url: string | null = lineItemResultsUrlOf(target.lineItemUrl);
      for (let page = 0; url !== null; page += 1) {
        if (page === MAX_PAGES) return { ok: false, isLineItemGone: false, message: `the result service had more than ${MAX_PAGES} pages` };
        const pageUrl: string = url;
        const answer = await waitingOutThrottling(() => client.call(target, SCOPE_AGS_RESULT_READONLY, pageUrl, { method: 'GET', headers: { accept: MEDIA_TYPE_RESULT_CONTAINER } }));
        if (!answer.ok) return { ok: false, isLineItemGone: answer.status === 404, message: answer.message };
        let body: unknown;
        try {
          body = await answer.response.json();
        } catch (error) {
          return { ok: false, isLineItemGone: false, message: `the result service answered no JSON: ${(error as Error).message}` };
        }
        if (!Array.isArray(body)) return { ok: false, isLineItemGone: false, message: 'the result service answered no array' };
        for (const entry of body) {
          const result = toResult(entry);
          if (result) results.set(result[0], result[1]);
        }
        url = nextPageOf(answer.response.headers.get('link'));
      }
      return { ok: true, results };
    },
  };
}
