import express from 'express';
import type { Request } from 'express';
import { apiRoutes, pathOf, textRefusalOf } from '@attest/contracts';
import type { FileStore } from '@attest/evidence-files';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import { routesOn } from '../http/register-route.ts';
import type { Authorise } from '../http/register-route.ts';
import { addEvidenceFile, DEFAULT_UPLOAD_POLICY } from './add-evidence-file.ts';
import type { UploadPolicy } from './add-evidence-file.ts';
import { changeEvidenceMappings } from './change-evidence-mappings.ts';
import { createEvidenceItem } from './create-evidence-item.ts';
import { deleteEvidenceFile } from './delete-evidence-file.ts';
import { getEvidenceFile } from '../portfolio/find-evidence-file.ts';
import { getEvidenceHistory } from './get-evidence-history.ts';
import { getEvidenceItem } from './get-evidence-item.ts';
import { getPortfolio } from './get-portfolio.ts';
import { DEFAULT_EVIDENCE_QUOTA } from './learner-quota.ts';
import type { EvidenceQuota } from './learner-quota.ts';
import { learnerScopeOf } from '../portfolio/learner-scope.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { serveEvidenceFile } from '../portfolio/serve-evidence-file.ts';
import { submitEvidenceItem } from './submit-evidence-item.ts';
import { createResumableUploadHandler } from './resumable-uploads.ts';
import type { Logger } from '../http/error-middleware.ts';
import { updateEvidenceDraft } from './update-evidence-draft.ts';

export interface EvidenceRouterDeps {
  readonly db: Database;
  readonly catalogue: CatalogueSource;
  /** Absent only in apps built for tests of other routes; file routes then fail loudly. */
  readonly fileStore?: FileStore | undefined;
  readonly uploadPolicy?: UploadPolicy;
  /** Each learner's storage and item limits in a course; defaults to DEFAULT_EVIDENCE_QUOTA. */
  readonly quota?: EvidenceQuota | undefined;
  /** Today's calendar date (YYYY-MM-DD), the verdict's `asOf`; the clock is read here, at the edge. */
  readonly today?: () => string;
  /** Parse every JSON reply with its route's response schema (development and tests). */
  readonly checkResponses?: boolean | undefined;
  /** Where the resumable uploads' unexpected errors are logged (tus answers them itself). */
  readonly log?: Logger | undefined;
}

const utcToday = () => new Date().toISOString().slice(0, 10);

/** A learner's launch that names a unit: the portfolio and the assessment are of that unit. */
const learnerOnUnit: Authorise<{ scope: LearnerScope; unitId: string }> = (launch) => {
  const scope = learnerScopeOf(launch);
  if (launch.unitId === null) throw new AppError('not_found', 'This activity does not name a unit, so there is no portfolio to show. Ask your tutor to place it again.');
  return { scope, unitId: launch.unitId };
};

/**
 * The learner's portfolio routes, registered from the contracts' table behind `authenticate`.
 * Every route is for the launching learner only (learnerScopeOf: 403 otherwise), within their
 * tenant and course; JSON bodies are parsed per route, so the upload's raw body streams untouched.
 */
export function createEvidenceRouter(deps: EvidenceRouterDeps): express.Router {
  const router = express.Router();
  const route = routesOn(router, { checkResponses: deps.checkResponses ?? false });
  const today = deps.today ?? utcToday;
  const quota = deps.quota ?? DEFAULT_EVIDENCE_QUOTA;
  const fileStore = (): FileStore => {
    if (!deps.fileStore) throw new AppError('internal', 'Files cannot be stored on this server.', { logMessage: 'createApp was given no fileStore' });
    return deps.fileStore;
  };

  route(apiRoutes.getPortfolio, learnerOnUnit, async ({ scope: { scope, unitId } }) => getPortfolio(deps.db, deps.catalogue, scope, unitId, today(), quota));

  route(apiRoutes.createEvidence, learnerScopeOf, async ({ scope, body, res }) => {
    const item = await createEvidenceItem(deps.db, scope, body, quota);
    res.location(pathOf(apiRoutes.getEvidence, { id: item.id }));
    return item;
  });

  route(apiRoutes.getEvidence, learnerScopeOf, async ({ scope, params }) => getEvidenceItem(deps.db, scope, params.id));

  route(apiRoutes.updateEvidence, learnerScopeOf, async ({ scope, params, body }) => updateEvidenceDraft(deps.db, scope, params.id, body));

  route(apiRoutes.updateEvidenceMappings, learnerScopeOf, async ({ launch, scope, params, body }) => changeEvidenceMappings(deps.db, deps.catalogue, launch, scope, params.id, body));

  route(apiRoutes.submitEvidence, learnerScopeOf, async ({ scope, params, body }) => submitEvidenceItem(deps.db, scope, params.id, body));

  route(apiRoutes.getEvidenceHistory, learnerScopeOf, async ({ scope, params }) => getEvidenceHistory(deps.db, scope, params.id));

  route(apiRoutes.addEvidenceFile, learnerScopeOf, async ({ scope, params, req }) => {
    const upload = { source: req, fileName: fileNameOf(req), declaredMimeType: req.get('content-type'), declaredBytes: declaredBytesOf(req) };
    return addEvidenceFile(deps.db, fileStore(), scope, params.id, upload, deps.uploadPolicy ?? DEFAULT_UPLOAD_POLICY, quota);
  });

  // The learner's own file: always a download, never rendered here.
  route(apiRoutes.getEvidenceFile, learnerScopeOf, async ({ scope, params, res }) => {
    const file = await getEvidenceFile(deps.db, scope, params.id, params.fileId);
    await serveEvidenceFile(res, fileStore(), file, 'download');
  });

  // Resumable uploads (tus): the same checks as addEvidenceFile, in pieces a dropped connection does not lose.
  if (deps.fileStore) {
    const resumable = createResumableUploadHandler({ db: deps.db, fileStore: deps.fileStore, policy: deps.uploadPolicy, quota, log: deps.log });
    router.all(['/uploads', '/uploads/:uploadId'], resumable);
  }

  route(apiRoutes.deleteEvidenceFile, learnerScopeOf, async ({ scope, params }) => deleteEvidenceFile(deps.db, fileStore(), scope, params.id, params.fileId));

  return router;
}

/** The X-File-Name header, percent-encoded by the client because headers cannot carry arbitrary text. */
function fileNameOf(req: Request): string {
  const raw = req.get('x-file-name');
  if (raw === undefined || raw.trim() === '') throw new AppError('invalid_request', 'The upload has no file name. Send it percent-encoded in the X-File-Name header.');
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    // Also a lone surrogate: its percent-encoding (%ED%A0%80) is not UTF-8.
    throw new AppError('invalid_request', 'The file name is not correctly percent-encoded in the X-File-Name header.', { details: [{ path: 'X-File-Name', code: 'text_not_valid_utf8' }] });
  }
  const refusal = textRefusalOf(name);
  if (refusal) throw new AppError('invalid_request', 'The file name contains characters that cannot be stored.', { details: [{ path: 'X-File-Name', code: refusal }] });
  return name;
}

/** Content-Length as a number, or undefined when absent or not a plain count (chunked bodies). */
function declaredBytesOf(req: Request): number | undefined {
  const header = req.get('content-length');
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}
