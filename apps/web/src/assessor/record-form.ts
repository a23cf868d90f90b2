import { z } from 'zod';
import { CreateRecordRequestSchema, RecordContentSchema, SUPPLEMENTARY_EVIDENCE_KINDS, type CreateRecordRequest, type EvidenceMappingTarget, type RecordContent, type RecordKind } from '@attest/contracts';
import type { WorkSetting } from '@attest/standards';

export type SupplementaryKind = (typeof SUPPLEMENTARY_EVIDENCE_KINDS)[number];

export const RECORD_KINDS: ReadonlyArray<{ kind: RecordKind; label: string; hint: string }> = [
  { kind: 'observation', label: 'Observation record', hint: 'What you saw the candidate do, where and when.' },
  { kind: 'questioning', label: 'Questioning record', hint: 'The questions you asked and the candidate’s answers, oral or written.' },
  { kind: 'professional-discussion', label: 'Professional discussion', hint: 'Topics discussed and a summary, with a recording if one was made.' },
  { kind: 'witness-testimony', label: 'Witness testimony', hint: 'A workplace witness’s statement, entered for them.' },
  { kind: 'expert-witness', label: 'Expert witness statement', hint: 'A statement by an expert witness, with their eligibility checked.' },
  { kind: 'prior-achievement', label: 'Accredited prior achievement', hint: 'An award the candidate already holds, checked by you.' },
];

export const recordKindLabel = (kind: RecordKind) => RECORD_KINDS.find((k) => k.kind === kind)?.label ?? kind;

export const SUPPLEMENTARY_LABELS: Record<SupplementaryKind, string> = {
  'work-products': 'Work products',
  photographs: 'Photographs',
  'e-evidence': 'E-evidence',
  'third-party-confirmation': 'Third-party confirmation',
};

/**
 * Every field of every record kind, as the inputs hold them (text, not parsed values). Switching
 * the kind keeps what was typed; only the fields of the chosen kind are sent.
 */
export interface RecordForm {
  kind: RecordKind;
  date: string;
  workSetting: WorkSetting;
  customerRef: string;
  occasionRef: string;
  place: string;
  observed: string;
  supplementary: Record<SupplementaryKind, { isSeen: boolean; location: string }>;
  mode: 'oral' | 'written';
  questions: Array<{ question: string; answer: string }>;
  /** One topic per line. */
  topics: string;
  summary: string;
  /** `itemId|fileId` of an audio or video file in the learner's portfolio, or ''. */
  recording: string;
  witness: { name: string; contact: string; position: string; relationshipToCandidate: string; status: string };
  statement: string;
  /** One unit per line. */
  unitsWitnessed: string;
  eligibility: { supervisoryExperienceTwoYears: boolean; knowsStandards: boolean; cpd: boolean; evidenceOfEligibility: string; holdsOrWorksTowardsAssessorAward: boolean; hasQualityResponsibility: boolean };
  title: string;
  awardingBody: string;
  certificateRef: string;
  verification: string;
}

export function emptyRecordForm(kind: RecordKind, today: string, unitLabel: string): RecordForm {
  return {
    kind,
    date: today,
    workSetting: 'real-job',
    customerRef: '',
    occasionRef: '',
    place: '',
    observed: '',
    supplementary: { 'work-products': { isSeen: false, location: '' }, photographs: { isSeen: false, location: '' }, 'e-evidence': { isSeen: false, location: '' }, 'third-party-confirmation': { isSeen: false, location: '' } },
    mode: 'oral',
    questions: [{ question: '', answer: '' }],
    topics: '',
    summary: '',
    recording: '',
    witness: { name: '', contact: '', position: '', relationshipToCandidate: '', status: '' },
    statement: '',
    unitsWitnessed: unitLabel,
    eligibility: { supervisoryExperienceTwoYears: false, knowsStandards: false, cpd: false, evidenceOfEligibility: '', holdsOrWorksTowardsAssessorAward: false, hasQualityResponsibility: false },
    title: '',
    awardingBody: '',
    certificateRef: '',
    verification: '',
  };
}

/** A signed record's content back in the form, for a correction (a new record that supersedes it). */
export function recordFormFromContent(content: RecordContent, today: string): RecordForm {
  const form = emptyRecordForm(content.kind, today, '');
  form.date = content.date;
  if (content.kind !== 'prior-achievement') {
    form.workSetting = content.workSetting;
    form.customerRef = content.customerRef ?? '';
    form.occasionRef = content.occasionRef ?? '';
  }
  switch (content.kind) {
    case 'observation':
      form.place = content.place;
      form.observed = content.observed;
      for (const entry of content.supplementaryEvidence) form.supplementary[entry.kind] = { isSeen: true, location: entry.location };
      break;
    case 'questioning':
      form.mode = content.mode;
      form.questions = content.questions.map((q) => ({ ...q }));
      break;
    case 'professional-discussion':
      form.topics = content.topics.join('\n');
      form.summary = content.summary;
      form.recording = content.recording === null ? '' : `${content.recording.itemId}|${content.recording.fileId}`;
      break;
    case 'witness-testimony':
    case 'expert-witness':
      form.witness = { ...content.witness, status: String(content.witness.status) };
      form.statement = content.statement;
      form.unitsWitnessed = content.unitsWitnessed.join('\n');
      if (content.kind === 'expert-witness') form.eligibility = { ...content.eligibility };
      break;
    case 'prior-achievement':
      form.title = content.title;
      form.awardingBody = content.awardingBody;
      form.certificateRef = content.certificateRef ?? '';
      form.verification = content.verification;
      break;
  }
  return form;
}

const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/** The object the chosen kind sends, before validation (the contract's schema validates it). */
export function draftRecordContent(form: RecordForm): unknown {
  const occasion = { date: form.date, workSetting: form.workSetting, customerRef: orNull(form.customerRef), occasionRef: orNull(form.occasionRef) };
  const witness = { ...form.witness, status: form.witness.status === '' ? null : Number(form.witness.status) };
  switch (form.kind) {
    case 'observation':
      return {
        kind: 'observation',
        ...occasion,
        place: form.place,
        observed: form.observed,
        supplementaryEvidence: SUPPLEMENTARY_EVIDENCE_KINDS.filter((kind) => form.supplementary[kind].isSeen).map((kind) => ({ kind, location: form.supplementary[kind].location.trim() })),
      };
    case 'questioning':
      // Every row is sent, blank or not, so an error's index names the row the assessor sees.
      return { kind: 'questioning', ...occasion, mode: form.mode, questions: form.questions };
    case 'professional-discussion': {
      const [itemId, fileId] = form.recording.split('|');
      return { kind: 'professional-discussion', ...occasion, topics: lines(form.topics), summary: form.summary, recording: itemId && fileId ? { itemId, fileId } : null };
    }
    case 'witness-testimony':
      return { kind: 'witness-testimony', ...occasion, witness, statement: form.statement, unitsWitnessed: lines(form.unitsWitnessed) };
    case 'expert-witness':
      return { kind: 'expert-witness', ...occasion, witness, eligibility: form.eligibility, statement: form.statement, unitsWitnessed: lines(form.unitsWitnessed) };
    case 'prior-achievement':
      return { kind: 'prior-achievement', date: form.date, title: form.title, awardingBody: form.awardingBody, certificateRef: orNull(form.certificateRef), verification: form.verification };
  }
}

/** The words for each field, as its label reads, for messages such as "Enter the place". */
export const FIELD_NAMES: Record<string, string> = {
  date: 'the date',
  place: 'the place',
  observed: 'what you saw the candidate do',
  questions: 'at least one question with its answer',
  question: 'the question',
  answer: 'the candidate’s answer',
  topics: 'at least one topic',
  summary: 'a summary of the discussion',
  'witness.name': 'the witness’s name',
  'witness.contact': 'how to contact the witness',
  'witness.position': 'the witness’s position',
  'witness.relationshipToCandidate': 'the witness’s relationship to the candidate',
  'witness.status': 'the witness status category',
  statement: 'the witness’s statement',
  unitsWitnessed: 'at least one unit witnessed',
  'eligibility.evidenceOfEligibility': 'how the expert witness’s eligibility was checked',
  title: 'the award’s title',
  awardingBody: 'the awarding body',
  verification: 'how you checked the award is authentic and current',
};

export type RecordErrors = Map<string, string>;

/** Field path as the inputs are keyed: `questions.0.answer` is the first answer. */
const nameOfPath = (path: string) => FIELD_NAMES[path] ?? FIELD_NAMES[path.replace(/^questions\.\d+\./, '')] ?? FIELD_NAMES[path.split('.')[0] ?? ''] ?? 'this field';

/**
 * The record's content checked by the contract's own schema, with one plain-English message per
 * field (keyed by field path) instead of zod's wording; the expert-witness eligibility messages are
 * the contract's, which already say what the seeds require.
 */
export function toRecordContent(form: RecordForm): { ok: true; content: RecordContent } | { ok: false; errors: RecordErrors } {
  const parsed = RecordContentSchema.safeParse(draftRecordContent(form));
  if (parsed.success) return { ok: true, content: parsed.data };
  const errors: RecordErrors = new Map();
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.');
    if (errors.has(path)) continue;
    let message: string;
    if (path.startsWith('eligibility.') && issue.code === 'invalid_value') message = issue.message;
    else if (path === 'date') message = 'Enter the date as a full date (day, month and year).';
    else if (path === 'witness.status') message = 'Choose the witness status category (1 to 5).';
    else if (issue.code === 'too_big') message = `Shorten ${nameOfPath(path)}: it is longer than the form allows.`;
    else message = `Enter ${nameOfPath(path)}.`;
    errors.set(path, message);
  }
  return { ok: false, errors };
}

export const TARGETS_ERROR = 'Map the record to at least one statement, scope item or knowledge statement.';

/** POST …/records body, or the errors to show by field (`targets` for the mapping). */
export function buildCreateRecordRequest(form: RecordForm, targets: readonly EvidenceMappingTarget[], options: { sign: boolean; supersedes: string | null }): { ok: true; request: CreateRecordRequest } | { ok: false; errors: RecordErrors } {
  const content = toRecordContent(form);
  const errors: RecordErrors = content.ok ? new Map() : content.errors;
  if (targets.length === 0) errors.set('targets', TARGETS_ERROR);
  if (!content.ok || errors.size > 0) return { ok: false, errors };
  return { ok: true, request: { content: content.content, targets: [...targets], sign: options.sign, supersedes: options.supersedes } };
}

/** The record form's fields: the content's, and the statements, scope and knowledge it maps to. */
export type RecordFormValues = RecordForm & { targets: EvidenceMappingTarget[] };

/** Where a content error shows: a line of a one-per-line field (`topics.3`) shows at that field. */
const fieldPathOf = (path: string) => path.replace(/^(topics|unitsWitnessed)\.\d+$/, '$1');

/** Errors by the form's field path, as the form shows them; empty when the record can be sent. */
export function recordFormErrors(values: RecordFormValues): RecordErrors {
  const built = buildCreateRecordRequest(values, values.targets, { sign: false, supersedes: null });
  const errors: RecordErrors = new Map();
  if (!built.ok) for (const [path, message] of built.errors) if (!errors.has(fieldPathOf(path))) errors.set(fieldPathOf(path), message);
  return errors;
}

/** What every save sends, whichever way: the content and its mapping, as the contract types them. */
export const RecordBodySchema = CreateRecordRequestSchema.pick({ content: true, targets: true });
export type RecordBody = z.infer<typeof RecordBodySchema>;

/**
 * The form's fields as the contract's record body: the chosen kind's content checked by
 * RecordContentSchema (toRecordContent), each refusal in plain words at the field that shows it,
 * then the body parsed by the contract's own schema, so the browser refuses what the server would.
 */
export const RecordFormSchema = z
  .custom<RecordFormValues>((value) => typeof value === 'object' && value !== null)
  .transform((values, ctx) => {
    const built = buildCreateRecordRequest(values, values.targets, { sign: false, supersedes: null });
    if (built.ok) return { content: built.request.content, targets: built.request.targets };
    for (const [path, message] of recordFormErrors(values)) ctx.addIssue({ code: 'custom', message, path: path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)) });
    return z.NEVER;
  })
  .pipe(RecordBodySchema);

/** A signed record cannot change: it is asked once before signing (issue 11 item 9). */
export function signRecordConfirmation(name: string) {
  return {
    title: `Sign the ${name.charAt(0).toLowerCase()}${name.slice(1)}?`,
    words: 'A signed record is final: it counts towards the unit as it stands and cannot be edited. A mistake is put right only by a correction, which keeps this record beside it.',
    confirmLabel: 'Yes, sign it',
    keepLabel: 'Not yet',
  };
}
