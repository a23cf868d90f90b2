import { apiRoutes, EvidenceConflictDetailsSchema, EvidenceDraftSchema, pathOf, type EvidenceDraft, type EvidenceItem } from '@attest/contracts';

/**
 * One item's save state. The learner's text (`draft`) is never replaced behind their back: a
 * failed or conflicting save keeps it, and only an explicit choice takes the server's copy.
 */
export type AutosaveState = {
  /** null until the first save creates the item. */
  itemId: string | null;
  baseVersion: number | null;
  draft: EvidenceDraft;
  /** The draft the server last confirmed; equal to `draft` when nothing is waiting. */
  savedDraft: EvidenceDraft | null;
  /** The draft of the save in flight, to tell whether the learner typed on meanwhile. */
  sending: EvidenceDraft | null;
  status: 'saved' | 'dirty' | 'saving' | 'invalid' | 'failed' | 'conflict';
  message: string | null;
  conflict: { current: EvidenceItem; conflictCopyId: string } | null;
};

export type AutosaveEvent =
  | { type: 'edit'; draft: EvidenceDraft }
  | { type: 'send' }
  | { type: 'saved'; item: EvidenceItem }
  | { type: 'failed'; message: string }
  | { type: 'conflict'; current: EvidenceItem; conflictCopyId: string }
  | { type: 'keep-mine' }
  | { type: 'take-theirs' }
  /** The item changed by another write of this page (mappings, submit, upload): adopt its version. */
  | { type: 'version'; version: number };

export function startAutosave(item: EvidenceItem | null, blank: EvidenceDraft): AutosaveState {
  if (item === null) {
    // A new item is created by its first valid save, so an empty form is "not saved yet" and says why.
    const problem = draftProblem(blank);
    return { itemId: null, baseVersion: null, draft: blank, savedDraft: null, sending: null, status: problem === null ? 'dirty' : 'invalid', message: problem, conflict: null };
  }
  const draft = toDraft(item);
  return { itemId: item.id, baseVersion: item.version, draft, savedDraft: draft, sending: null, status: 'saved', message: null, conflict: null };
}

export function toDraft(item: EvidenceItem): EvidenceDraft {
  const { title, description, evidenceType, activityDate, customerRef, occasionRef, workSetting } = item;
  return { title, description, evidenceType, activityDate, customerRef, occasionRef, workSetting };
}

const sameDraft = (a: EvidenceDraft | null, b: EvidenceDraft | null) => a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b);

export type DraftProblem = { field: 'title' | 'activityDate' | 'description' | 'form'; message: string };

/** The first problem with the draft, naming its field so the form can mark it; null when the server would accept it. */
export function findDraftProblem(draft: EvidenceDraft): DraftProblem | null {
  const parsed = EvidenceDraftSchema.safeParse(draft);
  if (parsed.success) return null;
  const field = String(parsed.error.issues[0]?.path[0] ?? '');
  if (field === 'title') return { field, message: draft.title.trim() === '' ? 'Give the evidence a title.' : 'The title is too long (200 characters at most).' };
  if (field === 'activityDate') return { field, message: 'Give the date of the activity.' };
  if (field === 'description') return { field, message: 'The description is too long (20,000 characters at most).' };
  return { field: 'form', message: 'Some fields are not filled in correctly.' };
}

const draftProblem = (draft: EvidenceDraft): string | null => findDraftProblem(draft)?.message ?? null;

export function autosaveReducer(state: AutosaveState, event: AutosaveEvent): AutosaveState {
  switch (event.type) {
    case 'edit': {
      if (state.status === 'conflict') return { ...state, draft: event.draft };
      const problem = draftProblem(event.draft);
      if (problem !== null) return { ...state, draft: event.draft, status: 'invalid', message: problem };
      const isSaved = sameDraft(event.draft, state.savedDraft) && state.sending === null;
      return { ...state, draft: event.draft, status: isSaved ? 'saved' : state.sending !== null ? 'saving' : 'dirty', message: null };
    }
    case 'send':
      return { ...state, sending: state.draft, status: 'saving', message: null };
    case 'saved': {
      const confirmed = toDraft(event.item);
      const isCurrent = sameDraft(state.draft, state.sending);
      return { ...state, itemId: event.item.id, baseVersion: event.item.version, savedDraft: confirmed, sending: null, status: isCurrent ? 'saved' : draftProblem(state.draft) === null ? 'dirty' : 'invalid', message: isCurrent ? null : draftProblem(state.draft) };
    }
    case 'failed':
      return { ...state, sending: null, status: 'failed', message: event.message };
    case 'conflict':
      return { ...state, sending: null, status: 'conflict', message: null, conflict: { current: event.current, conflictCopyId: event.conflictCopyId } };
    case 'keep-mine':
      // Saving over the newer copy on purpose: the server kept the other one as a conflict copy.
      if (state.conflict === null) return state;
      return { ...state, baseVersion: state.conflict.current.version, savedDraft: toDraft(state.conflict.current), conflict: null, status: 'dirty' };
    case 'take-theirs': {
      if (state.conflict === null) return state;
      const theirs = toDraft(state.conflict.current);
      return { ...state, baseVersion: state.conflict.current.version, draft: theirs, savedDraft: theirs, conflict: null, status: 'saved' };
    }
    case 'version':
      return state.baseVersion === null || event.version > state.baseVersion ? { ...state, baseVersion: event.version } : state;
  }
}

/** Whether the debounce timer should send now. */
export function shouldSend(state: AutosaveState): boolean {
  return state.status === 'dirty' && state.sending === null;
}

/** The words of the live region. */
export function saveStatusText(state: AutosaveState): string {
  switch (state.status) {
    case 'saved':
      return 'Saved';
    case 'dirty':
    case 'saving':
      return 'Saving…';
    case 'invalid':
      return `Not saved: ${state.message ?? 'check the form.'}`;
    case 'failed':
      return `Not saved: ${state.message ?? 'try again.'}`;
    case 'conflict':
      return 'Not saved: this item was changed elsewhere.';
  }
}

/** The request a save sends: create while there is no item yet, else update on the base version. */
export function toSaveRequest(state: AutosaveState): SaveRequest {
  if (state.itemId === null || state.baseVersion === null) {
    const route = apiRoutes.createEvidence;
    return { route, method: route.method, path: pathOf(route, {}), params: {}, body: state.draft };
  }
  const route = apiRoutes.updateEvidence;
  const params = { id: state.itemId };
  return { route, method: route.method, path: pathOf(route, params), params, body: { baseVersion: state.baseVersion, draft: state.draft } };
}

/** A save as a call through the route table; `method` and `path` say where it goes, for tests and logs. */
export type SaveRequest =
  | { route: typeof apiRoutes.createEvidence; method: 'POST'; path: string; params: Record<string, never>; body: EvidenceDraft }
  | { route: typeof apiRoutes.updateEvidence; method: 'PUT'; path: string; params: { id: string }; body: { baseVersion: number; draft: EvidenceDraft } };

/** A 409's details as the contract defines them, or null when the body carries none. */
export function readConflict(details: unknown): { current: EvidenceItem; conflictCopyId: string } | null {
  const parsed = EvidenceConflictDetailsSchema.safeParse(details);
  return parsed.success ? parsed.data : null;
}
