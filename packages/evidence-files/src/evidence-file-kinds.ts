import type { AcceptedFileType } from './file-types.ts';

// The kinds of evidence a learner can attach files to (the evidence types). Each has its
// own allow-list: a photo must be an image, a recording audio or video; work products may be
// anything a workplace produces.
export const EVIDENCE_FILE_KINDS = ['document', 'photo', 'recording', 'work-product', 'personal-statement', 'witness-statement'] as const;
export type EvidenceFileKind = (typeof EVIDENCE_FILE_KINDS)[number];

const images: readonly AcceptedFileType[] = ['jpeg', 'png', 'heic', 'webp', 'gif'];
const audio: readonly AcceptedFileType[] = ['mp3', 'm4a', 'wav', 'ogg', 'webm'];
const video: readonly AcceptedFileType[] = ['mp4', 'mov', 'webm'];
const writing: readonly AcceptedFileType[] = ['pdf', 'docx', 'odt', 'text'];
const office: readonly AcceptedFileType[] = ['xlsx', 'pptx'];

const unique = (...lists: readonly (readonly AcceptedFileType[])[]): readonly AcceptedFileType[] => [...new Set(lists.flat())];

export const EVIDENCE_FILE_KIND_RULES: Readonly<Record<EvidenceFileKind, { readonly label: string; readonly allowedTypes: readonly AcceptedFileType[]; readonly defaultMaxBytes: number }>> = {
  // Scans and phone photos of paper documents are documents too.
  document: { label: 'a document', allowedTypes: unique(writing, office, ['jpeg', 'png', 'heic']), defaultMaxBytes: 25 * 1024 * 1024 },
  photo: { label: 'a photo', allowedTypes: images, defaultMaxBytes: 25 * 1024 * 1024 },
  recording: { label: 'an audio or video recording', allowedTypes: unique(audio, video), defaultMaxBytes: 500 * 1024 * 1024 },
  'work-product': { label: 'a work product', allowedTypes: unique(writing, office, images, audio, video), defaultMaxBytes: 500 * 1024 * 1024 },
  // Reflective accounts are often spoken rather than written.
  'personal-statement': { label: 'a personal statement', allowedTypes: unique(writing, audio), defaultMaxBytes: 100 * 1024 * 1024 },
  // A witness often signs a paper statement that the learner photographs or scans.
  'witness-statement': { label: 'a witness statement', allowedTypes: unique(writing, ['jpeg', 'png', 'heic']), defaultMaxBytes: 25 * 1024 * 1024 },
};
