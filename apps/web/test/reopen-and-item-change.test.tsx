import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { WithdrawnSignature } from '@attest/contracts';
import type { ApiClient } from '../src/api/api-client.ts';
import { ItemChangedNotice } from '../src/assessor/judge-item-view.tsx';
import { nextReopenStep, REOPEN_CONFIRMATION, ReopenUnitForm, SignOffPanel } from '../src/assessor/sign-off-panel.tsx';
import { WithdrawnSignatures } from '../src/assessor/signature-chain.tsx';
import { LearnerAssessmentView } from '../src/portfolio/learner-assessment-section.tsx';
import { makeSignOffState, signature } from './assessor-factories.ts';
import { textOf } from './portfolio-factories.ts';
import { withQueryClient } from './with-query-client.tsx';

// Issue 8: the assessor reopens a signed-off unit with a reason and a confirmation that says the
// learner's grade will be cleared; withdrawn signatures stay on screen, marked withdrawn; a
// judgement refused because the learner changed the evidence says what changed.

const noCall = () => Promise.reject(new Error('no call expected'));
const api: ApiClient = { call: noCall, getBlob: noCall, urlOf: () => '', token: 't', baseUrl: '' };
const ignore = () => undefined;

const withdrawn = (role: WithdrawnSignature['role'], name: string): WithdrawnSignature => ({
  ...signature(role, name),
  withdrawnAt: '2026-05-20T09:30:00Z',
  withdrawnByUserId: 'assessor-1',
  withdrawnByName: 'Sam Assessor',
  reason: 'The photo shows another store.',
});

const panel = (state: ReturnType<typeof makeSignOffState>) => textOf(renderToStaticMarkup(withQueryClient(<SignOffPanel api={api} learnerUserId="learner-1" userId="assessor-1" profile={null} verdict={null} state={state} reportVersion={1} onChanged={ignore} />)));

describe('reopening a signed-off unit', () => {
  it('offers “Reopen this unit” once the unit is signed off, and not before', () => {
    expect(panel(makeSignOffState({ stage: 'completed', assessor: signature('assessor', 'Sam Assessor'), candidate: signature('candidate', 'Lee Learner') }))).toContain('Reopen this unit');
    expect(panel(makeSignOffState({ stage: 'awaiting-countersignature', assessor: signature('assessor', 'Sam Assessor'), isCountersignatureRequired: true }))).toContain('Reopen this unit');
    expect(panel(makeSignOffState())).not.toContain('Reopen this unit');
  });

  it('asks for a reason, and refuses to go on without one', () => {
    const asking = textOf(renderToStaticMarkup(<ReopenUnitForm state={{ step: 'reason', reason: '', error: null }} isBusy={false} onChange={ignore} onConfirm={ignore} />));
    expect(asking).toContain('Why is this unit reopened?');
    expect(asking).toContain('Continue');
    const refused = nextReopenStep({ step: 'reason', reason: '   ', error: null });
    expect(refused).toEqual({ step: 'reason', reason: '   ', error: 'Say why the unit is reopened: the reason is kept with the withdrawn signatures.' });
    const html = renderToStaticMarkup(<ReopenUnitForm state={refused} isBusy={false} onChange={ignore} onConfirm={ignore} />);
    expect(html).toContain('aria-invalid="true"');
    expect(textOf(html)).toContain('Say why the unit is reopened');
  });

  it('confirms in words that say the learner’s grade will be cleared, with the reason given', () => {
    expect(nextReopenStep({ step: 'reason', reason: '  Wrong store. ', error: null })).toEqual({ step: 'confirm', reason: 'Wrong store.' });
    const html = renderToStaticMarkup(<ReopenUnitForm state={{ step: 'confirm', reason: 'Wrong store.' }} isBusy={false} onChange={ignore} onConfirm={ignore} />);
    const text = textOf(html);
    expect(html).toContain('role="alertdialog"');
    expect(text).toContain('Reopen this unit and clear the learner’s grade?');
    expect(text).toContain(REOPEN_CONFIRMATION);
    expect(REOPEN_CONFIRMATION).toContain('The learner’s grade in the LMS will be cleared');
    expect(text).toContain('Reason: “Wrong store.”');
    expect(text).toContain('Reopen and clear the grade');
    expect(text).toContain('Keep it signed off');
  });

  it('still shows withdrawn signatures, marked withdrawn, with who withdrew them, when and why', () => {
    const text = panel(makeSignOffState({ withdrawn: [withdrawn('assessor', 'Ada Assessor'), withdrawn('candidate', 'Lee Learner')] }));
    expect(text).toContain('Withdrawn signatures');
    expect(text).toContain('Assessor’s sign-off withdrawn — Assessor’s sign-off: Signed by Ada Assessor');
    expect(text).toContain('Withdrawn by Sam Assessor on 20 May 2026: “The photo shows another store.”');
    expect(text).toContain('Candidate declaration withdrawn');
    expect(textOf(renderToStaticMarkup(<WithdrawnSignatures withdrawn={[]} />))).toBe('');
  });
});

describe('the learner’s view of a reopened unit', () => {
  it('shows the withdrawn declaration and sign-off, marked withdrawn with the reason, and offers the declaration again', () => {
    const { grade: _grade, ...signOff } = makeSignOffState({ withdrawn: [withdrawn('assessor', 'Ada Assessor'), withdrawn('candidate', 'Lee Learner')] });
    const text = textOf(renderToStaticMarkup(<LearnerAssessmentView api={api} initial={{ unitId: 'unit-s', actionPlan: null, records: [], report: null, signOff, nextStep: { audience: 'learner', code: 'sign-declaration', count: 0 } }} />));
    expect(text).toContain('Withdrawn signatures');
    expect(text).toContain('Withdrawn by Sam Assessor on 20 May 2026: “The photo shows another store.”');
    expect(text).toContain('Sign the candidate declaration');
  });
});

describe('a judgement refused because the learner changed the evidence', () => {
  it('names both versions and lists what changed', () => {
    const html = renderToStaticMarkup(<ItemChangedNotice readVersion={3} currentVersion={5} changes={['Title changed', 'File added: desk.png']} />);
    const text = textOf(html);
    expect(html).toContain('role="alert"');
    expect(text).toContain('The learner changed this evidence after you opened it (version 3 → 5)');
    expect(text).toContain('Your decisions were not saved. The current version is shown below');
    expect(text).toContain('Title changed');
    expect(text).toContain('File added: desk.png');
  });
});
