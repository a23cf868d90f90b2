// The assessment report as signed, read-only: for the assessor and the learner's own view, apart
// from the report's form (react-hook-form) so the learner's page does not load the form with it.
import type { AssessmentReport } from '@attest/contracts';
import { OUTCOME_WORDS, REPORT_CHECKS } from './report-form.ts';

/** The report as signed: answers and outcome, read-only. Also the learner's view of it. */
export function ReportSummary({ report }: { report: AssessmentReport }) {
  return (
    <div className="report-summary">
      <h3>Assessment report{report.isSigned ? ' (signed)' : ''}</h3>
      <dl className="record-facts">
        {REPORT_CHECKS.map(({ key, question }) => (
          <div key={key}>
            <dt>{question}</dt>
            <dd>{report.report.checks[key] ? 'Yes' : 'No'}</dd>
          </div>
        ))}
        <div>
          <dt>Comments</dt>
          <dd>{report.report.comments === '' ? 'None' : report.report.comments}</dd>
        </div>
        <div>
          <dt>Outcome</dt>
          <dd>{OUTCOME_WORDS[report.report.outcome]}</dd>
        </div>
      </dl>
    </div>
  );
}
