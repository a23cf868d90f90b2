import type { AssessmentMethodCode, EvidenceItem, EvidenceMapping, PortfolioFactsInput, Unit, WorkSetting } from '../src/index.ts';
import { loadCatalogue } from '../src/loader/index.ts';

const catalogue = loadCatalogue();

export function getSeedUnit(id: string): Unit {
  const unit = catalogue.units.find((u) => u.id === id);
  if (!unit) throw new Error(`no unit ${id} in the catalogue`);
  return unit;
}

export const allSeedUnits = (): Unit[] => catalogue.units;

let sequence = 0;

type Targets = { statements?: string[]; scope?: string[]; requirements?: string[] };
export type EvidenceOptions = Targets & {
  id?: string;
  method?: AssessmentMethodCode;
  date?: string;
  customerId?: string | null;
  occasionId?: string | null;
  workSetting?: WorkSetting;
  decision?: EvidenceMapping['decision'];
};

/** One piece of evidence with sensible defaults: an accepted observation in a real job. */
export function evidence(options: EvidenceOptions = {}): EvidenceItem {
  sequence += 1;
  const decision = options.decision ?? 'accepted';
  const mappings: EvidenceMapping[] = [
    ...(options.statements ?? []).map((ref) => ({ target: 'statement' as const, ref, decision })),
    ...(options.scope ?? []).map((ref) => ({ target: 'scope-item' as const, ref, decision })),
    ...(options.requirements ?? []).map((ref) => ({ target: 'evidence-requirement' as const, ref, decision })),
  ];
  return {
    id: options.id ?? `ev-${String(sequence).padStart(5, '0')}`,
    method: options.method ?? 'O',
    authorId: 'assessor-1',
    date: options.date ?? '2026-03-02',
    customerId: options.customerId === undefined ? `customer-${sequence}` : options.customerId,
    occasionId: options.occasionId === undefined ? `occasion-${sequence}` : options.occasionId,
    workSetting: options.workSetting ?? 'real-job',
    mappings,
  };
}

export function facts(unit: Unit, items: EvidenceItem[], extra: Partial<PortfolioFactsInput> = {}): PortfolioFactsInput {
  return { unitId: unit.id, evidence: items, signatures: [], ...extra };
}

/**
 * Evidence that meets every requirement of a seed unit: observed performance on two dates with
 * two customers, questioning for knowledge, every scope item and evidence requirement covered.
 */
export function completeEvidence(unit: Unit): EvidenceItem[] {
  const performance: string[] = [];
  const knowledge: string[] = [];
  for (const group of unit.groups) {
    for (const s of group.statements) {
      const name = unit.groups.flatMap((g) => g.statements).filter((x) => x.ref === s.ref).length > 1 ? `${prefix(s.kind)}:${s.ref}` : s.ref;
      (s.kind === 'knowledge' || group.kind === 'knowledge' ? knowledge : performance).push(name);
    }
  }
  const scope = unit.scope.flatMap((g) => g.items.map((i) => (g.ref === null ? i.ref : `${g.ref}.${i.ref}`)));
  const requirements = unit.evidenceRequirements.flatMap((r) => (r.items && r.items.length > 0 ? r.items.map((i) => `${r.ref}.${i.ref}`) : [r.ref]));
  return [
    evidence({ method: 'O', date: '2026-02-02', customerId: 'c-1', occasionId: 'o-1', statements: performance, scope, requirements }),
    evidence({ method: 'O', date: '2026-02-20', customerId: 'c-2', occasionId: 'o-2', statements: performance, scope }),
    ...(knowledge.length > 0 ? [evidence({ method: 'Q', date: '2026-02-21', customerId: null, occasionId: null, statements: knowledge })] : []),
  ];
}

function prefix(kind: string): string {
  return { 'performance-criterion': 'pc', 'assessment-criterion': 'ac', knowledge: 'k', standard: 'std' }[kind] ?? kind;
}

export const AS_OF = '2026-03-10';
