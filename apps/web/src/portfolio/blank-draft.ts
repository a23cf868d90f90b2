import type { EvidenceDraft } from '@attest/contracts';

/** A new item's fields before the learner types: a work product done in a real job, dated today. */
export function blankDraft(today: string): EvidenceDraft {
  return { title: '', description: '', evidenceType: 'work-product', activityDate: today, customerRef: null, occasionRef: null, workSetting: 'real-job' };
}
