import { describe, expect, it } from 'vitest';
import { UpdateEvidenceRequestSchema, CreateEvidenceRequestSchema } from '@attest/contracts';
import { autosaveReducer, findDraftProblem, readConflict, saveStatusText, shouldSend, startAutosave, toSaveRequest, type AutosaveState } from '../src/portfolio/autosave-machine.ts';
import { blankDraft } from '../src/portfolio/evidence-editor.tsx';
import { makeItem } from './portfolio-factories.ts';

const item = makeItem({ id: 'ev-1', title: 'Call log', version: 3 });
const draft = (title: string) => ({ ...startAutosave(item, blankDraft('2026-05-20')).draft, title });

function run(state: AutosaveState, ...events: Parameters<typeof autosaveReducer>[1][]): AutosaveState {
  return events.reduce(autosaveReducer, state);
}

describe('autosave', () => {
  it('starts saved for an existing item and saves an edit on the version it was based on', () => {
    const start = startAutosave(item, blankDraft('2026-05-20'));
    expect(saveStatusText(start)).toBe('Saved');
    const edited = run(start, { type: 'edit', draft: draft('Call log, Monday') });
    expect(shouldSend(edited)).toBe(true);
    expect(saveStatusText(edited)).toBe('Saving…');
    const request = toSaveRequest(edited);
    expect(request).toMatchObject({ method: 'PUT', path: '/api/evidence/ev-1' });
    expect(UpdateEvidenceRequestSchema.parse(request.body)).toMatchObject({ baseVersion: 3, draft: { title: 'Call log, Monday' } });
  });

  it('takes the new version from the server’s reply, so the next save is based on it', () => {
    const saved = run(startAutosave(item, blankDraft('2026-05-20')), { type: 'edit', draft: draft('A') }, { type: 'send' }, { type: 'saved', item: { ...item, title: 'A', version: 4 } });
    expect(saved.status).toBe('saved');
    expect(saved.baseVersion).toBe(4);
  });

  it('stays unsaved when the learner typed on while a save was in flight', () => {
    const state = run(startAutosave(item, blankDraft('2026-05-20')), { type: 'edit', draft: draft('A') }, { type: 'send' }, { type: 'edit', draft: draft('AB') }, { type: 'saved', item: { ...item, title: 'A', version: 4 } });
    expect(state.status).toBe('dirty');
    expect(state.draft.title).toBe('AB');
    expect(shouldSend(state)).toBe(true);
  });

  it('does not send a second save while one is in flight', () => {
    const state = run(startAutosave(item, blankDraft('2026-05-20')), { type: 'edit', draft: draft('A') }, { type: 'send' }, { type: 'edit', draft: draft('AB') });
    expect(shouldSend(state)).toBe(false);
  });

  it('creates a new item with its first valid save and says why an empty form is not saved', () => {
    const start = startAutosave(null, blankDraft('2026-05-20'));
    expect(shouldSend(start)).toBe(false);
    expect(saveStatusText(start)).toBe('Not saved: Give the evidence a title.');
    const titled = run(start, { type: 'edit', draft: { ...start.draft, title: 'Complaint call' } });
    const request = toSaveRequest(titled);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/evidence');
    expect(CreateEvidenceRequestSchema.parse(request.body).title).toBe('Complaint call');
  });

  it('keeps the learner’s text and says "Not saved" when a save fails', () => {
    const state = run(startAutosave(item, blankDraft('2026-05-20')), { type: 'edit', draft: draft('Mine') }, { type: 'send' }, { type: 'failed', message: 'Attest could not be reached.' });
    expect(state.draft.title).toBe('Mine');
    expect(saveStatusText(state)).toBe('Not saved: Attest could not be reached.');
  });

  it('on a conflict keeps the learner’s text and holds the server’s copy until the learner chooses', () => {
    const theirs = { ...item, title: 'Theirs', version: 5 };
    const conflicted = run(startAutosave(item, blankDraft('2026-05-20')), { type: 'edit', draft: draft('Mine') }, { type: 'send' }, { type: 'conflict', current: theirs, conflictCopyId: 'copy-1' });
    expect(conflicted.draft.title).toBe('Mine');
    expect(conflicted.conflict?.current.title).toBe('Theirs');
    expect(shouldSend(conflicted)).toBe(false);
    expect(saveStatusText(conflicted)).toBe('Not saved: this item was changed elsewhere.');
    const typedOn = run(conflicted, { type: 'edit', draft: draft('Mine, more') });
    expect(typedOn.status).toBe('conflict');
    expect(shouldSend(typedOn)).toBe(false);
  });

  it('saves the learner’s version over the newer copy only when they choose to keep theirs', () => {
    const theirs = { ...item, title: 'Theirs', version: 5 };
    const kept = run(startAutosave(item, blankDraft('2026-05-20')), { type: 'edit', draft: draft('Mine') }, { type: 'send' }, { type: 'conflict', current: theirs, conflictCopyId: 'copy-1' }, { type: 'keep-mine' });
    expect(shouldSend(kept)).toBe(true);
    expect(toSaveRequest(kept).body).toMatchObject({ baseVersion: 5, draft: { title: 'Mine' } });
  });

  it('takes the server’s copy when the learner chooses it', () => {
    const theirs = { ...item, title: 'Theirs', version: 5 };
    const taken = run(startAutosave(item, blankDraft('2026-05-20')), { type: 'edit', draft: draft('Mine') }, { type: 'send' }, { type: 'conflict', current: theirs, conflictCopyId: 'copy-1' }, { type: 'take-theirs' });
    expect(taken.draft.title).toBe('Theirs');
    expect(taken.status).toBe('saved');
    expect(taken.baseVersion).toBe(5);
  });

  it('moves to a newer version written by another part of the page, never back to an older one', () => {
    const start = startAutosave(item, blankDraft('2026-05-20'));
    expect(run(start, { type: 'version', version: 7 }).baseVersion).toBe(7);
    expect(run(start, { type: 'version', version: 2 }).baseVersion).toBe(3);
  });

  it('refuses to send a draft the server would reject, and says what to fix', () => {
    const state = run(startAutosave(item, blankDraft('2026-05-20')), { type: 'edit', draft: { ...draft('x'), activityDate: '' } });
    expect(shouldSend(state)).toBe(false);
    expect(saveStatusText(state)).toBe('Not saved: Give the date of the activity.');
  });
});

describe('findDraftProblem', () => {
  it('names the field at fault, so the form can mark that field', () => {
    const base = startAutosave(item, blankDraft('2026-05-20')).draft;
    expect(findDraftProblem({ ...base, title: '  ' })).toEqual({ field: 'title', message: 'Give the evidence a title.' });
    expect(findDraftProblem({ ...base, title: 'x'.repeat(201) })?.message).toBe('The title is too long (200 characters at most).');
    expect(findDraftProblem({ ...base, title: 'x'.repeat(200) })).toBeNull();
    expect(findDraftProblem({ ...base, activityDate: '2026-02-30' })?.field).toBe('activityDate');
  });
});

describe('readConflict', () => {
  it('reads the server’s copy from a 409’s details and ignores details of another shape', () => {
    expect(readConflict({ current: item, conflictCopyId: 'c-1' })?.conflictCopyId).toBe('c-1');
    expect(readConflict({ current: { title: 'x' } })).toBeNull();
    expect(readConflict(undefined)).toBeNull();
  });
});
