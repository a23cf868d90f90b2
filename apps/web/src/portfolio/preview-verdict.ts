import { evaluateUnit, toPortfolioFacts as toFacts, type EvidenceFactsSource, type PortfolioFactsInput, type Status, type Unit, type Verdict } from '@attest/standards';
import type { EvidenceItem } from '@attest/contracts';

/** The learner's item as the shared facts function reads it: the page knows no author, and every item here is the learner's own. */
function toFactsSource(item: EvidenceItem): EvidenceFactsSource {
  return { ...item, authorUserId: 'learner', authorRole: 'candidate' };
}

/**
 * The facts the engine needs for one unit, from the learner's items as the page holds them (with
 * unsaved mapping edits), through the same function the server's verdict uses (@attest/standards
 * toPortfolioFacts): only this unit's mappings count, and customer and occasion labels stand in for ids.
 */
export function toPortfolioFacts(unit: Unit, items: readonly EvidenceItem[]): PortfolioFactsInput {
  return toFacts(unit.id, items.map(toFactsSource));
}

type Row = { key: string; status: Status; reasons: Verdict['reasons'] };

/** The server's row, unless the learner's edit changes the engine's answer for it. */
function mergeRows<T extends Row>(server: readonly T[], before: readonly T[], after: readonly T[]): T[] {
  const beforeByKey = new Map(before.map((row) => [row.key, row]));
  const afterByKey = new Map(after.map((row) => [row.key, row]));
  return server.map((row) => {
    const was = beforeByKey.get(row.key);
    const now = afterByKey.get(row.key);
    if (was === undefined || now === undefined) return row;
    return was.status === now.status && JSON.stringify(was.reasons) === JSON.stringify(now.reasons) ? row : now;
  });
}

/**
 * The engine run in the browser, for the moment between a learner's edit and the server's answer.
 * The server's verdict also knows what this page does not (assessors' observations, signatures),
 * so the engine runs twice, on the items as the server has them and as edited, and only the rows
 * whose answer the edit changes replace the server's; everything else stays as the server said.
 */
export function previewVerdict(unit: Unit, serverItems: readonly EvidenceItem[], editedItems: readonly EvidenceItem[], server: Verdict, asOf: string): Verdict {
  const before = evaluateUnit(unit, toPortfolioFacts(unit, serverItems), { asOf });
  const after = evaluateUnit(unit, toPortfolioFacts(unit, editedItems), { asOf });
  const rules = (rows: Verdict['rules']) => rows.map((rule) => ({ ...rule, key: String(rule.index) }));
  const mergedRules = mergeRows(rules(server.rules), rules(before.rules), rules(after.rules)).map(({ key: _key, ...rule }) => rule);
  return {
    ...server,
    statements: mergeRows(server.statements, before.statements, after.statements),
    scopeItems: mergeRows(server.scopeItems, before.scopeItems, after.scopeItems),
    evidenceRequirements: mergeRows(server.evidenceRequirements, before.evidenceRequirements, after.evidenceRequirements),
    rules: mergedRules,
  };
}

/** Today as a calendar date in the learner's own time zone, the `asOf` of a preview. */
export function todayIso(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
