import type { AuditActor } from './append-audit-entry.ts';

/** A learner acting in their own portfolio. */
export function learnerActor(learner: { readonly learnerUserId: string }, name: string | null = null): AuditActor {
  return { type: 'user', userId: learner.learnerUserId, role: 'learner', name };
}

/** An assessor (an Instructor launch), or an administrator acting as one. */
export function assessorActor(assessor: { readonly userId: string; readonly userName: string | null; readonly isAdministrator: boolean }): AuditActor {
  return { type: 'user', userId: assessor.userId, role: assessor.isAdministrator ? 'administrator' : 'assessor', name: assessor.userName };
}

/** The tool itself, doing what `role` names (the score worker, Dynamic Registration). */
export function systemActor(role: string): AuditActor {
  return { type: 'system', role };
}

/** An administrator at the tool's command line (src/cli). */
export const CLI_ACTOR: AuditActor = { type: 'cli', role: 'administrator' };
