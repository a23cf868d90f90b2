// A real little AGS score endpoint on loopback, and a ScoreSender that POSTs to it over HTTP, for
// tests of the queue that must not depend on the LTI adapter or the platform emulator.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Score, ScoreSender } from '../../src/domain/ports.ts';
import { isThrottledAnswer } from '../../src/lti/platform-service-client.ts';

export interface ReceivedScore {
  readonly lineItemPath: string;
  readonly score: Score;
}

export interface ScoreEndpoint {
  readonly url: string;
  readonly received: ReceivedScore[];
  /** Every request in arrival order: when it came (ms since epoch), where, and what it was answered. */
  readonly requests: { at: number; lineItemPath: string; status: number }[];
  /** Answers for the next requests, in order (status, optional Retry-After and plain-text body); then 200. */
  respondWith(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

export interface ScriptedAnswer {
  readonly status: number;
  readonly retryAfter?: number;
  /** Sent as text/plain instead of the JSON error, e.g. Canvas's "403 Forbidden (Rate Limit Exceeded)". */
  readonly body?: string;
}

export async function startScoreEndpoint(): Promise<ScoreEndpoint> {
  const received: ReceivedScore[] = [];
  const requests: { at: number; lineItemPath: string; status: number }[] = [];
  const answers: ScriptedAnswer[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const answer = answers.shift() ?? { status: 200 };
      const lineItemPath = (req.url ?? '').replace(/\/scores$/, '');
      requests.push({ at: Date.now(), lineItemPath, status: answer.status });
      if (answer.status < 300) received.push({ lineItemPath, score: JSON.parse(body) as Score });
      if (answer.retryAfter !== undefined) res.setHeader('Retry-After', String(answer.retryAfter));
      if (answer.body !== undefined) res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8' }).end(answer.body);
      else res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.status < 300 ? '{}' : '{"error":"scripted failure"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    requests,
    respondWith: (...next) => answers.push(...next),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** AGS §3.4: POST the score as JSON to `<line item URL>/scores`. */
export const httpScoreSender: ScoreSender = {
  async send(target, score) {
    const lineItem = new URL(target.lineItemUrl);
    lineItem.pathname = `${lineItem.pathname.replace(/\/$/, '')}/scores`;
    const response = await fetch(lineItem, { method: 'POST', headers: { 'content-type': 'application/vnd.ims.lis.v1.score+json' }, body: JSON.stringify(score) });
    if (response.ok) return { ok: true, status: response.status };
    const retryAfter = response.headers.get('retry-after');
    const body = await response.text();
    return { ok: false, status: response.status, retryAfterSeconds: retryAfter === null ? null : Number(retryAfter), message: body, isThrottled: isThrottledAnswer(response.status, body) };
  },
};
