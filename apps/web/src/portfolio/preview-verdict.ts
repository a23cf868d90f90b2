import { evaluateUnit, type PortfolioFactsInput, type Unit, type Verdict } from '@attest/standards';
import type { EvidenceItem } from '@attest/contracts';

/**
 * The facts the engine needs for one unit, from the learner's items as the page holds them (with
 * unsaved mapping edits). Only this unit's mappings count; customer and occasion labels stand in
 * for ids, as on the server.
 */
export function toPortfolioFacts(unit: Unit, items: readonly EvidenceItem[]): PortfolioFactsInput {
  return {
    unitId: unit.id,
    evidence: items
      .map((item) => ({
        id: item.id,
        method: item.method,
        authorId: 'learner',
        authorRole: 'candidate' as const,
        date: item.activityDate,
        customerId: item.customerRef,
        occasionId: item.occasionRef,
        workSetting: item.workSetting,
        mappings: item.mappings.filter((m) => m.unitId === unit.id).map((m) => ({ target: m.target, ref: m.ref, decision: m.decision })),
      }))
      .filter((item) => item.mappings.length > 0),
  };
}

/**
 * The engine run in the browser, for the moment between a learner's edit and the server's answer.
 * The server's verdict also knows signatures and assessor-recorded evidence, so the preview keeps
 * the server's unit state and sign-off and replaces only the per-requirement findings.
 */
export function previewVerdict(unit: Unit, items: readonly EvidenceItem[], server: Verdict, asOf: string): Verdict {
  const preview = evaluateUnit(unit, toPortfolioFacts(unit, items), { asOf });
  return { ...preview, state: server.state, isReadyForSignOff: server.isReadyForSignOff, signOff: server.signOff };
}

/** Today as a calendar date in the learner's own time zone, the `asOf` of a preview. */
export function todayIso(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
