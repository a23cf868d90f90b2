import { buildUnitIndex, renderReason, type Reason, type ReasonParam, type Status, type Unit, type Verdict } from '@attest/standards';

export interface MissingEntry {
  key: string;
  /** "PC 209.1.3", "Knowledge 3", "Scope 2.b", "Evidence requirement 4", "Work setting". */
  label: string;
  /** The words of the statement, scope item or requirement beside its code; null for a unit rule. */
  text: string | null;
  status: Extract<Status, 'not-met' | 'partly-met'>;
  reasons: string[];
  /** The reasons' stable codes, for grouping; the wording is in `reasons`. */
  codes: Reason['code'][];
}

const EVIDENCE_PARAMS = new Set(['evidenceId', 'evidenceIds']);
/** Parameters naming statements by key ("pc:3") and scope items by key, as the engine gives them. */
const STATEMENT_PARAMS = new Set(['ref', 'refs']);
const SCOPE_PARAMS = new Set(['items', 'missing']);

/** How the learner reads a unit's statements and scope items in a reason: the code with its words. */
export interface RequirementNames {
  readonly statements: ReadonlyMap<string, string>;
  readonly scopeItems: ReadonlyMap<string, string>;
  /** The statement the reason is listed under: named by its code alone, its words are beside it already. */
  readonly ownStatementKey?: { readonly key: string; readonly ref: string };
}

/**
 * Replaces server evidence ids in a reason's parameters with the learner's own labels (E1, E2…),
 * so "Evidence E2 comes from a simulation" names something the learner can find on the page; and,
 * given the unit's names, statement and scope keys with their codes and words, so "pc:3" never
 * reaches the screen and "201.1.3 “communicate with your customer…” must be directly observed" does.
 */
export function relabelReason(reason: Reason, labels: ReadonlyMap<string, string>, names: RequirementNames | null = null): Reason {
  const params: Record<string, ReasonParam> = {};
  const rename = (value: ReasonParam, lookup: (key: string) => string | undefined): ReasonParam => {
    if (typeof value === 'string') return lookup(value) ?? value;
    if (Array.isArray(value)) return (value as readonly string[]).map((key) => lookup(key) ?? key);
    return value;
  };
  for (const [name, value] of Object.entries(reason.params)) {
    if (EVIDENCE_PARAMS.has(name)) params[name] = rename(value, (id) => labels.get(id));
    else if (names !== null && STATEMENT_PARAMS.has(name)) params[name] = rename(value, (key) => (key === names.ownStatementKey?.key ? names.ownStatementKey.ref : names.statements.get(key)));
    else if (names !== null && SCOPE_PARAMS.has(name)) params[name] = rename(value, (key) => names.scopeItems.get(key));
    else params[name] = value;
  }
  return { code: reason.code, params };
}

/** Words cut at a word boundary near `max` characters, so a long statement does not swamp its sentence. */
function shortened(text: string, max = 60): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2)).trimEnd()}…`;
}

function namesOf(unit: Unit): RequirementNames {
  const index = buildUnitIndex(unit);
  return {
    statements: new Map(index.statements.map((s) => [s.key, `${s.ref} “${shortened(s.statement.text)}”`])),
    // A scope item is known by its key ("2.b"), as the missing list labels it; its own ref is only "b".
    scopeItems: new Map(index.scopeItems.map((s) => [s.key, `${s.key} “${shortened(s.text)}”`])),
  };
}

// Findings of these rules are already among the reasons of the statements they name.
const PER_STATEMENT_RULES = new Set(['observation-required', 'methods-allowed', 'knowledge-inference']);

const ruleLabels: Record<string, string> = {
  'scope-observation': 'Scope observed by your assessor',
  'scope-coverage': 'Scope covered',
  'work-setting': 'Work setting',
  'sufficiency-over-time': 'Different customers, occasions and time',
  'evidence-required': 'Evidence requirements',
};

// The words learners see on their recording forms: "PC 4", not "performance-criterion 4".
const statementKindLabels: Record<string, string> = { 'performance-criterion': 'PC', 'assessment-criterion': 'AC', knowledge: 'Knowledge', standard: 'Standard' };

const isMissing = (status: Status): status is MissingEntry['status'] => status === 'not-met' || status === 'partly-met';

/** Each statement's, scope item's and requirement's words, keyed as the missing list keys its entries. */
function textsOf(unit: Unit): Map<string, string> {
  const index = buildUnitIndex(unit);
  const texts = new Map<string, string>();
  for (const s of index.statements) texts.set(`statement|${s.key}`, s.statement.text);
  for (const s of index.scopeItems) texts.set(`scope-item|${s.key}`, s.text);
  for (const r of index.requirements) if (r.text !== null) texts.set(`evidence-requirement|${r.key}`, r.text);
  return texts;
}

/**
 * What the learner still has to show, straight from the verdict: every statement, required scope
 * item, required evidence requirement and unit rule that is not met or only partly met, with the
 * engine's reasons in plain English. Items waiting for the assessor are not "missing".
 */
export function buildMissingList(verdict: Verdict, labels: ReadonlyMap<string, string> = new Map(), unit: Unit | null = null): MissingEntry[] {
  const names = unit === null ? null : namesOf(unit);
  const render = (reasons: readonly Reason[], ownStatementKey?: { key: string; ref: string }) => ({
    reasons: reasons.map((reason) => renderReason(relabelReason(reason, labels, names === null ? null : { ...names, ...(ownStatementKey ? { ownStatementKey } : {}) }))),
    codes: reasons.map((reason) => reason.code),
  });
  const texts = unit === null ? null : textsOf(unit);
  const entries: MissingEntry[] = [];
  for (const s of verdict.statements) {
    if (isMissing(s.status)) entries.push({ key: `statement|${s.key}`, label: `${statementKindLabels[s.kind] ?? 'Statement'} ${s.ref}`, text: texts?.get(`statement|${s.key}`) ?? null, status: s.status, ...render(s.reasons, { key: s.key, ref: s.ref }) });
  }
  for (const s of verdict.scopeItems) {
    if (s.isRequired && isMissing(s.status)) entries.push({ key: `scope-item|${s.key}`, label: `Scope ${s.key}`, text: texts?.get(`scope-item|${s.key}`) ?? null, status: s.status, ...render(s.reasons) });
  }
  for (const r of verdict.evidenceRequirements) {
    if (r.isRequired && isMissing(r.status)) entries.push({ key: `evidence-requirement|${r.key}`, label: `Evidence requirement ${r.key}`, text: texts?.get(`evidence-requirement|${r.key}`) ?? null, status: r.status, ...render(r.reasons) });
  }
  for (const rule of verdict.rules) {
    if (isMissing(rule.status) && !PER_STATEMENT_RULES.has(rule.kind)) entries.push({ key: `rule|${rule.index}`, label: ruleLabels[rule.kind] ?? 'Unit rule', text: null, status: rule.status, ...render(rule.reasons) });
  }
  return entries;
}

/**
 * Splits off the entries whose only finding is that nothing is mapped yet. At the start of a unit
 * that is most of them, and thirty identical sentences would bury the few that say something.
 */
export function splitUnmapped(entries: readonly MissingEntry[]): { unmapped: MissingEntry[]; others: MissingEntry[] } {
  const isUnmapped = (entry: MissingEntry) => entry.codes.length > 0 && entry.codes.every((code) => code === 'no_evidence');
  return { unmapped: entries.filter(isUnmapped), others: entries.filter((entry) => !isUnmapped(entry)) };
}

const DECIDED = new Set<Reason['code']>(['evidence_accepted', 'evidence_referred', 'observed']);

/**
 * Statements met / assessed / total for the overview. "Assessed" means the assessor has decided on
 * some evidence for it, accepted or referred: a referred statement is assessed but not met.
 */
export function summariseProgress(verdict: Verdict): { met: number; assessed: number; total: number } {
  const total = verdict.statements.length;
  const met = verdict.statements.filter((s) => s.status === 'met').length;
  const assessed = verdict.statements.filter((s) => s.status === 'met' || s.status === 'partly-met' || s.reasons.some((r) => DECIDED.has(r.code))).length;
  return { met, assessed, total };
}
