import { ASSESSMENT_REPORT_CHECKS } from '@attest/standards';
import { z } from 'zod';
import { AssessmentReportBodySchema, type AssessmentReport, type AssessmentReportBody, type ReportChecks } from '@attest/contracts';

type CheckKey = keyof ReportChecks;

/** The seeds' questions beside the contract's keys, in the order ReportChecksSchema documents. */
export const REPORT_CHECKS: ReadonlyArray<{ key: CheckKey; question: string }> = (
  ['moreSkillsEvidenceRequired', 'moreKnowledgeEvidenceRequired', 'morePortfolioEvidenceRequired', 'skillsMet', 'knowledgeMet', 'evidenceValidSufficientCurrentAuthentic', 'properlyAuthenticated'] as const
).map((key, index) => ({ key, question: ASSESSMENT_REPORT_CHECKS[index] ?? key }));

export type Answer = 'yes' | 'no' | '';

export interface ReportForm {
  checks: Record<CheckKey, Answer>;
  comments: string;
  outcome: AssessmentReportBody['outcome'] | '';
}

export function reportFormOf(report: AssessmentReport | null): ReportForm {
  const checks = Object.fromEntries(REPORT_CHECKS.map(({ key }) => [key, report === null ? '' : report.report.checks[key] ? 'yes' : 'no'])) as Record<CheckKey, Answer>;
  return { checks, comments: report?.report.comments ?? '', outcome: report?.report.outcome ?? '' };
}

/**
 * The PUT body, or an error per unanswered question (keyed by check, and `outcome`): a report
 * with a question left blank would be signed as a "no" nobody chose.
 */
export function buildReportRequest(form: ReportForm, baseVersion: number): { ok: true; request: { baseVersion: number; report: AssessmentReportBody } } | { ok: false; errors: Map<string, string> } {
  const errors = new Map<string, string>();
  for (const { key } of REPORT_CHECKS) if (form.checks[key] === '') errors.set(key, 'Answer yes or no.');
  if (form.outcome === '') errors.set('outcome', 'Choose the outcome of the assessment.');
  if (form.comments.length > 20_000) errors.set('comments', 'Shorten the comments: they are longer than the report allows.');
  if (errors.size > 0 || form.outcome === '') return { ok: false, errors };
  const checks = Object.fromEntries(REPORT_CHECKS.map(({ key }) => [key, form.checks[key] === 'yes'])) as ReportChecks;
  return { ok: true, request: { baseVersion, report: { checks, comments: form.comments.trim(), outcome: form.outcome } } };
}

/**
 * Answers that contradict the outcome, as warnings: the assessor may have a reason, so these do
 * not block saving, but a "competent" report that still asks for more evidence is worth a second look.
 */
export function reportWarnings(form: ReportForm): string[] {
  if (form.outcome !== 'competent') return [];
  const warnings: string[] = [];
  const c = form.checks;
  if (c.moreSkillsEvidenceRequired === 'yes' || c.moreKnowledgeEvidenceRequired === 'yes' || c.morePortfolioEvidenceRequired === 'yes') warnings.push('The outcome is competent, but the report says more evidence is required.');
  if (c.skillsMet === 'no' || c.knowledgeMet === 'no') warnings.push('The outcome is competent, but the report says the skills or knowledge are not met.');
  if (c.evidenceValidSufficientCurrentAuthentic === 'no' || c.properlyAuthenticated === 'no') warnings.push('The outcome is competent, but the report says the evidence is not valid, sufficient, current, authentic or properly authenticated.');
  return warnings;
}

// Typed as the form's fields ('' until chosen), refusing the blank.
const answer = z.custom<Answer>((value) => value === 'yes' || value === 'no');

/**
 * The form's answers as the contract's report body: every question answered yes or no (a blank
 * would be signed as a "no" nobody chose), then checked by AssessmentReportBodySchema itself.
 */
export const ReportFormSchema = z
  .object({
    checks: z.object(Object.fromEntries(REPORT_CHECKS.map(({ key }) => [key, answer])) as Record<CheckKey, typeof answer>),
    comments: z.string(),
    outcome: z.custom<ReportForm['outcome']>((value) => value === 'competent' || value === 'not-yet-competent'),
  })
  .transform((form) => ({ checks: Object.fromEntries(REPORT_CHECKS.map(({ key }) => [key, form.checks[key] === 'yes'])) as ReportChecks, comments: form.comments, outcome: form.outcome as AssessmentReportBody['outcome'] }))
  .pipe(AssessmentReportBodySchema);

/** What the assessor is told for a refused field, by its path in the form. */
export function reportMessage(path: string): string {
  if (path === 'outcome') return 'Choose the outcome of the assessment.';
  if (path === 'comments') return 'Shorten the comments: they are longer than the report allows.';
  return 'Answer yes or no.';
}

/** The report's two outcomes in the words the form and the signed report show. */
export const OUTCOME_WORDS = { competent: 'Competent', 'not-yet-competent': 'Not yet competent' } as const;
