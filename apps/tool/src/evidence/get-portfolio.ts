import type { Portfolio } from '@attest/contracts';
import { assessLearnerUnit } from '../portfolio/assess-learner-unit.ts';
import { findSignedUnits } from '../portfolio/signed-off-guard.ts';
import { stageOf } from '../portfolio/load-unit-signatures.ts';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import { findCourseUnitIds } from '../portfolio/find-course-units.ts';
import { DEFAULT_EVIDENCE_QUOTA, findStorageUsage } from './learner-quota.ts';
import type { EvidenceQuota } from './learner-quota.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { loadUnitFeedback } from '../portfolio/load-evidence-items.ts';

/**
 * The learner's portfolio for the launched unit: every item they keep in this course, the units
 * of the course they may map to, and the engine's verdict over the items mapped to this unit as of
 * `asOf` (the server's verdict is the authoritative one; the browser's is a preview).
 */
export async function getPortfolio(db: Database, catalogue: CatalogueSource, scope: LearnerScope, unitId: string, asOf: string, quota: EvidenceQuota = DEFAULT_EVIDENCE_QUOTA): Promise<Portfolio> {
  const unit = await catalogue.findUnit(unitId);
  if (!unit) throw new AppError('not_found', 'The unit this activity assesses is not in Attest’s catalogue. Ask your tutor to place it again.');
  // The same evaluation the assessor's screens and the sign-off gate read, so learner and assessor never see different verdicts or steps.
  const [{ evidence: records, verdict, unitSignatures, nextSteps }, courseUnitIds, unitFeedback, signedUnits, usage] = await Promise.all([
    assessLearnerUnit(db, unit, scope, asOf),
    findCourseUnitIds(db, scope),
    loadUnitFeedback(db, scope, unitId),
    findSignedUnits(db, scope),
    findStorageUsage(db, scope, quota),
  ]);
  courseUnitIds.add(unitId);
  const units = [];
  for (const id of courseUnitIds) {
    const courseUnit = id === unitId ? unit : await catalogue.findUnit(id);
    if (courseUnit) units.push({ unitId: courseUnit.id, title: courseUnit.title, codes: [...courseUnit.codes] });
  }
  // The launched unit first, then the others in catalogue code order, so the list does not shuffle.
  units.sort((a, b) => (a.unitId === unitId ? -1 : b.unitId === unitId ? 1 : a.codes.join('/').localeCompare(b.codes.join('/'), 'en', { numeric: true })));

  // Signed off means complete: an assessor marked not yet qualified needs a countersignature first.
  const assessorSignature = stageOf(unitSignatures) === 'completed' ? unitSignatures.get('assessor') : undefined;
  return {
    unitId,
    units,
    items: records.map((record) => record.item),
    verdict,
    // The calendar date the engine's facts carry for the same signature (assessment/unit-signatures.ts).
    signedOff: assessorSignature ? { at: assessorSignature.signedAt.toISOString().slice(0, 10), byName: assessorSignature.signerName } : null,
    signedUnits: [...signedUnits].map(([id, label]) => ({ unitId: id, label })),
    unitFeedback,
    nextStep: nextSteps.learner,
    usage,
  };
}
