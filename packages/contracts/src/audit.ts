import { z } from 'zod';
import { safeText } from './safe-text.ts';

/**
 * Every kind of state change the audit trail records (issue 8, item 11). One closed list: the
 * server refuses to append anything else, and the UI has a plain-words phrase for each, so a new
 * act is added here first and the compiler shows every place that must learn it.
 */
export const AUDIT_ACTIONS = [
  'evidence.created',
  'evidence.saved',
  'evidence.submitted',
  'evidence.reopened',
  'evidence.file-added',
  'evidence.file-removed',
  'evidence.mappings-changed',
  'evidence.judged',
  'feedback.added',
  'record.created',
  'record.saved',
  'record.signed',
  'action-plan.saved',
  'report.saved',
  'unit.declared',
  'unit.signed-off',
  'unit.countersigned',
  'unit.reopened',
  'score.queued',
  'score.sent',
  'score.failed',
  'score.resync_requested',
  'platform.registered',
  'platform.activated',
  'platform.deactivated',
  'platform.deployment-added',
  'platform.removed',
  'platform.renamed',
  'assessor.qualification-changed',
  'administrator.granted',
  'administrator.revoked',
] as const;
export const AuditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditActionSchema>;

/** Who did it: an LMS user (by their role in the launch), the tool itself (the job worker), or the command line. */
export const AuditActorTypeSchema = z.enum(['user', 'system', 'cli']);
export type AuditActorType = z.infer<typeof AuditActorTypeSchema>;

/** One entry of a learner's history as an assessor reads it (GET /api/assessor/learners/:userId/history). */
export const HistoryEntrySchema = z.object({
  sequence: z.number().int().positive(),
  action: AuditActionSchema,
  actor: z.object({
    type: AuditActorTypeSchema,
    userId: safeText().nullable(),
    /** The roster's name when the user is on it, else the name recorded with the entry. */
    name: safeText().nullable(),
    role: safeText().nullable(),
  }),
  subject: z.object({ type: safeText(), id: safeText(), label: safeText().nullable() }),
  recordedAt: safeText(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** Oldest first: the learner's unit and the evidence they keep in the course. */
export const LearnerHistorySchema = z.object({ learnerUserId: safeText(), unitId: safeText(), entries: z.array(HistoryEntrySchema) });
export type LearnerHistory = z.infer<typeof LearnerHistorySchema>;
