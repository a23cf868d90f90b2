import type { PlatformResult, PlatformResultRead, Score, ScoreSender, ScoreSendResult, ScoreTarget } from '../domain/ports.ts';
import { MEDIA_TYPE_SCORE, SCOPE_AGS_RESULT_READONLY, SCOPE_AGS_SCORE } from './claims.ts';
import type { PlatformServiceClient } from './platform-service-client.ts';
import type { PlatformRegistry } from './platform-registry.ts';

/** AGS 2.0 §3.4: the score service is the line item URL with `/scores` appended to its path. */
export function scoresUrlOf(lineItemUrl: string): string {
  const url = new URL(lineItemUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`;
  return url.toString();
}

/** AGS 2.0 §3.5: the result service is the line item URL with `/results` appended, filtered by `user_id`. */
export function resultsUrlOf(lineItemUrl: string, userId: string): string {
  const url = new URL(lineItemUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/results`;
  url.searchParams.set('user_id', userId);
  return url.toString();
}

/** AGS 2.0 §3.5.1 result container media type. */
const MEDIA_TYPE_RESULT_CONTAINER = 'application/vnd.ims.lis.v2.resultcontainer+json';

function toPlatformResult(value: unknown, userId: string): PlatformResult | null {
  if (!Array.isArray(value)) return null;
  const found: unknown = value.find((entry) => typeof entry === 'object' && entry !== null && (entry as Record<string, unknown>)['userId'] === userId);
  if (typeof found !== 'object' || found === null) return null;
  const entry = found as Record<string, unknown>;
  const numberOf = (key: string) => (typeof entry[key] === 'number' && Number.isFinite(entry[key]) ? (entry[key] as number) : null);
  return { resultScore: numberOf('resultScore'), resultMaximum: numberOf('resultMaximum'), comment: typeof entry['comment'] === 'string' ? entry['comment'] : null };
}

/** AGS 2.0 §3.4.x score body; platform extensions ride along as top-level members. */
export function toScoreBody(score: Score): Record<string, unknown> {
  return {
    ...score.extensions,
    userId: score.userId,
    ...(score.scoreGiven !== undefined ? { scoreGiven: score.scoreGiven } : {}),
    ...(score.scoreMaximum !== undefined ? { scoreMaximum: score.scoreMaximum } : {}),
    activityProgress: score.activityProgress,
    gradingProgress: score.gradingProgress,
    timestamp: score.timestamp,
    ...(score.comment !== undefined ? { comment: score.comment } : {}),
  };
}

/**
 * Posts scores with nothing but a ScoreTarget, so a background job can send one long after the
 * launch (and its ltik) expired. Never throws for a platform's refusal: the caller decides on retry.
 */
export function createAgsScoreSender(client: PlatformServiceClient, registry: PlatformRegistry): ScoreSender {
  return {
    async send(target: ScoreTarget, score: Score): Promise<ScoreSendResult> {
      const refusal = await registry.refusalFor(target.issuer, target.clientId, target.deploymentId);
      if (refusal) return { ok: false, status: null, retryAfterSeconds: null, message: `tenant refused: ${refusal}` };
      const result = await client.call(target, SCOPE_AGS_SCORE, scoresUrlOf(target.lineItemUrl), {
        method: 'POST',
        headers: { 'content-type': MEDIA_TYPE_SCORE },
        body: JSON.stringify(toScoreBody(score)),
      });
      if (!result.ok) return { ok: false, status: result.status, retryAfterSeconds: result.retryAfterSeconds, message: result.message, isThrottled: result.isThrottled };
      await result.response.body?.cancel();
      return { ok: true, status: result.response.status };
    },
    async readResult(target: ScoreTarget, userId: string): Promise<PlatformResultRead> {
      const result = await client.call(target, SCOPE_AGS_RESULT_READONLY, resultsUrlOf(target.lineItemUrl, userId), { method: 'GET', headers: { accept: MEDIA_TYPE_RESULT_CONTAINER } });
      if (!result.ok) return { ok: false, message: result.message, isThrottled: result.isThrottled };
      try {
        return { ok: true, result: toPlatformResult(await result.response.json(), userId) };
      } catch (error) {
        return { ok: false, message: `the result service answered no JSON: ${(error as Error).message}` };
      }
    },
  };
}
