import { describe, expect, it } from 'vitest';
import { blankDraft, draftForFirstFile } from '../src/portfolio/evidence-editor.tsx';

// Issue 12: a new item is saved by its first file, so nothing waits for a title.
describe('what a new item is saved as when a file comes first', () => {
  const blank = blankDraft('2026-12-04');

  it('is titled after the file, without its extension, and is a photo when the file is an image', () => {
    expect(draftForFirstFile(blank, { name: 'till-display.png', type: 'image/png' })).toEqual({ title: 'till-display', evidenceType: 'photo' });
  });

  it('is a recording for audio or video, and keeps the default kind for anything else', () => {
    expect(draftForFirstFile(blank, { name: 'discussion.m4a', type: 'audio/mp4' })).toMatchObject({ evidenceType: 'recording' });
    expect(draftForFirstFile(blank, { name: 'rota.pdf', type: 'application/pdf' })).toEqual({ title: 'rota' });
  });

  it('keeps what the learner already chose: their title and their kind', () => {
    expect(draftForFirstFile({ ...blank, title: 'Returns desk', evidenceType: 'document' }, { name: 'scan.jpg', type: 'image/jpeg' })).toEqual({});
  });

  it('never saves an empty title: a file named only by its extension is "Untitled evidence"', () => {
    expect(draftForFirstFile(blank, { name: '.png', type: 'image/png' })).toMatchObject({ title: 'Untitled evidence' });
  });
});
