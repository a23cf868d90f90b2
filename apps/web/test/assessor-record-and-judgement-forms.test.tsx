// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssessorEvidenceItem, AssessorRecord } from '@attest/contracts';
import { ApiRequestError, type ApiClient } from '../src/api/api-client.ts';
import { REFERRAL_NEEDS_FEEDBACK } from '../src/assessor/build-judgement-request.ts';
import { JudgeItemView } from '../src/assessor/judge-item-view.tsx';
import { emptyRecordForm, recordFormFromContent, TARGETS_ERROR } from '../src/assessor/record-form.ts';
import { RecordFormView } from '../src/assessor/record-form-view.tsx';
import { makeAssessorItem, makeRecord } from './assessor-factories.ts';
import { makeUnit, mapping } from './portfolio-factories.ts';
import { withQueryClient } from './with-query-client.tsx';
import './dom-patience.ts';

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

describe('RecordFormView (React Hook Form over the contract’s RecordContentSchema)', () => {
  const renderRecord = (api: ApiClient, options: { kind?: Parameters<typeof emptyRecordForm>[0]; editing?: AssessorRecord; onSaved?: (record: AssessorRecord) => void } = {}) =>
    render(
      withQueryClient(
        <RecordFormView
          api={api}
          unit={unit}
          learnerUserId="learner-1"
          items={[]}
          initial={options.editing === undefined ? emptyRecordForm(options.kind ?? 'observation', '2026-05-20', 'Unit 209') : recordFormFromContent(options.editing.content, '2026-05-20')}
          initialTargets={options.editing?.targets ?? []}
          supersedes={null}
          editing={options.editing ?? null}
          today="2026-05-20"
          onSaved={options.onSaved ?? ignore}
          onCancel={ignore}
        />,
      ),
    );
  const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

  it('sends an observation as the contract’s request, signed when “Save and sign” is pressed', async () => {
    const record = makeRecord();
    const { api, sent } = recordingApi(() => record);
    const saved: AssessorRecord[] = [];
    renderRecord(api, { onSaved: (r) => saved.push(r) });
    type('Place', 'Returns desk');
    type('What you saw the candidate do', 'Kept the caller informed.');
    fireEvent.click(screen.getByLabelText('Photographs'));
    type('Where the photographs can be found', ' Item E2 ');
    fireEvent.click(screen.getByLabelText(/^209\.1\.2/));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save and sign' })));
    // Nothing is sent until the assessor confirms, in words that say a signed record cannot be edited.
    const confirm = await screen.findByRole('alertdialog', { name: 'Sign the observation record?' });
    expect(confirm.textContent).toContain('A signed record is final');
    expect(sent).toEqual([]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Yes, sign it' })));
    await waitFor(() => expect(saved).toEqual([record]));
    expect(sent).toEqual([
      {
        path: '/api/assessor/learners/:userId/records',
        body: {
          content: { kind: 'observation', date: '2026-05-20', workSetting: 'real-job', customerRef: null, occasionRef: null, place: 'Returns desk', observed: 'Kept the caller informed.', supplementaryEvidence: [{ kind: 'photographs', location: 'Item E2' }] },
          targets: [{ unitId: 'nvq2-cs-209', target: 'statement', ref: '209.1.2' }],
          sign: true,
          supersedes: null,
        },
      },
    ]);
  });

  it('refuses empty fields beside each one, focuses the first, sends nothing, and drops a message once its field is right', async () => {
    const { api, sent } = recordingApi(() => makeRecord());
    renderRecord(api);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save as draft' })));
    await waitFor(() => expect(screen.getByText('Enter the place.')).toBeTruthy());
    expect(screen.getByText('Enter what you saw the candidate do.')).toBeTruthy();
    expect(screen.getByText(TARGETS_ERROR)).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Not saved: 3 fields need attention.');
    const place = screen.getByLabelText('Place');
    expect(place.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(place.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Enter the place.');
    expect(document.activeElement).toBe(place);
    expect(sent).toEqual([]);
    await act(async () => type('Place', 'Returns desk'));
    await waitFor(() => expect(screen.queryByText('Enter the place.')).toBeNull());
    expect(screen.getByText('Enter what you saw the candidate do.')).toBeTruthy();
  });

  it('keys a questioning error to the row the assessor sees, and takes the witness status as a number', async () => {
    const { api, sent } = recordingApi(() => makeRecord());
    renderRecord(api, { kind: 'questioning' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Add a question' })));
    type('Question 1', 'Why log the call?');
    type('Answer 1', 'So the next shift sees it.');
    fireEvent.click(screen.getByLabelText(/^209\.1\.2/));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save as draft' })));
    await waitFor(() => expect(screen.getByText('Enter the question.')).toBeTruthy());
    expect(screen.getByLabelText('Question 2').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Question 1').getAttribute('aria-invalid')).toBe('false');
    expect(sent).toEqual([]);

    // Switching the kind keeps what was typed; only the chosen kind's fields are sent.
    fireEvent.click(screen.getByLabelText('Witness testimony'));
    type('Witness name', 'Dana Shah');
    type('Contact details', 'dana@example.com');
    type('Position', 'Team leader');
    type('Relationship to the candidate', 'Line manager');
    fireEvent.change(screen.getByLabelText('Witness status category'), { target: { value: '3' } });
    type('Witness statement', 'Saw the call handled well.');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save as draft' })));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.body).toMatchObject({ content: { kind: 'witness-testimony', witness: { name: 'Dana Shah', status: 3 }, unitsWitnessed: ['Unit 209'] }, sign: false });
  });

  it('keeps the assessor’s text when the draft changed meanwhile (409), saying why it was not saved', async () => {
    const draft = makeRecord();
    const { api, sent } = recordingApi(() => new ApiRequestError('api', 'This record was changed by someone else. Reload to see it.', { status: 409 }));
    renderRecord(api, { editing: draft });
    type('Place', 'Stockroom');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save as draft' })));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Not saved: This record was changed by someone else. Reload to see it.'));
    expect(sent).toEqual([{ path: '/api/assessor/learners/:userId/records/:recordId', body: { baseVersion: draft.version, content: { ...draft.content, place: 'Stockroom' }, targets: draft.targets } }]);
    expect((screen.getByLabelText('Place') as HTMLInputElement).value).toBe('Stockroom');
  });
});
