import express from 'express';
import type { Request, Response } from 'express';
import { CreateEvidenceRequestSchema, SubmitEvidenceRequestSchema, textRefusalOf, UpdateEvidenceRequestSchema, UpdateMappingsRequestSchema } from '@attest/contracts';
import type { FileStore } from '@attest/evidence-files';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import { launchOf } from '../http/launch-of.ts';
import { parseBody } from '../http/parse-body.ts';
import { addEvidenceFile, DEFAULT_UPLOAD_POLICY } from './add-evidence-file.ts';
import type { UploadPolicy } from './add-evidence-file.ts';
import { createMappingTargetCheck } from '../portfolio/check-mapping-targets.ts';
import { createEvidenceItem } from './create-evidence-item.ts';
import { deleteEvidenceFile } from './delete-evidence-file.ts';
import { getEvidenceFile } from '../portfolio/find-evidence-file.ts';
import { findCourseUnitIds } from '../portfolio/find-course-units.ts';
import { getEvidenceHistory } from './get-evidence-history.ts';
import { getPortfolio } from './get-portfolio.ts';
import { DEFAULT_EVIDENCE_QUOTA } from './learner-quota.ts';
import type { EvidenceQuota } from './learner-quota.ts';
import { isUuid, learnerScopeOf } from '../portfolio/learner-scope.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { loadEvidenceItems } from '../portfolio/load-evidence-items.ts';
import { notFoundMessage } from './lock-evidence-item.ts';
import { serveEvidenceFile } from '../portfolio/serve-evidence-file.ts';
import { submitEvidenceItem } from './submit-evidence-item.ts';
import { updateEvidenceDraft } from './update-evidence-draft.ts';
import { updateEvidenceMappings } from './update-evidence-mappings.ts';

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
}

const utcToday = () => new Date().toISOString().slice(0, 10);

/**
 * The learner's portfolio routes, mounted behind `authenticate` and before the API's JSON parser
 * (uploads are raw bodies; the JSON routes parse their own). Every route is for the launching
 * learner only, within their tenant and course.
 */
export function createEvidenceRouter(deps: EvidenceRouterDeps): express.Router {
  const router = express.Router();
  const json = express.json({ limit: '100kb' });
  const today = deps.today ?? utcToday;
  const quota = deps.quota ?? DEFAULT_EVIDENCE_QUOTA;
  const scopeOf = (res: Response) => learnerScopeOf(launchOf(res));
  const idOf = (req: Request, name = 'id') => String(req.params[name] ?? '');
  const fileStore = (): FileStore => {
    if (!deps.fileStore) throw new AppError('internal', 'Files cannot be stored on this server.', { logMessage: 'createApp was given no fileStore' });
    return deps.fileStore;
  };

  router.get('/portfolio', async (_req, res) => {
    const launch = launchOf(res);
    const scope = learnerScopeOf(launch);
    if (launch.unitId === null) throw new AppError('not_found', 'This activity does not name a unit, so there is no portfolio to show. Ask your tutor to place it again.');
    res.json(await getPortfolio(deps.db, deps.catalogue, scope, launch.unitId, today(), quota));
  });

  router.post('/evidence', json, async (req, res) => {
    const scope = scopeOf(res);
    const item = await createEvidenceItem(deps.db, scope, parseBody(CreateEvidenceRequestSchema, req.body), quota);
    res.status(201).location(`/api/evidence/${item.id}`).json(item);
  });

  router.get('/evidence/:id', async (req, res) => {
    const [item] = await loadEvidenceItemOrNull(deps.db, scopeOf(res), idOf(req));
    if (!item) throw new AppError('not_found', notFoundMessage);
    res.json(item);
  });

  router.put('/evidence/:id', json, async (req, res) => {
    const scope = scopeOf(res);
    res.json(await updateEvidenceDraft(deps.db, scope, idOf(req), parseBody(UpdateEvidenceRequestSchema, req.body)));
  });

  router.put('/evidence/:id/mappings', json, async (req, res) => {
    const scope = scopeOf(res);
    const request = parseBody(UpdateMappingsRequestSchema, req.body);
    const check = createMappingTargetCheck(deps.catalogue, await courseUnitsOf(res));
    res.json(await updateEvidenceMappings(deps.db, scope, idOf(req), request, check));
  });

  router.post('/evidence/:id/submit', json, async (req, res) => {
    const scope = scopeOf(res);
    res.json(await submitEvidenceItem(deps.db, scope, idOf(req), parseBody(SubmitEvidenceRequestSchema, req.body)));
  });

  router.get('/evidence/:id/history', async (req, res) => {
    res.json(await getEvidenceHistory(deps.db, scopeOf(res), idOf(req)));
  });

  router.post('/evidence/:id/files', async (req, res) => {
    try {
      const scope = scopeOf(res);
      const upload = { source: req, fileName: fileNameOf(req), declaredMimeType: req.get('content-type'), declaredBytes: declaredBytesOf(req) };
      const item = await addEvidenceFile(deps.db, fileStore(), scope, idOf(req), upload, deps.uploadPolicy ?? DEFAULT_UPLOAD_POLICY, quota);
      res.status(201).json(item);
    } catch (error) {
      // Refused before or while reading the body: closing the connection stops the client sending the rest.
      if (!req.complete) res.set('connection', 'close');
      throw error;
    }
  });

  // The learner's own file: always a download, never rendered here.
  router.get('/evidence/:id/files/:fileId', async (req, res) => {
    const file = await getEvidenceFile(deps.db, scopeOf(res), idOf(req), idOf(req, 'fileId'));
    await serveEvidenceFile(res, fileStore(), file, 'download');
  });

  router.delete('/evidence/:id/files/:fileId', async (req, res) => {
    res.json(await deleteEvidenceFile(deps.db, fileStore(), scopeOf(res), idOf(req), idOf(req, 'fileId')));
  });

  async function courseUnitsOf(res: Response): Promise<Set<string>> {
    const launch = launchOf(res);
    const units = await findCourseUnitIds(deps.db, learnerScopeOf(launch));
    if (launch.unitId !== null) units.add(launch.unitId);
    return units;
  }

  return router;
}

function loadEvidenceItemOrNull(db: Database, scope: LearnerScope, id: string) {
  return isUuid(id) ? loadEvidenceItems(db, scope, [id]) : Promise.resolve([]);
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
