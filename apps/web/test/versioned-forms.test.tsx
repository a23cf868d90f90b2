// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssessmentActionPlan, AssessmentReport, Feedback } from '@attest/contracts';
import { ApiRequestError, type ApiClient } from '../src/api/api-client.ts';
import { ActionPlanEditor } from '../src/assessor/action-plan-editor.tsx';
import { FeedbackComposer } from '../src/assessor/feedback-composer.tsx';
import { REPORT_CHECKS } from '../src/assessor/report-form.ts';
import { ReportEditor } from '../src/assessor/report-editor.tsx';
import { withQueryClient } from './with-query-client.tsx';
import './dom-patience.ts';

type Sent = { path: string; body: unknown };

/** An API that records each call and answers it with `answer`. */
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

const savedPlan = (version: number): AssessmentActionPlan => ({
  plan: { plannedMethods: [{ method: 'O', notes: 'Till' }], venue: 'Shop', dates: [], evidenceRequirements: '', feedbackArrangements: '' },
  version,
  updatedByName: 'Sam',
  updatedAt: '2026-05-20T10:00:00Z',
});

afterEach(cleanup);

describe('ActionPlanEditor (React Hook Form over the contract’s ActionPlanSchema)', () => {
  it('refuses a plan without a method, moves focus to the message, and sends nothing', async () => {
    const { api, sent } = recordingApi(() => savedPlan(1));
    render(withQueryClient(<ActionPlanEditor api={api} learnerUserId="learner-1" plan={null} onSaved={() => undefined} />));
    fireEvent.change(screen.getByLabelText('Method 1'), { target: { value: '' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save the action plan' })));
    await waitFor(() => expect(screen.getByText('Plan at least one assessment method.')).toBeTruthy());
    expect(screen.getByRole('alert').textContent).toBe('Not saved: Check the fields marked above.');
    expect(document.activeElement?.textContent).toBe('Plan at least one assessment method.');
    expect(sent).toEqual([]);
  });

  it('sends the trimmed plan with the version it read, then the next save with the version that save made', async () => {
    let version = 3;
    const { api, sent } = recordingApi(() => savedPlan(++version));
    render(withQueryClient(<ActionPlanEditor api={api} learnerUserId="learner-1" plan={savedPlan(3)} onSaved={() => undefined} />));
    fireEvent.change(screen.getByLabelText('Venue'), { target: { value: '  Returns desk  ' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Add a date' })));
    fireEvent.change(screen.getByLabelText('Date 1'), { target: { value: '2026-06-01' } });
    fireEvent.change(screen.getByLabelText('Activity 1'), { target: { value: 'Observation' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save the action plan' })));
    await waitFor(() => expect(screen.getByText('Action plan saved.')).toBeTruthy());
    expect(sent[0]).toEqual({
      path: '/api/assessor/learners/:userId/action-plan',
      body: { baseVersion: 3, plan: { plannedMethods: [{ method: 'O', notes: 'Till' }], venue: 'Returns desk', dates: [{ date: '2026-06-01', time: null, activity: 'Observation' }], evidenceRequirements: '', feedbackArrangements: '' } },
    });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save the action plan' })));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]?.body).toMatchObject({ baseVersion: 4 });
  });

  it('explains a 409 as another assessor’s change and keeps the text', async () => {
    const { api } = recordingApi(() => new ApiRequestError('api', 'Conflict', { status: 409 }));
    render(withQueryClient(<ActionPlanEditor api={api} learnerUserId="learner-1" plan={savedPlan(2)} onSaved={() => undefined} />));
    fireEvent.change(screen.getByLabelText('Venue'), { target: { value: 'Stockroom' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save the action plan' })));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Another assessor changed the plan meanwhile.'));
    expect((screen.getByLabelText('Venue') as HTMLInputElement).value).toBe('Stockroom');
  });
});

describe('FeedbackComposer (React Hook Form over FeedbackRequestSchema)', () => {
  it('refuses blank feedback beside the field and sends nothing', async () => {
    const { api, sent } = recordingApi(() => undefined);
    render(withQueryClient(<FeedbackComposer api={api} learnerUserId="learner-1" onSent={() => undefined} />));
    fireEvent.change(screen.getByLabelText('Feedback to the candidate'), { target: { value: '   ' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Send feedback' })));
    await waitFor(() => expect(screen.getByText('Write the feedback before sending it.')).toBeTruthy());
    expect(screen.getByLabelText('Feedback to the candidate').getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([]);
  });

  it('sends trimmed unit feedback, an empty action plan as none, and clears the form once sent', async () => {
    const feedback = { id: 'f1' } as unknown as Feedback;
    const { api, sent } = recordingApi(() => feedback);
    const received: Feedback[] = [];
    render(withQueryClient(<FeedbackComposer api={api} learnerUserId="learner-1" onSent={(f) => received.push(f)} />));
    fireEvent.change(screen.getByLabelText('Feedback to the candidate'), { target: { value: '  Good work on the till.  ' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Send feedback' })));
    await waitFor(() => expect(screen.getByText('Feedback sent. The learner can see it now.')).toBeTruthy());
    expect(sent[0]?.body).toEqual({ itemId: null, text: 'Good work on the till.', actionPlan: null });
    expect(received).toEqual([feedback]);
    expect((screen.getByLabelText('Feedback to the candidate') as HTMLTextAreaElement).value).toBe('');
  });
});

describe('ReportEditor (React Hook Form over AssessmentReportBodySchema)', () => {
  it('refuses a report with every answer blank, counting them, and sends nothing', async () => {
    const { api, sent } = recordingApi(() => undefined);
    render(withQueryClient(<ReportEditor api={api} learnerUserId="learner-1" report={null} onSaved={() => undefined} />));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save the report' })));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(`Not saved: ${REPORT_CHECKS.length + 1} answers are missing.`));
    expect(screen.getAllByText('Answer yes or no.')).toHaveLength(REPORT_CHECKS.length);
    expect(screen.getByText('Choose the outcome of the assessment.')).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it('sends the answers as booleans with the version it read', async () => {
    const saved: AssessmentReport = { report: { checks: { moreSkillsEvidenceRequired: false, moreKnowledgeEvidenceRequired: false, morePortfolioEvidenceRequired: false, skillsMet: true, knowledgeMet: true, evidenceValidSufficientCurrentAuthentic: true, properlyAuthenticated: true }, comments: 'Good.', outcome: 'competent' }, version: 3, isSigned: false, updatedByName: 'Sam', updatedAt: '2026-05-20T10:00:00Z' };
    const { api, sent } = recordingApi(() => ({ ...saved, version: 4 }));
    render(withQueryClient(<ReportEditor api={api} learnerUserId="learner-1" report={saved} onSaved={() => undefined} />));
    fireEvent.click(screen.getAllByLabelText('Yes')[0] as HTMLElement);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save the report' })));
    await waitFor(() => expect(screen.getByText('Report saved.')).toBeTruthy());
    expect(sent[0]?.body).toEqual({ baseVersion: 3, report: { ...saved.report, checks: { ...saved.report.checks, moreSkillsEvidenceRequired: true } } });
  });
});
