import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Portfolio } from '@attest/contracts';
import { evaluateUnit } from '@attest/standards';
import type { Signature, SignOffRole } from '@attest/standards';
import { loadAssessorFactsSources } from '../assessment/load-assessor-records.ts';
import { loadUnitSignatures, stageOf } from '../assessment/unit-signatures.ts';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import type { Database } from '../db/index.ts';
import { evidenceFeedback, unitSignOffs } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import { findCourseUnitIds } from './find-course-units.ts';
import type { LearnerScope } from './learner-scope.ts';
import { loadEvidenceRecords, toFeedback } from './load-evidence-items.ts';
import { toPortfolioFacts } from './to-portfolio-facts.ts';

/**
 * The learner's portfolio for the launched unit: every item they keep in this course, the units
 * of the course they may map to, and the engine's verdict over the items mapped to this unit as of
 * `asOf` (the server's verdict is the authoritative one; the browser's is a preview).
 */
export async function getPortfolio(db: Database, catalogue: CatalogueSource, scope: LearnerScope, unitId: string, asOf: string): Promise<Portfolio> {
  const unit = await catalogue.findUnit(unitId);
  if (!unit) throw new AppError('not_found', 'The unit this activity assesses is not in Attest’s catalogue. Ask your tutor to place it again.');
  const forLearnerUnit = and(
    eq(unitSignOffs.issuer, scope.issuer),
    eq(unitSignOffs.clientId, scope.clientId),
    eq(unitSignOffs.deploymentId, scope.deploymentId),
    eq(unitSignOffs.contextId, scope.contextId),
    eq(unitSignOffs.learnerUserId, scope.learnerUserId),
    eq(unitSignOffs.unitId, unitId),
  );
  const [records, assessorSources, unitSignatures, courseUnitIds, signOffRows, unitFeedbackRows] = await Promise.all([
    loadEvidenceRecords(db, scope),
    // The assessor's signed observations, questioning and testimony count towards the learner's verdict too.
    loadAssessorFactsSources(db, scope),
    loadUnitSignatures(db, scope, unitId),
    findCourseUnitIds(db, scope),
    db.select().from(unitSignOffs).where(forLearnerUnit),
    db
      .select()
      .from(evidenceFeedback)
      .where(
        and(
          eq(evidenceFeedback.issuer, scope.issuer),
          eq(evidenceFeedback.clientId, scope.clientId),
          eq(evidenceFeedback.deploymentId, scope.deploymentId),
          eq(evidenceFeedback.contextId, scope.contextId),
          eq(evidenceFeedback.learnerUserId, scope.learnerUserId),
          inArray(evidenceFeedback.unitId, [unitId]),
        ),
      )
      .orderBy(asc(evidenceFeedback.createdAt)),
  ]);
  courseUnitIds.add(unitId);
  const units = [];
  for (const id of courseUnitIds) {
    const courseUnit = id === unitId ? unit : await catalogue.findUnit(id);
    if (courseUnit) units.push({ unitId: courseUnit.id, title: courseUnit.title, codes: [...courseUnit.codes] });
  }
  // The launched unit first, then the others in catalogue code order, so the list does not shuffle.
  units.sort((a, b) => (a.unitId === unitId ? -1 : b.unitId === unitId ? 1 : a.codes.join('/').localeCompare(b.codes.join('/'), 'en', { numeric: true })));

  const signatures: Signature[] = signOffRows.map((row) => ({ role: row.role as SignOffRole, signerId: row.signerUserId, date: row.signedOn }));
  const facts = toPortfolioFacts(
    unitId,
    [...records.map((record) => ({ ...record.item, authorUserId: record.authorUserId, authorRole: record.authorRole })), ...assessorSources],
    signatures,
  );
  const verdict = evaluateUnit(unit, facts, { asOf });
  // Signed off means complete: an assessor marked not yet qualified needs a countersignature first.
  const assessorSignature = stageOf(unitSignatures) === 'completed' ? signOffRows.find((row) => row.role === 'assessor') : undefined;
  return {
    unitId,
    units,
    items: records.map((record) => record.item),
    verdict,
    signedOff: assessorSignature ? { at: assessorSignature.signedOn, byName: assessorSignature.signerName } : null,
    unitFeedback: unitFeedbackRows.map(toFeedback),
  };
}
