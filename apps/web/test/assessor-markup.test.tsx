import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ASSESSOR_UNIT_DECLARATION, CANDIDATE_UNIT_DECLARATION, type CaseloadLearner } from '@attest/contracts';
import type { ApiClient } from '../src/api/api-client.ts';
import { initialJudgements } from '../src/assessor/build-judgement-request.ts';
import { FilePreview } from '../src/assessor/file-preview.tsx';
import { ConflictNotice, JudgeItemView, MappingDecision } from '../src/assessor/judge-item-view.tsx';
import { emptyRecordForm, recordFormFromContent } from '../src/assessor/record-form.ts';
import { RecordFormView } from '../src/assessor/record-form-view.tsx';
import { RecordList } from '../src/assessor/record-list.tsx';
import { ReportEditor } from '../src/assessor/report-editor.tsx';
import { SignOffPanel } from '../src/assessor/sign-off-panel.tsx';
import { WitnessList } from '../src/assessor/witness-list.tsx';
import { LearnerAssessmentView } from '../src/portfolio/learner-assessment-section.tsx';
import { CaseloadView } from '../src/screens/instructor-caseload-screen.tsx';
import { makeAssessorItem, makeAssessorPortfolio, makeCaseload, makeCaseloadLearner, makeRecord, makeSignOffState, signature } from './assessor-factories.ts';
import { makeUnit, mapping, textOf } from './portfolio-factories.ts';
import { withQueryClient } from './with-query-client.tsx';

const noCall = () => Promise.reject(new Error('no call expected'));
const api: ApiClient = { call: noCall, getBlob: noCall, urlOf: () => '', token: 't', baseUrl: '' };
const ignore = () => undefined;
const unit = makeUnit();

describe('CaseloadView', () => {
  const waiting = (itemId: string, submittedAt: string) => ({ learnerUserId: 'learner-1', itemId, title: `Call ${itemId}`, submittedAt, pendingMappings: 2 });
  const render = () =>
    renderToStaticMarkup(
      <CaseloadView
        canPostScores={false}
        returnedFrom={null}
        onOpen={ignore}
        caseload={makeCaseload(
          [
            makeCaseloadLearner({ awaiting: [waiting('a', '2026-05-01T09:00:00Z'), waiting('b', '2026-05-03T09:00:00Z')], grade: { state: 'failed', activityProgress: 'Completed', gradingProgress: 'FullyGraded', attempts: 5, lastError: 'LMS answered 400: closed', updatedAt: null } }),
            makeCaseloadLearner({ userId: 'learner-2', name: 'Kim Newcomer', hasLaunched: false, progress: { met: 0, assessed: 0, total: 4 }, lastEvidenceAt: null, unitState: 'not-started' }),
          ],
        )}
      />,
    );

  it('lists every learner, including those who never opened Attest, with progress as a named bar', () => {
    const html = render();
    const text = textOf(html);
    expect(text).toContain('Learners (2)');
    expect(text).toContain('Kim Newcomer Has not opened Attest yet.');
    expect(text).toContain('Lee Learner: 2 of 4 statements met');
    expect(html).toMatch(/<progress id="[^"]+" class="progress" max="4" value="2"/);
    expect(text).toContain('Last evidence 2 May 2026');
    expect(text).toContain('Last evidence None yet');
    expect(html).toContain('aria-label="Open portfolio of Kim Newcomer"');
  });

  it('shows each learner’s state as the assessor’s next step, and no score form on the card', () => {
    const html = render();
    const text = textOf(html);
    expect(text).toContain('State 2 requirements are still missing');
    expect(text).not.toContain('Ready for sign-off');
    expect(html).not.toMatch(/<form/);
    expect(text).not.toContain('Send score');
  });

  it.each<[CaseloadLearner['nextStep'], string]>([
    [{ audience: 'assessor', code: 'decide-evidence', count: 2 }, 'State 2 items are waiting for your decision'],
    [{ audience: 'assessor', code: 'complete-report', count: 0 }, 'State Complete the assessment report'],
    [{ audience: 'assessor', code: 'wait-for-declaration', count: 0 }, 'State Waiting for the learner’s declaration'],
    [{ audience: 'assessor', code: 'ready-for-sign-off', count: 0 }, 'State Ready for sign-off'],
    [{ audience: 'assessor', code: 'awaiting-countersignature', count: 0 }, 'State Signed, awaiting countersignature'],
  ])('words the next step %j on the caseload card', (nextStep, words) => {
    const html = renderToStaticMarkup(<CaseloadView canPostScores returnedFrom={null} onOpen={ignore} caseload={makeCaseload([makeCaseloadLearner({ nextStep, unitState: 'ready-for-sign-off' })])} />);
    expect(textOf(html)).toContain(words);
  });

  it('says when the LMS shares no roster or no names, and what the LMS administrator can turn on', () => {
    const shared = textOf(renderToStaticMarkup(<CaseloadView canPostScores returnedFrom={null} onOpen={ignore} caseload={makeCaseload([makeCaseloadLearner()])} />));
    expect(shared).not.toContain('does not share');
    const unshared = textOf(
      renderToStaticMarkup(<CaseloadView canPostScores returnedFrom={null} onOpen={ignore} caseload={makeCaseload([makeCaseloadLearner({ userId: '7', name: null, email: null })], { rosterIsShared: false })} />),
    );
    expect(unshared).toContain('a learner appears here once they have opened Attest');
    expect(unshared).toContain('IMS LTI Names and Role Provisioning');
    expect(unshared).toContain('each is shown by their LMS user number');
    expect(unshared).toContain('User 7');
    const nobodyYet = textOf(renderToStaticMarkup(<CaseloadView canPostScores returnedFrom={null} onOpen={ignore} caseload={makeCaseload([], { rosterIsShared: false })} />));
    expect(nobodyYet).toContain('No learner has opened Attest in this course yet.');
  });

  it('shows the queue oldest first, each with its learner, and whether the LMS has the grade', () => {
    const html = render();
    const text = textOf(html);
    expect(text).toContain('Awaiting assessment (2)');
    expect(text.indexOf('Call a')).toBeLessThan(text.indexOf('Call b'));
    expect(html).toContain('aria-label="Assess Call a by Lee Learner"');
    expect(text).toContain('Gradebook: failed (LMS answered 400: closed)');
    expect(text).toContain('Gradebook: nothing sent yet');
  });
});

describe('judging evidence', () => {
  const item = makeAssessorItem({ title: 'Complaint call', files: [{ id: 'f1', name: 'call.pdf', mediaType: 'application/pdf', size: 2048, sha256: 'x', uploadedAt: '2026-05-01T10:00:00Z' }], mappings: [mapping('209.1.1'), mapping('209.1.2', { decision: 'referred', feedback: 'Say more.' })] });

  it('offers accept and refer back per mapping, the method, and feedback tied to its error', () => {
    const judgement = { ...initialJudgements(item, unit.id)[0]!, decision: 'referred' as const };
    const html = renderToStaticMarkup(<MappingDecision unit={unit} judgement={judgement} error="Say why this evidence is referred back: the learner sees this feedback." onChange={ignore} />);
    expect(html).toContain('<legend>209.1.1 operate the telephone equipment</legend><fieldset class="choice-group"><legend>Decision</legend>');
    expect(html).toMatch(/<input id="[^"]+-referred" type="radio"[^>]*checked=""/);
    expect(textOf(html)).toContain('Accept');
    expect(textOf(html)).toContain('Refer back');
    expect(textOf(html)).toContain('Assessed by');
    const error = /<textarea id="([^"]+)-feedback"[^>]*aria-invalid="true" aria-describedby="([^"]+)"/.exec(html);
    expect(error?.[2]).toBe(`${error?.[1]}-error`);
    expect(html).toContain(`<p class="field-error" id="${error?.[2]}">Say why`);
  });

  it('shows the item, its files and one decision group per mapping of this unit', () => {
    const html = renderToStaticMarkup(<JudgeItemView api={api} unit={unit} item={item} label="E1" learnerName="Lee Learner" onJudged={ignore} onBack={ignore} />);
    const text = textOf(html);
    expect(html).toMatch(/<h1[^>]*>Evidence E1: Complaint call<\/h1>/);
    expect(text).toContain('call.pdf (2 KB)');
    expect(text).toContain('209.1.2 keep your customer informed Decision Accept Refer back');
    expect(text).toContain('Back to Lee Learner');
    expect(html).toContain('>Save decisions</button>');
  });

  it('says plainly that another assessor judged first, shows their decisions and overwrites nothing', () => {
    const current = makeAssessorItem({ judgementVersion: 2, mappings: [mapping('209.1.1', { decision: 'accepted', method: 'O' })] });
    const html = renderToStaticMarkup(<ConflictNotice unit={unit} current={current} onTake={ignore} />);
    expect(html).toContain('role="alert"');
    expect(textOf(html)).toContain('Another assessor judged this evidence first Your decisions were not saved and nothing of theirs was overwritten.');
    expect(textOf(html)).toContain('209.1.1 operate the telephone equipment: accepted (O)');
    expect(html).toContain('>Load their decisions</button>');
  });
});

describe('file previews', () => {
  const file = (name: string, mediaType: string, size: number) => ({ id: `f-${name}`, name, mediaType, size, sha256: 'x', uploadedAt: '2026-05-01T10:00:00Z' });
  it('starts loading small files the browser can show, waits for a click on large ones, and offers the rest as a download', () => {
    const small = textOf(renderToStaticMarkup(<FilePreview api={api} itemId="i1" file={file('board.png', 'image/png', 4096)} />));
    expect(small).toBe('board.png (4 KB) Loading board.png…');
    const large = renderToStaticMarkup(<FilePreview api={api} itemId="i1" file={file('call.mp4', 'video/mp4', 40 * 1024 * 1024)} />);
    expect(large).toContain('>Show <span class="visually-hidden">call.mp4</span></button>');
    const other = renderToStaticMarkup(<FilePreview api={api} itemId="i1" file={file('log.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 9000)} />);
    expect(other).toContain('>Download <span class="visually-hidden">log.xlsx</span></button>');
    expect(other).not.toContain('Show');
  });
});

describe('record forms', () => {
  const render = (kind: Parameters<typeof emptyRecordForm>[0]) => renderToStaticMarkup(withQueryClient(<RecordFormView api={api} unit={unit} learnerUserId="learner-1" items={[]} initial={emptyRecordForm(kind, '2026-05-20', 'Unit 209')} initialTargets={[]} supersedes={null} today="2026-05-20" onSaved={ignore} onCancel={ignore} />));

  it('offers all six record types and the unit’s statements, scope items and knowledge to map to', () => {
    const text = textOf(render('observation'));
    for (const label of ['Observation record', 'Questioning record', 'Professional discussion', 'Witness testimony', 'Expert witness statement', 'Accredited prior achievement']) expect(text).toContain(label);
    expect(text).toContain('What you saw the candidate do');
    expect(text).toContain('Supplementary evidence seen Work products Photographs E-evidence Third-party confirmation');
    expect(text).toContain('209.1.1 operate the telephone equipment');
    expect(text).toContain('2.a internal customers');
  });

  it('edits a draft under its own kind, which cannot change', () => {
    const draft = makeRecord();
    const html = renderToStaticMarkup(withQueryClient(<RecordFormView api={api} unit={unit} learnerUserId="learner-1" items={[]} initial={recordFormFromContent(draft.content, '2026-05-20')} initialTargets={draft.targets} supersedes={null} editing={draft} today="2026-05-20" onSaved={ignore} onCancel={ignore} />));
    expect(textOf(html)).toContain('Draft observation record');
    expect(html).toMatch(/<fieldset class="choice-group" disabled=""><legend>Record type<\/legend>/);
    expect(html).toContain('value="Returns desk"');
  });

  it('asks for the witness status category 1 to 5 and the expert witness eligibility the seeds require', () => {
    const text = textOf(render('expert-witness'));
    expect(text).toContain('Witness status category');
    expect(text).toContain('5: Non expert not familiar with the standards');
    expect(text).toContain('Have a minimum of 2 years supervisory, managerial or training experience');
    expect(text).toContain('Demonstrate clear evidence of appropriate continuous professional development');
    expect(text).toContain('Units witnessed');
  });
});

describe('records and sign-off', () => {
  it('shows a signed record read-only with who, when and the digest, offering a correction instead of an edit', () => {
    const signed = makeRecord({ signature: signature('assessor', 'Sam Assessor') });
    const html = renderToStaticMarkup(<RecordList api={api} unit={unit} records={[signed]} learnerUserId="learner-1" currentUserId="assessor-1" onChanged={ignore} onCorrect={ignore} />);
    const text = textOf(html);
    expect(text).toMatch(/Signed by Sam Assessor on 12 May 2026 at \d\d:\d\d \(digest abababababab…\)/);
    expect(text).toContain('Mapped to 209.1.2');
    expect(html).toContain('>Correct Observation record of 5 May 2026</button>');
    expect(text).not.toContain('Sign Observation record');
  });

  it('offers to sign a draft to its author only, and marks a corrected record as replaced', () => {
    const draft = makeRecord();
    const old = makeRecord({ signature: signature('assessor', 'Sam Assessor'), supersededBy: 'record-new' });
    const text = textOf(renderToStaticMarkup(<RecordList api={api} unit={unit} records={[draft, old]} learnerUserId="learner-1" currentUserId="assessor-1" onChanged={ignore} onCorrect={ignore} />));
    expect(text).toContain('Draft, not signed');
    expect(text).toContain('Sign Observation record of 5 May 2026');
    expect(text).toContain('Replaced by a correction; it no longer counts towards the unit.');
    const other = textOf(renderToStaticMarkup(<RecordList api={api} unit={unit} records={[draft]} learnerUserId="learner-1" currentUserId="assessor-2" onChanged={ignore} onCorrect={ignore} />));
    expect(other).toContain('Draft, not signed; only its author can sign it');
    expect(textOf(renderToStaticMarkup(<RecordList api={api} unit={unit} records={[draft]} learnerUserId="learner-1" currentUserId="assessor-1" onChanged={ignore} onCorrect={ignore} onEdit={ignore} />))).toContain('Edit Observation record of 5 May 2026');
    expect(other).not.toContain('Sign Observation record');
  });

  it('disables sign-off and lists the blocking rules in plain English while the unit is not met', () => {
    const verdict = makeAssessorPortfolio(unit, []).verdict;
    const state = makeSignOffState({ gate: { isOpen: false, blocking: [{ where: 'statement', ref: '209.1.2', code: 'observation_required', message: '209.1.2 must be directly observed by the assessor; so far it is evidenced only by WT.' }, { where: 'sign-off', ref: 'candidate', code: 'candidate_declaration_missing', message: 'The candidate has not yet confirmed that the evidence is their own work.' }] } });
    const html = renderToStaticMarkup(withQueryClient(<SignOffPanel api={api} learnerUserId="learner-1" userId="assessor-1" profile={null} verdict={verdict} state={state} reportVersion={1} onChanged={ignore} />));
    const text = textOf(html);
    expect(text).toContain('Sign-off is not possible yet PC 209.1.2: 209.1.2 must be directly observed by the assessor; so far it is evidenced only by WT. Candidate declaration: The candidate has not yet confirmed');
    const button = /<button type="button" class="button" disabled="" aria-describedby="([^"]+)"[^>]*>Sign off the unit<\/button>/.exec(html);
    expect(button).not.toBeNull();
    expect(html).toContain(`<div class="blocking" id="${button?.[1]}">`);
    expect(text).toContain(ASSESSOR_UNIT_DECLARATION);
  });

  it('enables sign-off when the gate is open, and after signing shows the chain and asks another assessor to countersign', () => {
    const open = renderToStaticMarkup(withQueryClient(<SignOffPanel api={api} learnerUserId="learner-1" userId="assessor-1" profile={{ userId: 'assessor-1', name: 'Sam', qualification: 'not-yet-qualified', setBy: 'assessor-1', setAt: null }} verdict={null} state={makeSignOffState()} reportVersion={1} onChanged={ignore} />));
    expect(open).toMatch(/<button type="button" class="button" aria-disabled="false" aria-expanded="false">Sign off the unit<\/button>/);
    expect(textOf(open)).toContain('your sign-off will need a countersignature');
    expect(open).not.toContain('Mark me as not yet qualified');
    const qualified = renderToStaticMarkup(withQueryClient(<SignOffPanel api={api} learnerUserId="learner-1" userId="assessor-1" profile={{ userId: 'assessor-1', name: 'Sam', qualification: 'qualified', setBy: null, setAt: null }} verdict={null} state={makeSignOffState()} reportVersion={1} onChanged={ignore} />));
    expect(qualified).toContain('>Mark me as not yet qualified</button>');

    const awaiting = makeSignOffState({ stage: 'awaiting-countersignature', candidate: signature('candidate', 'Lee Learner'), assessor: signature('assessor', 'Sam Assessor', 'assessor-1'), isCountersignatureRequired: true, grade: { state: 'none', activityProgress: null, gradingProgress: null, attempts: 0, lastError: null, updatedAt: null } });
    const other = textOf(renderToStaticMarkup(withQueryClient(<SignOffPanel api={api} learnerUserId="learner-1" userId="assessor-2" profile={null} verdict={null} state={awaiting} reportVersion={1} onChanged={ignore} />)));
    expect(other).toContain('Signed, awaiting countersignature');
    expect(other).toContain('Countersignature by a qualified assessor Required, not signed yet');
    expect(other).toContain('Countersign the unit');
    const self = textOf(renderToStaticMarkup(withQueryClient(<SignOffPanel api={api} learnerUserId="learner-1" userId="assessor-1" profile={null} verdict={null} state={awaiting} reportVersion={1} onChanged={ignore} />)));
    expect(self).not.toContain('Countersign the unit');
    expect(self).toContain('Waiting for a qualified assessor to countersign.');
  });

  it('asks every report question as a yes/no group, and shows a signed report read-only', () => {
    const editable = textOf(renderToStaticMarkup(withQueryClient(<ReportEditor api={api} learnerUserId="learner-1" report={null} onSaved={ignore} />)));
    expect(editable).toContain('Is the portfolio evidence valid, sufficient, current and authentic? Yes No');
    expect(editable).toContain('Outcome Competent Not yet competent');
    const checks = { moreSkillsEvidenceRequired: false, moreKnowledgeEvidenceRequired: false, morePortfolioEvidenceRequired: false, skillsMet: true, knowledgeMet: true, evidenceValidSufficientCurrentAuthentic: true, properlyAuthenticated: true };
    const html = renderToStaticMarkup(withQueryClient(<ReportEditor api={api} learnerUserId="learner-1" report={{ report: { checks, comments: 'Good.', outcome: 'competent' }, version: 2, isSigned: true, updatedByName: 'Sam', updatedAt: '2026-05-12T10:00:00Z' }} onSaved={ignore} />));
    expect(html).not.toContain('<input');
    expect(textOf(html)).toContain('Assessment report (signed)');
    expect(textOf(html)).toContain('Outcome Competent');
  });
});

describe('witness status list', () => {
  it('lists each witness with their status category in the seeds’ words and marks expert witnesses', () => {
    const text = textOf(renderToStaticMarkup(<WitnessList witnesses={[{ name: 'Dana Shah', position: 'Team leader', contact: 'dana@example.com', relationshipToCandidate: 'Line manager', status: 3, statusText: 'Occupational expert familiar with standards', isExpertWitness: true, unitsWitnessed: ['201', '202'], recordIds: ['r1'] }]} />));
    expect(text).toContain('Dana Shah (expert witness)');
    expect(text).toContain('Witness status 3: Occupational expert familiar with standards');
    expect(text).toContain('Units witnessed 201, 202');
    expect(textOf(renderToStaticMarkup(<WitnessList witnesses={[]} />))).toBe('No signed witness testimony yet.');
  });
});

describe('the learner’s view of their assessment', () => {
  it('shows the plan and signed records, and offers the candidate declaration until it is signed', () => {
    const signedOff = { stage: 'none' as const, candidate: null, assessor: null, isCountersignatureRequired: false, countersignature: null, withdrawn: [], gate: { isOpen: false, blocking: [] } };
    const plan = { plan: { plannedMethods: [{ method: 'O' as const, notes: 'two calls' }], venue: 'Contact centre', dates: [{ date: '2026-06-01', time: '10:00', activity: 'Observation' }], evidenceRequirements: 'Bring the call log.', feedbackArrangements: 'After each visit.' }, version: 1, updatedByName: 'Sam Assessor', updatedAt: '2026-05-10T09:00:00Z' };
    const records = [makeRecord({ signature: signature('assessor', 'Sam Assessor') }), makeRecord({ content: { kind: 'prior-achievement', date: '2025-01-01', title: 'Draft only', awardingBody: 'X', certificateRef: null, verification: 'Y' }, kind: 'prior-achievement', method: 'APA' })];
    const html = renderToStaticMarkup(<LearnerAssessmentView api={api} initial={{ unitId: unit.id, actionPlan: plan, records, report: null, signOff: signedOff, nextStep: { audience: 'learner', code: 'sign-declaration', count: 0 } }} />);
    const text = textOf(html);
    expect(text).toContain('Evidence assessed by Observation (two calls)');
    expect(text).toContain('Dates 1 June 2026 10:00: Observation');
    expect(text).toContain('Observation record of 5 May 2026');
    expect(text).not.toContain('Draft only');
    expect(text).not.toContain('Correct ');
    expect(text).toContain(CANDIDATE_UNIT_DECLARATION);
    expect(html).toContain('>Sign the candidate declaration</button>');

    const declared = textOf(renderToStaticMarkup(<LearnerAssessmentView api={api} initial={{ unitId: unit.id, actionPlan: null, records: [], report: null, signOff: { ...signedOff, candidate: signature('candidate', 'Lee Learner') }, nextStep: { audience: 'learner', code: 'wait-for-report', count: 0 } }} />));
    expect(text).toContain('Next step: Sign your declaration');
    expect(declared).toContain('Candidate declaration Signed by Lee Learner');
    expect(declared).toContain('Next step: Waiting for your assessor’s assessment report');
    expect(declared).not.toContain('Sign the candidate declaration');
  });
});
