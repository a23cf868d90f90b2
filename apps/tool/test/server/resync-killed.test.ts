import { describe, expect, inject, it } from 'vitest';
import { runKilledResync } from '../support/killed-resync.ts';

// Issue 14: a course's scores resent under Canvas's rate limit, with the tool process killed
// halfway, all reach the gradebook; throttling fails none of them. The small version of
// `npm run bench:resync` (test/support/killed-resync.ts). PostgreSQL only: two processes share it.
// Slow by nature: a delivery the kill cut short is taken up again only after pg-boss expires its
// job (about three minutes at most), so every wait below is generous and none is a fixed sleep.

describe('a course resync killed halfway under the platform’s rate limit', () => {
  it('delivers every learner’s score once the second server has run, with throttled answers along the way and none failed', { timeout: 900_000 }, async () => {
    const figures = await runKilledResync({
      adminUrl: inject('attestPostgresAdminUrl'),
      platform: 'canvas',
      learners: 50,
      units: 4,
      // Canvas's bucket made small: two calls at once (50 up front each) reach the high-water mark
      // once 50 of the calls' own cost (3 each, 10 leaking a second) is in it, so even a slow
      // machine's deliveries are throttled, to about 3 calls a second.
      rateLimit: { kind: 'canvas', hwm: 150, outflowPerSecond: 10, upFrontCost: 50, requestCost: 3 },
      killAt: 100,
      stepTimeoutMs: 300_000,
    });
    expect(figures.sentWhenKilled).toBeGreaterThanOrEqual(100);
    expect(figures.sentWhenKilled).toBeLessThan(200);
    expect(figures.throttledAnswers).toBeGreaterThan(0);
    expect(figures).toMatchObject({ scores: 200, lost: 0, failedRows: 0, sentRows: 200 });
  });
});
