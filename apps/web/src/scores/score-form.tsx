import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ActivityProgressSchema, GradingProgressSchema, PassbackStatusSchema, type PassbackStatus } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/use-api-resource.ts';
import { pollPassbackStatus } from './poll-passback-status.ts';
import { toScoreRequest, type ScoreFormFields } from './to-score-request.ts';

const activityLabels: Record<string, string> = {
  Initialized: 'Not started',
  Started: 'Started',
  InProgress: 'In progress',
  Submitted: 'Submitted',
  Completed: 'Completed',
};
const gradingLabels: Record<string, string> = {
  FullyGraded: 'Fully graded',
  Pending: 'Pending',
  PendingManual: 'Pending manual grading',
  Failed: 'Grading failed',
  NotReady: 'Not ready',
};

type SendState =
  | { phase: 'idle' }
  | { phase: 'sending' }
  | { phase: 'tracking'; status: PassbackStatus }
  | { phase: 'error'; message: string };

function describe(state: SendState): { text: string; tone: 'neutral' | 'success' | 'error' } | null {
  switch (state.phase) {
    case 'idle':
      return null;
    case 'sending':
      return { text: 'Sending score…', tone: 'neutral' };
    case 'error':
      return { text: state.message, tone: 'error' };
    case 'tracking': {
      const { status } = state;
      if (status.state === 'sent') return { text: 'Score sent to the gradebook.', tone: 'success' };
      if (status.state === 'failed') return { text: `The gradebook did not accept the score${status.lastError ? `: ${status.lastError}` : '.'}`, tone: 'error' };
      return { text: status.attempts > 1 ? `Waiting for the gradebook (attempt ${status.attempts})…` : 'Waiting for the gradebook…', tone: 'neutral' };
    }
  }
}

/** One learner's score form and the state of its passback to the LMS gradebook. */
export function ScoreForm({ api, learnerUserId, learnerName }: { api: ApiClient; learnerUserId: string; learnerName: string }) {
  const id = useId();
  const [fields, setFields] = useState<ScoreFormFields>({ score: '', activityProgress: 'Completed', gradingProgress: 'FullyGraded', comment: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof ScoreFormFields, string>>>({});
  const [sendState, setSendState] = useState<SendState>({ phase: 'idle' });
  const polling = useRef<AbortController | null>(null);

  useEffect(() => () => polling.current?.abort(), []);
  const isBusy = sendState.phase === 'sending' || (sendState.phase === 'tracking' && sendState.status.state === 'pending');

  const update = (name: keyof ScoreFormFields) => (event: { currentTarget: { value: string } }) => {
    const { value } = event.currentTarget;
    setFields((current) => ({ ...current, [name]: value }));
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (isBusy) return;
    const result = toScoreRequest(learnerUserId, fields);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    polling.current?.abort();
    const controller = new AbortController();
    polling.current = controller;
    setSendState({ phase: 'sending' });
    try {
      const first = await api.post('/api/scores', result.request, PassbackStatusSchema);
      if (controller.signal.aborted) return;
      setSendState({ phase: 'tracking', status: first });
      await pollPassbackStatus(
        first,
        (scoreId) => api.get(`/api/scores/${encodeURIComponent(scoreId)}`, PassbackStatusSchema),
        (status) => setSendState({ phase: 'tracking', status }),
        { signal: controller.signal },
      );
    } catch (error) {
      if (!controller.signal.aborted) setSendState({ phase: 'error', message: asApiRequestError(error).message });
    }
  }

  const message = describe(sendState);
  const fieldId = (name: string) => `${id}-${name}`;
  const errorId = (name: keyof ScoreFormFields) => (errors[name] ? `${id}-${name}-error` : undefined);

  return (
    <form className="score-form" aria-label={`Score for ${learnerName}`} noValidate onSubmit={submit}>
      <div className="field">
        <label htmlFor={fieldId('score')}>Score (0–100)</label>
        <input
          id={fieldId('score')}
          name="score"
          type="number"
          inputMode="decimal"
          min={0}
          max={100}
          step="any"
          value={fields.score}
          onChange={update('score')}
          aria-invalid={errors.score ? true : undefined}
          aria-describedby={errorId('score')}
        />
        {errors.score ? <p className="field-error" id={errorId('score')}>{errors.score}</p> : null}
      </div>
      <div className="field">
        <label htmlFor={fieldId('activity')}>Activity progress</label>
        <select id={fieldId('activity')} name="activityProgress" value={fields.activityProgress} onChange={update('activityProgress')} aria-describedby={errorId('activityProgress')}>
          {ActivityProgressSchema.options.map((value) => <option key={value} value={value}>{activityLabels[value] ?? value}</option>)}
        </select>
        {errors.activityProgress ? <p className="field-error" id={errorId('activityProgress')}>{errors.activityProgress}</p> : null}
      </div>
      <div className="field">
        <label htmlFor={fieldId('grading')}>Grading progress</label>
        <select id={fieldId('grading')} name="gradingProgress" value={fields.gradingProgress} onChange={update('gradingProgress')} aria-describedby={[fieldId('grading-hint'), errorId('gradingProgress')].filter(Boolean).join(' ')}>
          {GradingProgressSchema.options.map((value) => <option key={value} value={value}>{gradingLabels[value] ?? value}</option>)}
        </select>
        {/* Moodle nulls the grade of any score not FullyGraded (see the emulator's accept-score.ts); a unit's signed-off completion would go with it. */}
        <p className="hint" id={fieldId('grading-hint')}>
          Moodle keeps a grade only when grading is Fully graded: any other choice clears the grade it holds for this learner, including a signed-off unit’s.
        </p>
        {errors.gradingProgress ? <p className="field-error" id={errorId('gradingProgress')}>{errors.gradingProgress}</p> : null}
      </div>
      <div className="field field-wide">
        <label htmlFor={fieldId('comment')}>Comment (optional)</label>
        <textarea
          id={fieldId('comment')}
          name="comment"
          rows={2}
          maxLength={1000}
          value={fields.comment}
          onChange={update('comment')}
          aria-invalid={errors.comment ? true : undefined}
          aria-describedby={errorId('comment')}
        />
        {errors.comment ? <p className="field-error" id={errorId('comment')}>{errors.comment}</p> : null}
      </div>
      <div className="form-actions field-wide">
        {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page start. */}
        <button type="submit" className="button" aria-disabled={isBusy}>
          Send score
        </button>
        {/* Always rendered, so screen readers are already watching it when the text changes. */}
        <p className={`passback-status passback-${message?.tone ?? 'neutral'}`} role="status">
          {message?.text ?? ''}
        </p>
      </div>
    </form>
  );
}
