import type { AuditAction, HistoryEntry } from '@attest/contracts';

/** One history line in plain words: who, did what, to what (shown in italics), and when. */
export interface HistoryLine {
  readonly who: string;
  readonly did: string;
  readonly what: string | null;
  readonly when: string;
}

const withArticle = (word: string) => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
const recordKind = (label: string | null) => withArticle(`${(label ?? 'assessment').replaceAll('-', ' ')} record`);

// Every action has its words, so a new one in the contract's list is a type error here until it is phrased.
const PHRASES: Record<AuditAction, (label: string | null) => { did: string; what: string | null }> = {
  'evidence.created': (label) => ({ did: 'added evidence', what: label }),
  'evidence.saved': (label) => ({ did: 'edited evidence', what: label }),
  'evidence.submitted': (label) => ({ did: 'submitted evidence', what: label }),
  'evidence.reopened': (label) => ({ did: 'reopened for editing evidence', what: label }),
  'evidence.file-added': (label) => ({ did: 'uploaded the file', what: label }),
  'evidence.file-removed': (label) => ({ did: 'removed the file', what: label }),
  'evidence.mappings-changed': (label) => ({ did: 'changed the mappings of evidence', what: label }),
  'evidence.judged': (label) => ({ did: 'judged evidence', what: label }),
  'feedback.added': () => ({ did: 'gave feedback', what: null }),
  'record.created': (label) => ({ did: `made ${recordKind(label)}`, what: null }),
  'record.saved': (label) => ({ did: `edited ${recordKind(label)}`, what: null }),
  'record.signed': (label) => ({ did: `signed ${recordKind(label)}`, what: null }),
  'action-plan.saved': () => ({ did: 'saved the action plan', what: null }),
  'report.saved': () => ({ did: 'saved the assessment report', what: null }),
  'unit.declared': () => ({ did: 'signed the candidate’s declaration for the unit', what: null }),
  'unit.signed-off': () => ({ did: 'signed the unit off', what: null }),
  'unit.countersigned': () => ({ did: 'countersigned the unit’s sign-off', what: null }),
  'unit.reopened': () => ({ did: 'reopened the unit, withdrawing its sign-off', what: null }),
  'score.queued': () => ({ did: 'queued the unit’s score for the gradebook', what: null }),
  'score.sent': () => ({ did: 'sent the unit’s score to the gradebook', what: null }),
  'score.failed': () => ({ did: 'could not send the unit’s score to the gradebook', what: null }),
  'score.resync_requested': () => ({ did: 'asked for the unit’s grade to be sent to the gradebook again', what: null }),
  'platform.registered': (label) => ({ did: 'registered the platform', what: label }),
  'platform.activated': (label) => ({ did: 'activated the platform', what: label }),
  'platform.deactivated': (label) => ({ did: 'deactivated the platform', what: label }),
  'platform.deployment-added': (label) => ({ did: 'added a deployment to the platform', what: label }),
  'platform.removed': (label) => ({ did: 'removed the platform', what: label }),
  'platform.renamed': (label) => ({ did: 'renamed the platform', what: label }),
  'assessor.qualification-changed': (label) => ({ did: 'changed the qualification recorded for', what: label }),
  'administrator.granted': (label) => ({ did: 'made an Attest administrator of', what: label }),
  'administrator.revoked': (label) => ({ did: 'ended the Attest administration of', what: label }),
};

function whoDid(entry: HistoryEntry): string {
  if (entry.actor.type === 'system') return 'Attest';
  if (entry.actor.type === 'cli') return 'An administrator (command line)';
  if (entry.actor.name) return entry.actor.name;
  return entry.actor.role === 'learner' ? 'The learner' : 'An assessor';
}

/** "3 Dec 2026, 14:05" in the given time zone (the browser's when absent). */
export function formatDateTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, ...(timeZone ? { timeZone } : {}) });
}

export function describeHistoryEntry(entry: HistoryEntry, timeZone?: string): HistoryLine {
  const { did, what } = PHRASES[entry.action](entry.subject.label);
  return { who: whoDid(entry), did, what, when: formatDateTime(entry.recordedAt, timeZone) };
}
