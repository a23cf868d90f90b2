import { useId, useRef, useState } from 'react';
import { apiRoutes, type AssessmentReport } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import { formatDate } from '../portfolio/feedback-list.tsx';
import { useFocusFirstError } from './use-focus-first-error.ts';
import { buildReportRequest, REPORT_CHECKS, reportFormOf, reportWarnings, type ReportForm } from './report-form.ts';
import { FormActions } from '../components/form-actions.tsx';
import type { SaveState } from '../components/use-form-save.ts';


const outcomeWords = { competent: 'Competent', 'not-yet-competent': 'Not yet competent' } as const;

/** Seed 004's assessment report: the yes/no checks, comments and outcome; read-only once the unit is signed. */
export function ReportEditor({ api, learnerUserId, report, onSaved }: { api: ApiClient; learnerUserId: string; report: AssessmentReport | null; onSaved: (report: AssessmentReport) => void }) {
  const id = useId();
  const [form, setForm] = useState<ReportForm>(() => reportFormOf(report));
  const [version, setVersion] = useState(report?.version ?? 0);
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = useFocusFirstError(formRef);
  if (report !== null && report.isSigned) return <ReportSummary report={report} />;

  async function submit() {
    if (save.status === 'saving') return;
    const built = buildReportRequest(form, version);
    if (!built.ok) {
      setErrors(built.errors);
      focusFirstError();
      return setSave({ status: 'error', message: built.errors.size === 1 ? 'One answer is missing.' : `${built.errors.size} answers are missing.` });
    }
    setErrors(new Map());
    setSave({ status: 'saving' });
    try {
      const saved = await api.call(apiRoutes.saveReport, { params: { userId: learnerUserId }, body: built.request });
      setVersion(saved.version);
      setSave({ status: 'saved' });
      onSaved(saved);
    } catch (error) {
      const failure = asApiRequestError(error);
      setSave({ status: 'error', message: failure.status === 409 ? `${failure.message} Reload the learner to see the saved report.` : failure.message });
    }
  }

  const warnings = reportWarnings(form);
  return (
    <form
      ref={formRef}
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 id={`${id}-title`}>Assessment report</h3>
      {report === null ? null : (
        <p className="hint">
          Version {report.version}, last saved by {report.updatedByName ?? 'an assessor'} on {formatDate(report.updatedAt)}.
        </p>
      )}
      {REPORT_CHECKS.map(({ key, question }) => {
        const error = errors.get(key);
        return (
          <fieldset key={key} className="choice-group yes-no" aria-describedby={error === undefined ? undefined : `${id}-${key}-error`}>
            <legend>{question}</legend>
            {(['yes', 'no'] as const).map((answer) => (
              <div key={answer} className="choice">
                <input id={`${id}-${key}-${answer}`} type="radio" name={`${id}-${key}`} checked={form.checks[key] === answer} aria-invalid={error !== undefined} onChange={() => setForm({ ...form, checks: { ...form.checks, [key]: answer } })} />
                <label htmlFor={`${id}-${key}-${answer}`}>{answer === 'yes' ? 'Yes' : 'No'}</label>
              </div>
            ))}
            {error === undefined ? null : (
              <p className="field-error" id={`${id}-${key}-error`}>
                {error}
              </p>
            )}
          </fieldset>
        );
      })}
      <div className="field">
        <label htmlFor={`${id}-comments`}>Comments</label>
        <textarea id={`${id}-comments`} rows={4} value={form.comments} onChange={(e) => setForm({ ...form, comments: e.target.value })} />
      </div>
      <fieldset className="choice-group" aria-describedby={errors.has('outcome') ? `${id}-outcome-error` : undefined}>
        <legend>Outcome</legend>
        {(['competent', 'not-yet-competent'] as const).map((outcome) => (
          <div key={outcome} className="choice">
            <input id={`${id}-outcome-${outcome}`} type="radio" name={`${id}-outcome`} checked={form.outcome === outcome} aria-invalid={errors.has('outcome')} onChange={() => setForm({ ...form, outcome })} />
            <label htmlFor={`${id}-outcome-${outcome}`}>{outcomeWords[outcome]}</label>
          </div>
        ))}
        {errors.has('outcome') ? (
          <p className="field-error" id={`${id}-outcome-error`}>
            {errors.get('outcome')}
          </p>
        ) : null}
      </fieldset>
      {warnings.length === 0 ? null : (
        <ul className="notice plain-list" aria-label="Check the report">
          {warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <FormActions statusText={save.status === 'saving' ? 'Saving…' : save.status === 'saved' ? 'Report saved.' : ''} errorText={save.status === 'error' ? `Not saved: ${save.message}` : null}>
        <button type="submit" className="button" aria-disabled={save.status === 'saving'}>
          Save the report
        </button>
      </FormActions>
    </form>
  );
}

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
          <dd>{outcomeWords[report.report.outcome]}</dd>
        </div>
      </dl>
    </div>
  );
}
