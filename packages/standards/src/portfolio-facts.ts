import type { PortfolioFactsInput, Signature } from './portfolio-facts-schema.ts';
import type { AssessmentMethodCode } from './vocabularies.ts';

/**
 * What the engine needs of one stored item, whoever recorded it: the learner's own work, or an
 * assessor's record (observation, questioning, witness testimony) as the tool turns it into one.
 */
export interface EvidenceFactsSource {
  readonly id: string;
  readonly method: string;
  readonly authorUserId: string;
  readonly authorRole: 'candidate' | 'assessor' | 'witness' | 'expert-witness';
  /** Seed 004's witness status category, for testimony an assessor records from a witness. */
  readonly witnessStatus?: 1 | 2 | 3 | 4 | 5;
  readonly activityDate: string;
  readonly customerRef: string | null;
  readonly occasionRef: string | null;
  readonly workSetting: 'real-job' | 'rwe' | 'simulation';
  readonly mappings: readonly { readonly unitId: string; readonly target: 'statement' | 'scope-item' | 'evidence-requirement'; readonly ref: string; readonly decision: 'pending' | 'accepted' | 'referred' }[];
}

/**
 * The one place stored evidence becomes the engine's facts for a unit, used by the tool server's
 * verdict and by the browser's preview alike, so the two agree on the same items. Only mappings to
 * this unit count, and items with none are left out; the learner's customer and occasion labels
 * stand in for ids.
 */
export function toPortfolioFacts(unitId: string, items: readonly EvidenceFactsSource[], signatures: readonly Signature[] = []): PortfolioFactsInput {
  const evidence = [];
  for (const item of items) {
    const mappings = item.mappings.filter((m) => m.unitId === unitId).map((m) => ({ target: m.target, ref: m.ref, decision: m.decision }));
    if (mappings.length === 0) continue;
    evidence.push({
      id: item.id,
      method: item.method as AssessmentMethodCode,
      authorId: item.authorUserId,
      authorRole: item.authorRole,
      ...(item.witnessStatus === undefined ? {} : { witnessStatus: item.witnessStatus }),
      date: item.activityDate,
      customerId: item.customerRef,
      occasionId: item.occasionRef,
      workSetting: item.workSetting,
      mappings,
    });
  }
  return { unitId, evidence, signatures: [...signatures] };
}
