import type { PortfolioFactsInput, Signature } from '@attest/standards';
import type { AssessmentMethodCode } from '@attest/standards';

/** What the engine needs of one stored item, whoever recorded it (learner now, assessors in issue 4). */
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
 * The one place stored evidence becomes the standards engine's facts for a unit. Only mappings to
 * this unit count, and items with none are left out; the learner's customer and occasion labels
 * stand in for ids, exactly as the browser's preview does (apps/web preview-verdict.ts), so the
 * preview and the server's verdict agree on the same items.
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
