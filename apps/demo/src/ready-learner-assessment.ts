import type { ActionPlan, AssessmentReportBody, EvidenceMappingTarget, RecordContent } from '@attest/contracts';
import type { DemoEvidence } from './demo-evidence.ts';

/** One of the assessor's own records, with what it is mapped to. */
export interface DemoRecord {
  readonly content: RecordContent;
  readonly targets: readonly EvidenceMappingTarget[];
}

/** Everything both sides have done for a learner whose unit only waits for the assessor's signature. */
export interface ReadyLearnerAssessment {
  /** The learner's part: submitted items, mapped to the unit. */
  readonly evidence: readonly DemoEvidence[];
  /** The assessor's part: signed records covering what the learner's evidence does not. */
  readonly records: readonly DemoRecord[];
  readonly actionPlan: ActionPlan;
  readonly report: AssessmentReportBody;
}

function daysBefore(today: string, days: number): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

const statements = (unitId: string, refs: readonly string[]): EvidenceMappingTarget[] => refs.map((ref) => ({ unitId, target: 'statement', ref }));

const witnessStatement = `Witness statement

Candidate: Priya Patel
Witness: Marcus Reid, Customer Service Supervisor, Riverside store
Relationship to candidate: supervisor for eight months; I plan the rota and work on the service desk with Priya most weeks.

Priya is always in uniform with her badge, on time, and keeps the service desk tidy. I have seen her
with a wide range of customers: she stays polite and helpful with people who are in a hurry or upset,
slows down and takes more time with older customers, and keeps a friendly, professional manner
throughout. Last month a customer shouted at her about a delivery that had not arrived; she kept calm,
lowered her voice, and let him finish before explaining what she would do.

I confirm that this is a true account of what I have seen.
Marcus Reid
`;

/**
 * The demo's second learner (Priya, on the same store's service desk) for unit 201 "Give customers
 * a positive impression", taken as far as the assessor's signature: her reflective account and her
 * supervisor's witness statement, both submitted; the assessor's observation of a shift on the desk
 * and oral questioning for what neither shows; an action plan and a competent report. Together they
 * meet every statement of the unit, so the engine opens the sign-off gate. 201 has no knowledge
 * statements or method rules, so any accepted method meets a statement; the observation still
 * covers the statements a reflective account can only claim.
 */
export function readyLearnerAssessment(unitId: string, today: string): ReadyLearnerAssessment {
  const onTheDesk = { workSetting: 'real-job' as const, customerRef: 'Several customers at the service desk', occasionRef: 'Thursday late shift' };
  return {
    evidence: [
      {
        draft: {
          title: 'Helping a customer choose a gift for her grandson',
          description:
            'A customer came to the service desk looking for a birthday present for her grandson and was not sure what he would like. ' +
            'I said hello, introduced myself and asked a few questions about him (his age, what he enjoys) and what she wanted to spend, then repeated it back to check I had it right. ' +
            'She found the website confusing, so I talked her through the options face to face instead and showed her the two gaming headsets in her budget. ' +
            'When she asked whether we could gift-wrap it I explained that the wrapping service had stopped and why, and offered a gift bag and card instead. ' +
            'She bought the headset and said she would come back to me next time.',
          evidenceType: 'personal-statement',
          activityDate: daysBefore(today, 16),
          customerRef: 'Mrs A, service desk',
          occasionRef: 'Wednesday afternoon',
          workSetting: 'real-job',
        },
        files: [],
        mappings: statements(unitId, ['201.1.2', '201.1.3', '201.1.4', '201.2.2', '201.2.3', '201.2.5', '201.3.2', '201.3.4']),
        isSubmitted: true,
      },
      {
        draft: {
          title: 'Witness statement from my supervisor, Marcus Reid',
          description: 'Marcus wrote down what he sees when we work the service desk together, including the customer who shouted about a late delivery.',
          evidenceType: 'witness-statement',
          activityDate: daysBefore(today, 11),
          customerRef: null,
          occasionRef: 'Over the last month on the service desk',
          workSetting: 'real-job',
        },
        files: [{ name: 'witness-statement-marcus-reid.txt', mediaType: 'text/plain', content: Buffer.from(witnessStatement, 'utf8') }],
        mappings: statements(unitId, ['201.1.1', '201.1.5', '201.1.7']),
        isSubmitted: true,
      },
    ],
    records: [
      {
        content: {
          kind: 'observation',
          date: daysBefore(today, 5),
          ...onTheDesk,
          place: 'Service desk, Riverside store',
          observed:
            'I watched Priya on the service desk for an hour of a busy late shift. A man came to the desk while she was on the phone: she looked up, smiled and signalled she would be one moment, then turned to him as soon as the call ended. ' +
            'He wanted a replacement charger; she found the product code on the stock system within a minute and told him where it was in store. ' +
            'She kept a customer waiting for a refund authorisation informed every few minutes and thanked her for her patience. ' +
            'A customer with a complicated price-match question was given the answer, then time to think, and Priya checked he had followed the part about the receipt before moving on.',
          supplementaryEvidence: [{ kind: 'work-products', location: 'The shift’s refund log, initialled by Priya' }],
        },
        targets: statements(unitId, ['201.1.6', '201.2.1', '201.2.4', '201.3.1', '201.3.3']),
      },
      {
        content: {
          kind: 'questioning',
          date: daysBefore(today, 5),
          ...onTheDesk,
          mode: 'oral',
          questions: [
            { question: 'How do you tell whether a customer has understood something complicated?', answer: 'I ask them to tell me what happens next, rather than asking “is that OK?”, and I watch whether they look unsure.' },
            { question: 'What do you say when you cannot give a customer what they asked for?', answer: 'I say sorry, tell them honestly why, and offer what I can do instead, like a different product or ordering it in.' },
          ],
        },
        targets: statements(unitId, ['201.3.3', '201.3.4']),
      },
    ],
    actionPlan: {
      plannedMethods: [
        { method: 'O', notes: 'Observe a late shift on the service desk' },
        { method: 'Q', notes: 'Oral questions after the observation on explaining what cannot be done' },
      ],
      venue: 'Riverside store, service desk',
      dates: [{ date: daysBefore(today, 5), time: '17:00', activity: 'Observation and questioning' }],
      evidenceRequirements: 'A reflective account of helping a customer, a witness statement from the supervisor, and the observation.',
      feedbackArrangements: 'Verbal feedback straight after the observation, written feedback in Attest within a week.',
    },
    report: {
      checks: { moreSkillsEvidenceRequired: false, moreKnowledgeEvidenceRequired: false, morePortfolioEvidenceRequired: false, skillsMet: true, knowledgeMet: true, evidenceValidSufficientCurrentAuthentic: true, properlyAuthenticated: true },
      comments: 'Priya consistently gives customers a positive impression. Every statement is met by her own evidence, her supervisor’s testimony, my observation and her answers to my questions.',
      outcome: 'competent',
    },
  };
}
