import { useId, useRef, useState } from 'react';
import { useForm, get, type FieldErrors } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { apiRoutes, type AssessmentReport, type AssessmentReportBody } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { formatDate } from '../portfolio/feedback-list.tsx';
import { useFormSave } from '../components/use-form-save.ts';
import { useFocusFirstError } from './use-focus-first-error.ts';
import { OUTCOME_WORDS, REPORT_CHECKS, ReportFormSchema, reportFormOf, reportMessage, reportWarnings, type ReportForm } from './report-form.ts';
import { ReportSummary } from './report-summary.tsx';
import { FormActions } from '../components/form-actions.tsx';


/**
 * Seed 004's assessment report: the yes/no checks, comments and outcome; read-only once the unit
 * is signed. React Hook Form holds the answers; the resolver parses them with the contract's body schema.
 */
export function ReportEditor({ api, learnerUserId, report, onSaved }: { api: ApiClient; learnerUserId: string; report: AssessmentReport | null; onSaved: (report: AssessmentReport) => void }) {
  const id = useId();
  const [version, setVersion] = useState(report?.version ?? 0);
  const { register, handleSubmit, watch, formState } = useForm<ReportForm, unknown, AssessmentReportBody>({ defaultValues: reportFormOf(report), resolver: zodResolver(ReportFormSchema) });
  const save = useFormSave(
    (body: { baseVersion: number; report: AssessmentReportBody }) => api.call(apiRoutes.saveReport, { params: { userId: learnerUserId }, body }),
    (saved: AssessmentReport) => {
      setVersion(saved.version);
      onSaved(saved);
    },
    (failure) => (failure.status === 409 ? `${failure.message} Reload the learner to see the saved report.` : failure.message),
  );
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = useFocusFirstError(formRef);
  const form = watch();
  if (report !== null && report.isSigned) return <ReportSummary report={report} />;

  const errorAt = (path: string) => (get(formState.errors as FieldErrors, path) === undefined ? undefined : reportMessage(path));
  const refused = (errors: FieldErrors<ReportForm>) => {
    const count = Object.keys(errors.checks ?? {}).length + (errors.outcome ? 1 : 0);
    save.refuse(count === 0 ? 'Check the fields marked above.' : count === 1 ? 'One answer is missing.' : `${count} answers are missing.`);
    focusFirstError();
  };

  const warnings = reportWarnings(form);
  return (
    <form
      ref={formRef}
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(event) => void handleSubmit((valid) => save.save({ baseVersion: version, report: valid }), refused)(event)}
    >
      <h3 id={`${id}-title`}>Assessment report</h3>
      {report === null ? null : (
        <p className="hint">
          Version {report.version}, last saved by {report.updatedByName ?? 'an assessor'} on {formatDate(report.updatedAt)}.
        </p>
      )}
      {REPORT_CHECKS.map(({ key, question }) => {
        const error = errorAt(`checks.${key}`);
        return (
          <fieldset key={key} className="choice-group yes-no" aria-describedby={error === undefined ? undefined : `${id}-${key}-error`}>
            <legend>{question}</legend>
            {(['yes', 'no'] as const).map((answer) => (
              <div key={answer} className="choice">
                <input id={`${id}-${key}-${answer}`} type="radio" value={answer} aria-invalid={error !== undefined} {...register(`checks.${key}`)} />
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
        <textarea id={`${id}-comments`} rows={4} {...register('comments')} />
      </div>
      <fieldset className="choice-group" aria-describedby={errorAt('outcome') !== undefined ? `${id}-outcome-error` : undefined}>
        <legend>Outcome</legend>
        {(['competent', 'not-yet-competent'] as const).map((outcome) => (
          <div key={outcome} className="choice">
            <input id={`${id}-outcome-${outcome}`} type="radio" value={outcome} aria-invalid={errorAt('outcome') !== undefined} {...register('outcome')} />
            <label htmlFor={`${id}-outcome-${outcome}`}>{OUTCOME_WORDS[outcome]}</label>
          </div>
        ))}
        {errorAt('outcome') === undefined ? null : (
          <p className="field-error" id={`${id}-outcome-error`}>
            {errorAt('outcome')}
          </p>
        )}
      </fieldset>
      {warnings.length === 0 ? null : (
        <ul className="notice plain-list" aria-label="Check the report">
          {warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <FormActions statusText={save.state.status === 'saving' ? 'Saving…' : save.state.status === 'saved' ? 'Report saved.' : ''} errorText={save.state.status === 'error' ? `Not saved: ${save.state.message}` : null}>
        <button type="submit" className="button" aria-disabled={save.state.status === 'saving'}>
          Save the report
        </button>
      </FormActions>
    </form>
  );
}
