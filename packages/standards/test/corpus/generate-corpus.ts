import { ASSESSMENT_METHOD_CODES, buildUnitIndex, SIGN_OFF_ROLES, UnitSchema, WORK_SETTINGS, type EvaluateOptions, type EvidenceItem, type EvidenceMapping, type PortfolioFactsInput, type Signature, type Unit } from '../../src/index.ts';
import { loadCatalogue } from '../../src/loader/index.ts';

// The golden corpus: 8,070 evaluations (269 portfolios for each of 30 units: the catalogue's 23 and
// 7 made up so that every rule kind, overlapping rules, ambiguous refs and every sign-off role are
// exercised). Everything is drawn from one seeded generator, so the same code always gives the
// same portfolios; test/corpus/verdicts.txt holds a digest of each verdict the engine gave them.
// Change nothing here without recording the corpus again on an engine known to be right.

export const CASES_PER_UNIT = 269;

export type CorpusCase = { number: number; unit: Unit; facts: PortfolioFactsInput; options: EvaluateOptions };

/** A seeded generator (mulberry32): the same seed always gives the same sequence. */
function seeded(seed: number) {
  let state = seed;
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;
  return { random, between, pick, chance };
}

const basis = 'corpus';

/** Made-up units for what the catalogue does not exercise: methods-allowed, overlapping rules, ambiguous refs, countersignatures, a lost assessor step. */
function syntheticUnits(): Unit[] {
  const make = (n: number, rules: Unit['assessmentRules'], signOff: Unit['signOff'], ambiguous: boolean): Unit =>
    UnitSchema.parse({
      id: `corpus-${n}`,
      qualification: 'corpus',
      awardingBody: null,
      codes: [`C${n}`],
      title: `Corpus unit ${n}`,
      level: 2,
      creditValue: null,
      guidedLearningHours: null,
      purpose: null,
      version: null,
      format: 'element',
      source: { document: 'generated', section: 'corpus' },
      groups: [
        { ref: '1', title: 'element 1', kind: 'element', statements: [1, 2, 3, 4, 5].map((s) => ({ ref: ambiguous && s <= 2 ? String(s) : `1.${s}`, kind: 'performance-criterion', text: `criterion 1.${s}` })) },
        { ref: '2', title: 'element 2', kind: 'element', statements: [1, 2, 3, 4].map((s) => ({ ref: `2.${s}`, kind: 'performance-criterion', text: `criterion 2.${s}` })) },
        { ref: null, title: 'knowledge', kind: 'knowledge', statements: [1, 2, 3, 4].map((k) => ({ ref: ambiguous && k <= 2 ? String(k) : `k${k}`, kind: 'knowledge', text: `knowledge ${k}` })) },
        { ref: '3', title: 'heading', kind: 'heading', statements: [{ ref: '3.1', kind: 'knowledge', text: 'knowledge under a heading' }] },
      ],
      scope: [
        { ref: 'a', title: 'scope a', items: ['1', '2', '3', '4'].map((ref) => ({ ref, text: `scope a ${ref}` })) },
        { ref: null, title: null, items: ['x', 'y'].map((ref) => ({ ref, text: `scope ${ref}` })) },
      ],
      evidenceRequirements: [
        { ref: '1', text: 'real job' },
        { ref: '2', text: null },
        { ref: '3', text: 'problem types', items: ['a', 'b', 'c'].map((ref) => ({ ref, text: `problem ${ref}` })) },
        { ref: '4', text: 'occasions' },
      ],
      assessmentRules: rules,
      signOff,
    });
  const pc = (ref: string, ambiguous: boolean) => (ambiguous && /^[12]$/.test(ref) ? `pc:${ref}` : ref);
  const k = (ref: string, ambiguous: boolean) => (ambiguous ? `k:${ref}` : `k${ref}`);
  const fullChain: Unit['signOff'] = [{ role: 'candidate' }, { role: 'assessor' }, { role: 'assessor-countersignature' }, { role: 'internal-verifier', ifSampled: true }, { role: 'internal-verifier-countersignature' }, { role: 'external-verifier', ifSampled: true }];
  return [
    make(1, [
      { kind: 'methods-allowed', statements: ['1.3', '1.4', '2.1'], methods: ['O', 'WT', 'PE'], basis },
      { kind: 'methods-allowed', statements: ['1.4', '2.2'], methods: ['O', 'Q'], basis, evidenceRequirement: '2' },
      { kind: 'observation-required', statements: ['1.1', '1.2', '1.3'], basis },
      { kind: 'knowledge-inference', statements: ['k1', 'k2'], fromMethods: ['O'], basis },
      { kind: 'knowledge-inference', statements: ['k2', '3.1'], fromMethods: ['PE', 'WP'], basis },
      { kind: 'scope-coverage', items: 'all', methods: ['O', 'Q', 'WT'], basis },
      { kind: 'scope-observation', items: ['a.1', 'a.2', 'a.3', 'x'], min: 2, basis },
      { kind: 'work-setting', allowed: ['real-job'], evidenceRequirement: '1', basis },
      { kind: 'sufficiency-over-time', distinctCustomers: true, distinctOccasions: true, overPeriod: true, evidenceRequirement: '4', basis },
      { kind: 'evidence-required', requirements: ['3.a', '3.b', '3.c'], evidenceRequirement: '3', basis },
    ], [{ role: 'candidate' }, { role: 'assessor' }, { role: 'internal-verifier', ifSampled: true }], false),
    make(2, [
      { kind: 'observation-required', statements: [pc('1', true), pc('2', true), '2.1'], basis },
      { kind: 'methods-allowed', statements: [pc('1', true), k('1', true)], methods: ['O', 'Q', 'PD'], basis },
      { kind: 'knowledge-inference', statements: [k('1', true), k('2', true), 'k3'], fromMethods: ['O', 'PE'], basis },
      { kind: 'scope-coverage', items: ['a.1', 'y'], basis },
      { kind: 'scope-observation', items: ['a.4', 'x', 'y'], min: 3, basis, evidenceRequirement: '2' },
      { kind: 'work-setting', allowed: ['real-job', 'rwe'], basis },
      { kind: 'sufficiency-over-time', distinctCustomers: false, distinctOccasions: true, overPeriod: false, basis },
      { kind: 'evidence-required', requirements: ['3.b', '1'], basis },
    ], fullChain, true),
    make(3, [
      { kind: 'work-setting', allowed: ['rwe'], basis },
      { kind: 'work-setting', allowed: ['real-job', 'rwe'], basis, evidenceRequirement: '1' },
      { kind: 'sufficiency-over-time', distinctCustomers: true, distinctOccasions: false, overPeriod: true, basis, evidenceRequirement: '1' },
      { kind: 'sufficiency-over-time', distinctCustomers: false, distinctOccasions: false, overPeriod: false, basis },
      { kind: 'scope-coverage', items: 'all', basis },
    ], [{ role: 'candidate' }, { role: 'internal-verifier', ifSampled: true }, { role: 'external-verifier', ifSampled: true }], false),
    make(4, [], [], false),
    make(5, [
      { kind: 'observation-required', statements: ['1.1', '1.2', '1.3', '1.4', '1.5', '2.1', '2.2', '2.3', '2.4'], basis },
      { kind: 'evidence-required', requirements: ['3'], basis },
      { kind: 'scope-observation', items: ['a.1'], min: 1, basis },
    ], [{ role: 'assessor' }, { role: 'assessor-countersignature' }, { role: 'internal-verifier' }, { role: 'internal-verifier-countersignature' }], false),
    make(6, [
      { kind: 'knowledge-inference', statements: ['k1', 'k2', 'k3', 'k4', '3.1'], fromMethods: ['O', 'PE', 'WP'], basis },
      { kind: 'methods-allowed', statements: ['k4'], methods: ['Q', 'WQ'], basis },
      { kind: 'scope-coverage', items: ['a.1', 'a.2'], methods: ['PE'], basis },
      { kind: 'scope-coverage', items: ['a.2', 'a.3'], methods: ['PE', 'WP'], basis },
    ], [{ role: 'candidate' }, { role: 'internal-verifier-countersignature', ifSampled: true }, { role: 'internal-verifier', ifSampled: true }], false),
    make(7, [
      { kind: 'sufficiency-over-time', distinctCustomers: true, distinctOccasions: true, overPeriod: true, basis, evidenceRequirement: '3' },
      { kind: 'evidence-required', requirements: ['3.a', '3.c', '2'], basis, evidenceRequirement: '3' },
      { kind: 'work-setting', allowed: ['real-job'], basis, evidenceRequirement: '4' },
    ], [{ role: 'assessor' }, { role: 'external-verifier' }], true),
  ];
}

const AS_OF_DATES = ['2026-03-10', '2025-06-30', '2027-01-01', '2024-02-29'];

/** Some dates far before, around and after each asOf, so currency and future-dating are both exercised. */
function randomDate(r: ReturnType<typeof seeded>): string {
  const year = r.pick([2021, 2022, 2023, 2024, 2024, 2025, 2025, 2025, 2026, 2026, 2027]);
  const month = r.between(1, 12);
  return `${year}-${String(month).padStart(2, '0')}-${String(r.between(1, 28)).padStart(2, '0')}`;
}

function mappingTargets(unit: Unit): { target: EvidenceMapping['target']; ref: string }[] {
  const index = buildUnitIndex(unit);
  return [
    ...index.statements.map((s) => ({ target: 'statement' as const, ref: s.key })),
    // The bare ref of a statement keyed kind:ref (ambiguous) and the qualified form of one keyed bare.
    ...index.statements.map((s) => ({ target: 'statement' as const, ref: s.key === s.ref ? `pc:${s.ref}` : s.ref })),
    ...index.scopeItems.map((s) => ({ target: 'scope-item' as const, ref: s.key })),
    ...index.requirements.map((q) => ({ target: 'evidence-requirement' as const, ref: q.key })),
    { target: 'statement', ref: 'no-such-statement' },
    { target: 'scope-item', ref: 'no.such' },
    { target: 'evidence-requirement', ref: '99' },
  ];
}

/** Accepted evidence naming every target of the unit, a few weeks before asOf: a portfolio that may well be complete. */
function thoroughEvidence(unit: Unit, number: number, asOf: string, r: ReturnType<typeof seeded>): EvidenceItem[] {
  const all = mappingTargets(unit).map((t) => ({ ...t, decision: 'accepted' as const }));
  const month = asOf.slice(0, 8);
  return (['O', 'O', 'Q', r.pick(ASSESSMENT_METHOD_CODES)] as const).map((method, i) => ({
    id: `t${i}-${number}`,
    method,
    authorId: 'assessor',
    date: `${month}0${i + 1}`,
    customerId: `customer-${i}`,
    occasionId: r.chance(0.8) ? `occasion-${i}` : null,
    workSetting: r.chance(0.9) ? 'real-job' : r.pick(WORK_SETTINGS),
    mappings: all,
  }));
}

function portfolio(unit: Unit, number: number, asOf: string, r: ReturnType<typeof seeded>): PortfolioFactsInput {
  const targets = mappingTargets(unit);
  const size = r.pick([0, 1, 2, 3, 5, 8, 12, 20, 30, 45]);
  const evidence: EvidenceItem[] = r.chance(0.3) ? thoroughEvidence(unit, number, asOf, r) : [];
  const first = evidence.length;
  for (let i = first; i < first + size; i++) {
    // Now and then an id used before: unvalidated facts may repeat one, and it must count once.
    const id = i > 0 && r.chance(0.04) ? (evidence[r.between(0, i - 1)] as EvidenceItem).id : `e${r.between(0, 999)}-${number}-${i}`;
    const focus = r.chance(0.5) ? targets.slice(0, Math.max(1, Math.floor(targets.length / 2))) : targets;
    const mappings: EvidenceMapping[] = Array.from({ length: r.pick([0, 1, 1, 2, 3, 5]) }, () => ({ ...r.pick(focus), decision: r.chance(0.7) ? 'accepted' : r.pick(['pending', 'referred'] as const) }));
    const customer = r.random();
    const occasion = r.random();
    evidence.push({
      id,
      method: r.chance(0.4) ? r.pick(['O', 'Q', 'PE', 'WT'] as const) : r.pick(ASSESSMENT_METHOD_CODES),
      authorId: `author-${r.between(1, 3)}`,
      date: randomDate(r),
      ...(customer < 0.1 ? {} : { customerId: customer < 0.25 ? null : `customer-${r.between(1, 5)}` }),
      ...(occasion < 0.1 ? {} : { occasionId: occasion < 0.3 ? null : `occasion-${r.between(1, 5)}` }),
      workSetting: r.chance(0.6) ? 'real-job' : r.pick(WORK_SETTINGS),
      mappings,
    });
  }
  const signatures: Signature[] = Array.from({ length: r.pick([0, 0, 1, 2, 3, 5, 8]) }, () => ({ role: r.pick(SIGN_OFF_ROLES), signerId: `signer-${r.between(1, 3)}`, date: r.chance(0.5) ? `${asOf.slice(0, 8)}0${r.between(1, 9)}` : randomDate(r) }));
  const facts: PortfolioFactsInput = { unitId: unit.id, evidence };
  if (r.chance(0.8)) facts.signatures = signatures;
  if (r.chance(0.5)) facts.sampledBy = r.pick([[], ['internal-verifier'], ['external-verifier'], ['internal-verifier', 'external-verifier']] as const).slice();
  if (r.chance(0.4)) facts.countersignaturesRequired = r.pick([[], ['assessor'], ['internal-verifier'], ['assessor', 'internal-verifier']] as const).slice();
  return facts;
}

function options(r: ReturnType<typeof seeded>): EvaluateOptions {
  const asOf = r.pick(AS_OF_DATES);
  if (r.chance(0.6)) return { asOf };
  return {
    asOf,
    policy: {
      ...(r.chance(0.5) ? { minDistinctCustomers: r.between(1, 4) } : {}),
      ...(r.chance(0.5) ? { minDistinctOccasions: r.between(1, 4) } : {}),
      ...(r.chance(0.5) ? { minPeriodDays: r.pick([0, 1, 7, 60, 400]) } : {}),
      ...(r.chance(0.5) ? { evidenceCurrencyDays: r.pick([30, 365, 1095, 3000]) } : {}),
      ...(r.chance(0.5) ? { allowKnowledgeInference: r.chance(0.5) } : {}),
    },
  };
}

/** The corpus's units: the catalogue's, in its order, then the made-up ones. */
export function corpusUnits(): Unit[] {
  return [...loadCatalogue().units, ...syntheticUnits()];
}

/** Every case of the corpus, in a fixed order: unit by unit, then portfolio by portfolio. */
export function* corpusCases(): Generator<CorpusCase> {
  const r = seeded(0xc0ffee);
  let number = 0;
  for (const unit of corpusUnits()) {
    for (let k = 0; k < CASES_PER_UNIT; k++) {
      const chosen = options(r);
      yield { number: number, unit, facts: portfolio(unit, number, chosen.asOf, r), options: chosen };
      number++;
    }
  }
}
