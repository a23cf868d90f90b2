/**
 * The shared vocabularies of the recording documents, transcribed from seed 004's Appendix 2
 * ("General recording documents") and, for the five printed method codes, from the assessment
 * method key of seed 000. Labels are verbatim; where the seeds print no code for a method we
 * assign one (`isCodePrinted: false`) because facts and rules need a stable identifier.
 */

export const ASSESSMENT_METHODS = [
  { code: 'O', labels: ['Observation', 'Direct /e-Observation'], isCodePrinted: true, isObservation: true, isPerformanceEvidence: true, isInferenceOnly: true },
  { code: 'Q', labels: ['Questioning', 'Oral questioning'], isCodePrinted: true, isObservation: false, isPerformanceEvidence: false, isInferenceOnly: false },
  { code: 'PE', labels: ['Product Evidence'], isCodePrinted: true, isObservation: false, isPerformanceEvidence: true, isInferenceOnly: true },
  { code: 'WT', labels: ['Witness Testimony', 'Witness testimony'], isCodePrinted: true, isObservation: false, isPerformanceEvidence: true, isInferenceOnly: false },
  { code: 'PD', labels: ['Professional Discussion', 'Professional discussion'], isCodePrinted: true, isObservation: false, isPerformanceEvidence: false, isInferenceOnly: false },
  { code: 'PA', labels: ['Projects and assignments'], isCodePrinted: false, isObservation: false, isPerformanceEvidence: false, isInferenceOnly: false },
  { code: 'PF', labels: ['Portfolio evidence'], isCodePrinted: false, isObservation: false, isPerformanceEvidence: false, isInferenceOnly: false },
  { code: 'CS', labels: ['Case study'], isCodePrinted: false, isObservation: false, isPerformanceEvidence: false, isInferenceOnly: false },
  { code: 'SE', labels: ['Supplementary evidence'], isCodePrinted: false, isObservation: false, isPerformanceEvidence: false, isInferenceOnly: false },
  { code: 'WQ', labels: ['Written questions'], isCodePrinted: false, isObservation: false, isPerformanceEvidence: false, isInferenceOnly: false },
  { code: 'APA', labels: ['Accredited prior achievement'], isCodePrinted: false, isObservation: false, isPerformanceEvidence: false, isInferenceOnly: false },
  { code: 'WP', labels: ['Work products'], isCodePrinted: false, isObservation: false, isPerformanceEvidence: true, isInferenceOnly: true },
] as const;

export type AssessmentMethodCode = (typeof ASSESSMENT_METHODS)[number]['code'];
export const ASSESSMENT_METHOD_CODES = ASSESSMENT_METHODS.map((m) => m.code) as unknown as readonly [AssessmentMethodCode, ...AssessmentMethodCode[]];

/** Seed 004, Appendix 2, "Witness Status Categories." */
export const WITNESS_STATUS_CATEGORIES = [
  { status: 1, text: 'Occupational expert and A1, A2 / V1, V2 Assessor' },
  { status: 2, text: 'A1, A2 / V1, V2 Assessor without occupational experience' },
  { status: 3, text: 'Occupational expert familiar with standards' },
  { status: 4, text: 'Occupational expert not familiar with standards' },
  { status: 5, text: 'Non expert not familiar with the standards' },
] as const;

export type WitnessStatus = (typeof WITNESS_STATUS_CATEGORIES)[number]['status'];

/** Seed 004, Appendix 2, "Record of expert witness". */
export const EXPERT_WITNESS_ELIGIBILITY = {
  required: [
    { id: 'supervisory-experience', text: 'Have a minimum of 2 years supervisory, managerial or training experience in the unit(s) for which they are providing evidence.' },
    { id: 'knows-standards', text: 'Demonstrate a working knowledge of the National Occupational Standards unit(s) they are attesting to' },
    { id: 'cpd', text: 'Demonstrate clear evidence of appropriate continuous professional development' },
  ],
  desirable: 'In addition it would be desirable for the expert witness to hold or be working towards an appropriate unit of competence in the assessment of workplace performance. If this is not the case, they should hold a post that involves responsibility for the quality of work performed by those for whom they are acting as an expert witness',
  signedBy: ['witness', 'internal-verifier'],
} as const;

/** Seed 004, Appendix 2, "Assessment report": the yes/no checks an assessor records. */
export const ASSESSMENT_REPORT_CHECKS = [
  'Are more skills and techniques evidence required?',
  'Is more knowledge evidence required?',
  'Is more portfolio evidence required?',
  'Have all the skills and techniques/competencies been met?',
  'Have the knowledge and understanding requirements been met?',
  'Is the portfolio evidence valid, sufficient, current and authentic?',
  'Has the evidence been properly authenticated?',
] as const;

export const WORK_SETTINGS = ['real-job', 'rwe', 'simulation'] as const;
export type WorkSetting = (typeof WORK_SETTINGS)[number];

export const SIGN_OFF_ROLES = ['candidate', 'assessor', 'assessor-countersignature', 'internal-verifier', 'internal-verifier-countersignature', 'external-verifier'] as const;
export type SignOffRole = (typeof SIGN_OFF_ROLES)[number];

const methodByCode = new Map<string, (typeof ASSESSMENT_METHODS)[number]>(ASSESSMENT_METHODS.map((m) => [m.code, m]));

export function getAssessmentMethod(code: AssessmentMethodCode): (typeof ASSESSMENT_METHODS)[number] {
  const method = methodByCode.get(code);
  if (!method) throw new Error(`unknown assessment method ${code}`);
  return method;
}
