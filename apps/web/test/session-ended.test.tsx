import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { apiRoutes } from '@attest/contracts';
import { createApiClient } from '../src/api/api-client.ts';
import { watchSessionExpiry } from '../src/api/watch-session-expiry.ts';
import { SessionExpired } from '../src/components/session-expired.tsx';
import { uploadErrorMessage } from '../src/portfolio/upload-request.ts';

const ended = 'Your session has ended. Open the activity again from your course.';

function answering401(): typeof fetch {
  return async () => new Response(JSON.stringify({ error: { code: 'unauthenticated', message: ended } }), { status: 401, headers: { 'content-type': 'application/json' } });
}

describe('a launch token past its lifetime', () => {
  it('turns a 401 from any API call into the session-ended screen, which tells the user to reopen the activity', async () => {
    let isEnded = false;
    const api = watchSessionExpiry(createApiClient({ token: 'old-ltik', fetch: answering401() }), () => {
      isEnded = true;
    });
    await expect(api.call(apiRoutes.getPortfolio, {})).rejects.toMatchObject({ kind: 'session-expired', status: 401, message: ended });
    expect(isEnded).toBe(true);
    const html = renderToStaticMarkup(<SessionExpired />);
    expect(html).toContain('role="alert"');
    expect(html).toContain(ended);
    expect(html).not.toContain('<button');
  });

  it('lets an upload refused with 401 end the session too, with the same words', () => {
    let isEnded = false;
    const api = watchSessionExpiry(createApiClient({ token: 'old-ltik', fetch: answering401() }), () => {
      isEnded = true;
    });
    api.reportSessionEnded?.();
    expect(isEnded).toBe(true);
    expect(uploadErrorMessage('plan.pdf', 401, undefined)).toBe(ended);
  });
});
