import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ApiRequestError } from '../src/api/api-client.ts';
import { ErrorState } from '../src/components/error-state.tsx';

describe('ErrorState', () => {
  it('shows the user-safe message in an alert, not the cause behind it', () => {
    const error = new ApiRequestError('api', 'Only assessors can see the caseload.', { status: 403, cause: new Error('SELECT * FROM secrets') });
    const html = renderToStaticMarkup(<ErrorState title="The learners could not be loaded" error={error} onRetry={() => {}} />);
    expect(html).toMatch(/role="alert"/);
    expect(html).toContain('Only assessors can see the caseload.');
    expect(html).not.toContain('SELECT');
    expect(html).toMatch(/<button[^>]*>Try again<\/button>/);
  });

  it('offers no retry for an expired session, since only a relaunch helps', () => {
    const error = new ApiRequestError('session-expired', 'Your session has ended.', { status: 401 });
    const html = renderToStaticMarkup(<ErrorState title="Could not load" error={error} onRetry={() => {}} />);
    expect(html).not.toContain('<button');
  });
});
