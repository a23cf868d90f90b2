import { z } from 'zod';
import { safeText } from './safe-text.ts';

/** AGS §3.4 activityProgress / gradingProgress values. */
export const ActivityProgressSchema = z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']);
export const GradingProgressSchema = z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']);

/** POST /api/scores — an instructor sends a learner's score to the launch's line item. */
export const ScoreRequestSchema = z.object({
  learnerUserId: safeText().min(1),
  scoreGiven: z.number().min(0).optional(),
  activityProgress: ActivityProgressSchema,
  gradingProgress: GradingProgressSchema,
  comment: safeText().max(1000).optional(),
});
export type ScoreRequest = z.infer<typeof ScoreRequestSchema>;

/** Where a score stands on its way to the LMS gradebook. */
export const PassbackStatusSchema = z.object({
  id: safeText(),
  state: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int(),
  lastError: safeText().nullable(),
});
export type PassbackStatus = z.infer<typeof PassbackStatusSchema>;
