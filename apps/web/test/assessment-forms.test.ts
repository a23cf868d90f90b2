import { describe, expect, it } from 'vitest';
import { buildActionPlanRequest, actionPlanFormOf } from '../src/assessor/action-plan-form.ts';
import { ApiRequestError } from '../src/api/api-client.ts';
import { gateOfRefusal, labelBlockingReason, signOffAvailability } from '../src/assessor/describe-gate.ts';
import { describeGradeStatus } from '../src/assessor/describe-grade-status.ts';
import { previewKindOf } from '../src/assessor/file-preview.tsx';
import { buildReportRequest, REPORT_CHECKS, reportFormOf, reportWarnings } from '../src/assessor/report-form.ts';
import { makeSignOffState } from './assessor-factories.ts';
import { makeAssessorPortfolio } from './assessor-factories.ts';
import { makeUnit } from './portfolio-factories.ts';

describe('assessment report form', () => {
  const answered = () => {
    const form = reportFormOf(null);
    for (const { key } of REPORT_CHECKS) form.checks[key] = key.startsWith('more') ? 'no' : 'yes';
    return { ...form, outcome: 'competent' as const, comments: ' Ready. ' };
  };

  it('asks the seeds’ seven questions in their order', () => {
    expect(REPORT_CHECKS.map((c) => c.question)).toEqual([
      'Are more skills and techniques evidence required?',
      'Is more knowledge evidence required?',
      'Is more portfolio evidence required?',
      'Have all the skills and techniques/competencies been met?',
      'Have the knowledge and understanding requirements been met?',
      'Is the portfolio evidence valid, sufficient, current and authentic?',
      'Has the evidence been properly authenticated?',
    ]);
  });

  it('refuses a report with a question or the outcome unanswered, naming each', () => {
    const form = { ...answered(), outcome: '' as const };
    form.checks.knowledgeMet = '';
    const built = buildReportRequest(form, 2);
    expect(!built.ok && Object.fromEntries(built.errors)).toEqual({ knowledgeMet: 'Answer yes or no.', outcome: 'Choose the outcome of the assessment.' });
  });

  it('turns yes/no answers into booleans with the version it read', () => {
    const built = buildReportRequest(answered(), 2);
    expect(built.ok && built.request).toEqual({
      baseVersion: 2,
      report: { checks: { moreSkillsEvidenceRequired: false, moreKnowledgeEvidenceRequired: false, morePortfolioEvidenceRequired: false, skillsMet: true, knowledgeMet: true, evidenceValidSufficientCurrentAuthentic: true, properlyAuthenticated: true }, comments: 'Ready.', outcome: 'competent' },
    });
  });

  it('warns, without refusing, when a competent outcome contradicts the answers', () => {
    const form = answered();
    expect(reportWarnings(form)).toEqual([]);
    form.checks.morePortfolioEvidenceRequired = 'yes';
    form.checks.properlyAuthenticated = 'no';
    expect(reportWarnings(form)).toHaveLength(2);
    expect(reportWarnings({ ...form, outcome: 'not-yet-competent' })).toEqual([]);
  });
});

describe('assessment action plan form', () => {
  it('drops unchosen methods, trims text and sends a null time when none is given', () => {
    const form = actionPlanFormOf(null);
    form.plannedMethods.push({ method: '', notes: 'ignored' });
    form.dates.push({ date: '2026-06-01', time: ' ', activity: ' Observe calls ' });
    form.venue = ' Contact centre ';
    const built = buildActionPlanRequest(form, 0);
    expect(built.ok && built.request).toEqual({ baseVersion: 0, plan: { plannedMethods: [{ method: 'O', notes: '' }], venue: 'Contact centre', dates: [{ date: '2026-06-01', time: null, activity: 'Observe calls' }], evidenceRequirements: '', feedbackArrangements: '' } });
  });

  it('needs at least one method and full dates', () => {
    const form = { ...actionPlanFormOf(null), plannedMethods: [{ method: '' as const, notes: '' }], dates: [{ date: '', time: '', activity: 'Visit' }] };
    const built = buildActionPlanRequest(form, 1);
    expect(!built.ok && Object.fromEntries(built.errors)).toEqual({ plannedMethods: 'Plan at least one assessment method.', 'dates.0.date': 'Enter the date as a full date (day, month and year).' });
  });
});

describe('the sign-off gate as the assessor reads it', () => {
  const unit = makeUnit();
  const verdict = makeAssessorPortfolio(unit, []).verdict;

  it('names statements as the recording form prints them, and the sign-off prerequisites by name', () => {
    expect(labelBlockingReason({ where: 'statement', ref: 'pc:3', code: 'no_evidence', message: '' }, verdict)).toBe('PC 3');
    expect(labelBlockingReason({ where: 'statement', ref: 'k:3', code: 'no_evidence', message: '' }, verdict)).toBe('Knowledge 3');
    expect(labelBlockingReason({ where: 'scope-item', ref: '2.b', code: 'x', message: '' }, verdict)).toBe('Scope 2.b');
    expect(labelBlockingReason({ where: 'sign-off', ref: 'candidate', code: 'candidate_declaration_missing', message: '' }, verdict)).toBe('Candidate declaration');
  });

  it('keeps sign-off shut while PC 209.1.2 has only witness testimony, saying why in plain English', () => {
    const state = makeSignOffState({ gate: { isOpen: false, blocking: [{ where: 'statement', ref: '209.1.2', code: 'observation_required', message: '209.1.2 must be directly observed by the assessor; so far it is evidenced only by WT.' }] } });
    expect(signOffAvailability(state, verdict, 1)).toEqual({ canSign: false, blocking: ['PC 209.1.2: 209.1.2 must be directly observed by the assessor; so far it is evidenced only by WT.'] });
  });

  it('opens only with an open gate and a saved report, and not again once signed', () => {
    expect(signOffAvailability(makeSignOffState(), verdict, 1).canSign).toBe(true);
    expect(signOffAvailability(makeSignOffState(), verdict, null)).toEqual({ canSign: false, blocking: ['Assessment report: save the assessment report before signing off.'] });
    const missing = makeSignOffState({ gate: { isOpen: false, blocking: [{ where: 'sign-off', ref: 'report', code: 'report_missing', message: 'Complete the assessment report before signing the unit off.' }] } });
    expect(signOffAvailability(missing, verdict, null).blocking).toEqual(['Assessment report: Complete the assessment report before signing the unit off.']);
    const signed = makeSignOffState({ stage: 'completed', assessor: { role: 'assessor', issuer: 'i', userId: 'a', name: 'Sam', signedAt: '2026-05-12T10:00:00Z', digest: 'ab'.repeat(32), signedContent: {} } });
    expect(signOffAvailability(signed, verdict, 1).canSign).toBe(false);
  });
});

describe('a refused sign-off', () => {
  it('brings back the gate the server refused with, and nothing from other failures', () => {
    const gate = { isOpen: false, blocking: [{ where: 'statement' as const, ref: '209.1.2', code: 'observation_required', message: 'Must be observed.' }] };
    expect(gateOfRefusal(new ApiRequestError('api', 'The unit is not met.', { status: 422, details: { gate } }))).toEqual(gate);
    expect(gateOfRefusal(new ApiRequestError('api', 'The unit is not met.', { status: 422, details: {} }))).toBeNull();
    expect(gateOfRefusal(new ApiRequestError('api', 'Conflict', { status: 409, details: { gate } }))).toBeNull();
  });
});

describe('gradebook status', () => {
  const base = { activityProgress: null, gradingProgress: null, attempts: 0, lastError: null, updatedAt: null };
  it('says sent, pending, retrying and failed with the LMS’s reason', () => {
    expect(describeGradeStatus({ ...base, state: 'none' })).toEqual({ tone: 'neutral', text: 'Gradebook: nothing sent yet' });
    expect(describeGradeStatus({ ...base, state: 'pending', attempts: 1 }).text).toBe('Gradebook: pending, being sent');
    expect(describeGradeStatus({ ...base, state: 'pending', attempts: 3, lastError: 'LMS answered 503: down' }).text).toBe('Gradebook: pending, retrying (attempt 3); last answer: LMS answered 503: down');
    expect(describeGradeStatus({ ...base, state: 'sent', activityProgress: 'Completed', gradingProgress: 'FullyGraded', updatedAt: '2026-05-12T10:00:00Z' })).toEqual({ tone: 'success', text: 'Gradebook: sent, unit completed on 12 May 2026' });
    expect(describeGradeStatus({ ...base, state: 'sent', activityProgress: 'Completed', gradingProgress: 'FullyGraded', updatedAt: '2026-05-12T10:00:00Z', keptGraderScore: 85 })).toEqual({ tone: 'success', text: 'Gradebook: sent, unit completed on 12 May 2026; the gradebook keeps the tutor’s own grade (85 of 100)' });
    expect(describeGradeStatus({ ...base, state: 'failed', lastError: 'LMS answered 400: line item closed' })).toEqual({ tone: 'error', text: 'Gradebook: failed (LMS answered 400: line item closed)' });
  });
});

describe('inline file previews', () => {
  it('shows images, PDFs, audio, video and plain text inline, and never renders SVG, HTML or other types', () => {
    expect(['image/jpeg', 'application/pdf', 'audio/mpeg', 'video/mp4; codecs=avc1', 'text/plain', 'image/svg+xml', 'text/html', 'application/zip'].map(previewKindOf)).toEqual(['image', 'pdf', 'audio', 'video', 'text', 'none', 'none', 'none']);
  });
});
