import { describe, expect, it } from 'vitest';
import { buildCreateRecordRequest, emptyRecordForm, recordFormFromContent, TARGETS_ERROR, toRecordContent, type RecordForm } from '../src/assessor/record-form.ts';

const TODAY = '2026-05-20';
const target = { unitId: 'nvq2-cs-209', target: 'statement' as const, ref: '209.1.2' };
const form = (kind: RecordForm['kind'], change: Partial<RecordForm> = {}): RecordForm => ({ ...emptyRecordForm(kind, TODAY, 'Unit 209'), ...change });

describe('assessor record forms', () => {
  it('builds an observation record with the supplementary evidence that was ticked, and signs it when asked', () => {
    const observation = form('observation', { place: ' Returns desk ', observed: 'Greeted the caller by name.', customerRef: 'Mrs P' });
    observation.supplementary.photographs = { isSeen: true, location: ' Folder 2 ' };
    const built = buildCreateRecordRequest(observation, [target], { sign: true, supersedes: null });
    expect(built.ok && built.request).toEqual({
      content: { kind: 'observation', date: TODAY, workSetting: 'real-job', customerRef: 'Mrs P', occasionRef: null, place: 'Returns desk', observed: 'Greeted the caller by name.', supplementaryEvidence: [{ kind: 'photographs', location: 'Folder 2' }] },
      targets: [target],
      sign: true,
      supersedes: null,
    });
  });

  it('names every empty required field of an observation in plain words, and asks for a mapping', () => {
    const built = buildCreateRecordRequest(form('observation', { date: '2026-13-01' }), [], { sign: false, supersedes: null });
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(Object.fromEntries(built.errors)).toEqual({
      date: 'Enter the date as a full date (day, month and year).',
      place: 'Enter the place.',
      observed: 'Enter what you saw the candidate do.',
      targets: TARGETS_ERROR,
    });
  });

  it('keys a questioning error by the row the assessor sees', () => {
    const questioning = form('questioning', { mode: 'written', questions: [{ question: 'Why greet callers?', answer: 'So they know who answered.' }, { question: 'What if they are angry?', answer: '' }] });
    const result = toRecordContent(questioning);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.fromEntries(result.errors)).toEqual({ 'questions.1.answer': 'Enter the candidate’s answer.' });
  });

  it('splits professional discussion topics by line and links the chosen recording', () => {
    const result = toRecordContent(form('professional-discussion', { topics: 'Complaints\n\n  Escalation  \n', summary: 'Discussed two calls.', recording: 'item-9|file-3' }));
    expect(result.ok && result.content).toMatchObject({ kind: 'professional-discussion', topics: ['Complaints', 'Escalation'], recording: { itemId: 'item-9', fileId: 'file-3' } });
  });

  it('requires the witness status category 1 to 5 and takes it as a number', () => {
    const witness = { name: 'Pat Supervisor', contact: 'pat@example.com', position: 'Team leader', relationshipToCandidate: 'Line manager', status: '' };
    const missing = toRecordContent(form('witness-testimony', { witness, statement: 'Handled the complaint calmly.' }));
    expect(!missing.ok && missing.errors.get('witness.status')).toBe('Choose the witness status category (1 to 5).');
    const given = toRecordContent(form('witness-testimony', { witness: { ...witness, status: '3' }, statement: 'Handled the complaint calmly.', unitsWitnessed: 'Unit 209\nUnit 210' }));
    expect(given.ok && given.content).toMatchObject({ witness: { status: 3 }, unitsWitnessed: ['Unit 209', 'Unit 210'] });
  });

  it('refuses an expert witness without each required eligibility, in the contract’s words', () => {
    const witness = { name: 'Dr Q', contact: 'q@example.com', position: 'Training manager', relationshipToCandidate: 'Trainer', status: '1' };
    const eligibility = { supervisoryExperienceTwoYears: true, knowsStandards: true, cpd: false, evidenceOfEligibility: 'CV seen', holdsOrWorksTowardsAssessorAward: false, hasQualityResponsibility: true };
    const refused = toRecordContent(form('expert-witness', { witness, eligibility, statement: 'Competent on the phone.' }));
    expect(!refused.ok && Object.fromEntries(refused.errors)).toEqual({ 'eligibility.cpd': 'An expert witness must show appropriate continuous professional development' });
    const accepted = toRecordContent(form('expert-witness', { witness, eligibility: { ...eligibility, cpd: true }, statement: 'Competent on the phone.' }));
    expect(accepted.ok).toBe(true);
  });

  it('builds accredited prior achievement without the occasion fields', () => {
    const result = toRecordContent(form('prior-achievement', { date: '2025-07-01', title: 'Level 2 Certificate in Customer Service', awardingBody: 'City & Guilds', verification: 'Checked the certificate online.' }));
    expect(result.ok && result.content).toEqual({ kind: 'prior-achievement', date: '2025-07-01', title: 'Level 2 Certificate in Customer Service', awardingBody: 'City & Guilds', certificateRef: null, verification: 'Checked the certificate online.' });
  });

  it('puts a signed record’s content back in the form for a correction that names the record it supersedes', () => {
    const content = { kind: 'questioning' as const, date: '2026-05-05', workSetting: 'rwe' as const, customerRef: null, occasionRef: 'Role play', mode: 'oral' as const, questions: [{ question: 'Q?', answer: 'A.' }] };
    const again = recordFormFromContent(content, TODAY);
    const built = buildCreateRecordRequest(again, [target], { sign: true, supersedes: 'record-7' });
    expect(built.ok && built.request.content).toEqual(content);
    expect(built.ok && built.request.supersedes).toBe('record-7');
  });
});
