import type { GradeStatus } from '@attest/contracts';
import { formatDate } from '../portfolio/feedback-list.tsx';

export type GradeTone = 'neutral' | 'pending' | 'success' | 'error';

/** Where the learner's grade stands in the LMS gradebook, in words an assessor can act on. */
export function describeGradeStatus(grade: GradeStatus): { tone: GradeTone; text: string } {
  switch (grade.state) {
    case 'none':
      return { tone: 'neutral', text: 'Gradebook: nothing sent yet' };
    case 'pending':
      return { tone: 'pending', text: grade.attempts > 1 ? `Gradebook: pending, retrying (attempt ${grade.attempts})${grade.lastError === null ? '' : `; last answer: ${grade.lastError}`}` : 'Gradebook: pending, being sent' };
    case 'sent': {
      const sent = `Gradebook: sent${grade.gradingProgress === 'FullyGraded' ? ', unit completed' : grade.gradingProgress === null ? '' : ` (${grade.gradingProgress})`}${grade.updatedAt === null ? '' : ` on ${formatDate(grade.updatedAt)}`}`;
      // Canvas keeps a grade a tutor entered in SpeedGrader: Attest's score does not replace it.
      if (grade.keptGraderScore === undefined || grade.keptGraderScore === null) return { tone: 'success', text: sent };
      return { tone: 'success', text: `${sent}; the gradebook keeps the tutor’s own grade (${Number(grade.keptGraderScore.toFixed(2))} of 100)` };
    }
    case 'failed':
      return { tone: 'error', text: `Gradebook: failed${grade.lastError === null ? '' : ` (${grade.lastError})`}` };
  }
}
