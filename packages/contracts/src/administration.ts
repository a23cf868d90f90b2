import { z } from 'zod';
import { safeText } from './safe-text.ts';

// The administration console (issue 14, decision 21): registered LMS platforms and their
// deployments, the people Attest makes administrators, and the quotas in force. Two kinds of
// administrator reach it: an LMS's own administrator (`platform`), who sees only the registration
// they launched from, and an Attest administrator (`attest`), who sees every registration.

export const AdministratorKindSchema = z.enum(['platform', 'attest']);
export type AdministratorKind = z.infer<typeof AdministratorKindSchema>;

/** A deployment a verified launch came from, waiting for an administrator to approve it. */
export const ConsolePendingDeploymentSchema = z.object({
  deploymentId: safeText(),
  contextTitle: safeText().nullable(),
  firstLaunchAt: safeText(),
  launches: z.number().int().positive(),
});

/** One LMS registration (issuer + client id) as the console shows it. */
export const ConsolePlatformSchema = z.object({
  id: safeText(),
  issuer: safeText(),
  clientId: safeText(),
  name: safeText().nullable(),
  isActive: z.boolean(),
  /** `dynamic`: came through /lti/register and, never activated, is pruned after a few days. */
  registeredVia: z.enum(['manual', 'dynamic']),
  deploymentIds: z.array(safeText()),
  pendingDeployments: z.array(ConsolePendingDeploymentSchema),
  frameOrigins: z.array(safeText()),
  createdAt: safeText(),
  activatedAt: safeText().nullable(),
});
export type ConsolePlatform = z.infer<typeof ConsolePlatformSchema>;

export const AttestAdministratorSchema = z.object({
  id: safeText(),
  issuer: safeText(),
  userId: safeText(),
  name: safeText().nullable(),
  grantedBy: safeText(),
  grantedAt: safeText(),
});
export type AttestAdministrator = z.infer<typeof AttestAdministratorSchema>;

/** The evidence limits every learner has in each course (EVIDENCE_QUOTA_MB, EVIDENCE_ITEM_CAP); set in the tool's configuration. */
export const ConsoleQuotasSchema = z.object({ evidenceBytesPerLearner: z.number().int().positive(), evidenceItemsPerLearner: z.number().int().positive() });

/** GET /api/admin/console: who is administering, and what they may manage. */
export const AdminConsoleSchema = z.object({
  administrator: z.object({ kind: AdministratorKindSchema, issuer: safeText(), userId: safeText(), name: safeText().nullable() }),
  platforms: z.array(ConsolePlatformSchema),
  /** Attest administrators only; null for an LMS's own administrator, who may not see them. */
  administrators: z.array(AttestAdministratorSchema).nullable(),
  quotas: ConsoleQuotasSchema,
});
export type AdminConsole = z.infer<typeof AdminConsoleSchema>;

export const PlatformActiveRequestSchema = z.strictObject({ isActive: z.boolean() });
export const PlatformNameRequestSchema = z.strictObject({ name: safeText().trim().min(1).max(200) });
export const ApproveDeploymentRequestSchema = z.strictObject({ deploymentId: safeText().trim().min(1).max(255) });
export const GrantAdministratorRequestSchema = z.strictObject({
  /** The LMS's issuer exactly as its launches send it (a URL). */
  issuer: safeText().trim().pipe(z.url({ protocol: /^https?$/ })),
  /** The person's LMS user id (the launch's `sub`), as the LMS sends it. */
  userId: safeText().trim().min(1).max(255),
  name: safeText().trim().min(1).max(200).nullable().default(null),
});
export type GrantAdministratorRequest = z.input<typeof GrantAdministratorRequestSchema>;
