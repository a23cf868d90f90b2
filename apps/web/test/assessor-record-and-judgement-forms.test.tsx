// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssessorEvidenceItem } from '@attest/contracts';
import { ApiRequestError, type ApiClient } from '../src/api/api-client.ts';
import { REFERRAL_NEEDS_FEEDBACK } from '../src/assessor/build-judgement-request.ts';
import { JudgeItemView } from '../src/assessor/judge-item-view.tsx';
import { makeAssessorItem } from './assessor-factories.ts';
import { makeUnit, mapping } from './portfolio-factories.ts';
import { withQueryClient } from './with-query-client.tsx';

type Sent = { path: string; body: unknown };

/** An API that records each call and answers it with `answer` (an Error is thrown). */
function recordingApi(answer: (sent: Sent) => unknown) {
  const sent: Sent[] = [];
  const api = {
    call: async (route: { path: string }, input: { body?: unknown }) => {
      const call = { path: route.path, body: input.body };
      sent.push(call);
      const reply = answer(call);
      if (reply instanceof Error) throw reply;
      return reply;
    },
    token: 't',
    baseUrl: '',
  } as unknown as ApiClient;
  return { api, sent };
}

const unit = makeUnit();
const ignore = () => undefined;

afterEach(cleanup);

describe('JudgeItemView (React Hook Form over the contract’s JudgementRequestSchema)', () => {
  const item = makeAssessorItem({ files: [], judgementVersion: 2, mappings: [mapping('209.1.1'), mapping('209.1.2')] });
  const group = (name: RegExp) => within(screen.getByRole('group', { name }));
  const renderJudge = (api: ApiClient, onJudged: (item: AssessorEvidenceItem) => void = ignore) => render(withQueryClient(<JudgeItemView api={api} unit={unit} item={item} label="E1" learnerName="Lee Learner" onJudged={onJudged} onBack={ignore} />));

  it('sends only the changed mapping, with the judgement and item versions it read, and says it saved', async () => {
    const judged = { ...item, judgementVersion: 3, mappings: [mapping('209.1.1', { decision: 'accepted', feedback: 'Clear.' }), mapping('209.1.2')] };
    const { api, sent } = recordingApi(() => judged);
    const received: AssessorEvidenceItem[] = [];
    renderJudge(api, (i) => received.push(i));
    fireEvent.click(group(/^209\.1\.1/).getByLabelText('Accept'));
    fireEvent.change(group(/^209\.1\.1/).getByLabelText('Feedback (optional)'), { target: { value: '  Clear.  ' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save decisions' })));
    await waitFor(() => expect(screen.getByText('Decisions saved.')).toBeTruthy());
    expect(sent).toEqual([
      {
        path: '/api/assessor/evidence/:itemId/judgement',
        body: { baseVersion: 2, itemVersion: item.version, mappings: [{ unitId: 'nvq2-cs-209', target: 'statement', ref: '209.1.1', decision: 'accepted', method: 'PE', feedback: 'Clear.' }] },
      },
    ]);
    expect(received).toEqual([judged]);
    expect((group(/^209\.1\.1/).getByLabelText('Feedback (optional)') as HTMLTextAreaElement).value).toBe('Clear.');
  });

  it('refuses a referral without feedback at its own field, moves focus there, and sends nothing', async () => {
    const { api, sent } = recordingApi(() => item);
    renderJudge(api);
    fireEvent.click(group(/^209\.1\.2/).getByLabelText('Refer back'));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save decisions' })));
    await waitFor(() => expect(screen.getByText(REFERRAL_NEEDS_FEEDBACK)).toBeTruthy());
    const feedback = group(/^209\.1\.2/).getByLabelText('Feedback');
    expect(feedback.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(feedback.getAttribute('aria-describedby') ?? '')?.textContent).toBe(REFERRAL_NEEDS_FEEDBACK);
    expect(document.activeElement).toBe(feedback);
    expect(screen.getByRole('alert').textContent).toBe('Not saved: One decision needs feedback before it can be saved.');
    expect(sent).toEqual([]);
  });

  it('sends nothing and says saved when no decision changed', async () => {
    const { api, sent } = recordingApi(() => item);
    renderJudge(api);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save decisions' })));
    await waitFor(() => expect(screen.getByText('Decisions saved.')).toBeTruthy());
    expect(sent).toEqual([]);
  });

  it('keeps the assessor’s feedback when another assessor judged first (409), and shows their decisions', async () => {
    const theirs = { ...item, judgementVersion: 3, mappings: [mapping('209.1.1', { decision: 'accepted', method: 'O' }), mapping('209.1.2')] };
    const { api, sent } = recordingApi(() => new ApiRequestError('api', 'Conflict', { status: 409, details: { current: theirs } }));
    renderJudge(api);
    fireEvent.click(group(/^209\.1\.2/).getByLabelText('Refer back'));
    fireEvent.change(group(/^209\.1\.2/).getByLabelText('Feedback'), { target: { value: 'Say how you kept the caller informed.' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save decisions' })));
    await waitFor(() => expect(screen.getByText('Another assessor judged this evidence first')).toBeTruthy());
    expect(sent).toHaveLength(1);
    expect((group(/^209\.1\.2/).getByLabelText('Feedback') as HTMLTextAreaElement).value).toBe('Say how you kept the caller informed.');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Load their decisions' })));
    expect((group(/^209\.1\.1/).getByLabelText('Accept') as HTMLInputElement).checked).toBe(true);
    expect((group(/^209\.1\.2/).getByLabelText('Feedback (optional)') as HTMLTextAreaElement).value).toBe('');
  });
});
