import { describe, expect, it } from 'vitest';
import { evaluateUnit, type Reason, type Unit, type Verdict } from '../src/index.ts';
import { AS_OF, completeEvidence, evidence, facts, getSeedUnit } from './factories.ts';

const pcUnit = getSeedUnit('cs-pc-resolve-problems'); // seed 001
const qcfUnit = getSeedUnit('qcf2-resolve-problems'); // seed 002
const unit310 = getSeedUnit('cs-310'); // seed 000
const unit354 = getSeedUnit('ocr-354'); // seed 003

const statement = (v: Verdict, key: string) => {
  const found = v.statements.find((s) => s.key === key);
  if (!found) throw new Error(`no statement ${key} in verdict`);
  return found;
};
const rule = (v: Verdict, kind: string, nth = 0) => {
  const found = v.rules.filter((r) => r.kind === kind)[nth];
  if (!found) throw new Error(`no ${kind} rule in verdict`);
  return found;
};
const codes = (reasons: readonly Reason[]) => reasons.map((r) => r.code);
const evaluate = (unit: Unit, items: ReturnType<typeof evidence>[], policy = {}) => evaluateUnit(unit, facts(unit, items), { asOf: AS_OF, policy });

describe('observation rule: "The assessor must assess PCs 3–7 by directly observing the candidate’s work" (seed 001)', () => {
  it.each(['pc:3', 'pc:4', 'pc:5', 'pc:6', 'pc:7'])('leaves %s partly met with observation_required when only witness testimony maps to it', (pc) => {
    const v = evaluate(pcUnit, [evidence({ method: 'WT', statements: [pc] })]);
    expect(statement(v, pc).status).toBe('partly-met');
    expect(statement(v, pc).reasons[0]).toEqual({ code: 'observation_required', params: { ref: pc, methods: ['WT'] } });
  });

  it.each(['pc:3', 'pc:7'])('meets %s once the assessor has observed it', (pc) => {
    const v = evaluate(pcUnit, [evidence({ method: 'WT', statements: [pc] }), evidence({ method: 'O', statements: [pc] })]);
    expect(statement(v, pc).status).toBe('met');
    expect(codes(statement(v, pc).reasons)).toContain('observed');
  });

  it.each(['pc:1', 'pc:2', '8', '16'])('accepts witness testimony alone for %s, which "may be assessed by alternative methods"', (pc) => {
    const v = evaluate(pcUnit, [evidence({ method: 'WT', statements: [pc] })]);
    expect(statement(v, pc).status).toBe('met');
  });

  it.each([
    { observed: 0, status: 'not-met' },
    { observed: 4, status: 'partly-met' },
    { observed: 5, status: 'met' },
  ])('rates the rule $status when $observed of the five PCs are observed', ({ observed, status }) => {
    const pcs = ['pc:3', 'pc:4', 'pc:5', 'pc:6', 'pc:7'];
    const items = [evidence({ method: 'WT', statements: pcs }), ...(observed > 0 ? [evidence({ method: 'O', statements: pcs.slice(0, observed) })] : [])];
    const v = evaluate(pcUnit, items);
    expect(rule(v, 'observation-required').status).toBe(status);
    expect(codes(rule(v, 'observation-required').reasons).filter((c) => c === 'observation_required')).toHaveLength(5 - observed);
  });

  it('waits for the assessor when the only observation is still pending', () => {
    const v = evaluate(pcUnit, [evidence({ method: 'O', decision: 'pending', statements: ['pc:4'] })]);
    expect(statement(v, 'pc:4').status).toBe('not-yet-assessed');
    expect(statement(v, 'pc:4').reasons[0]).toEqual({ code: 'awaiting_assessment', params: { count: 1 } });
  });
});

describe('scope rule: "two from" (a)–(d) must be directly observed (seed 001)', () => {
  it.each([
    { observed: 0, status: 'not-met' },
    { observed: 1, status: 'partly-met' },
    { observed: 2, status: 'met' },
    { observed: 3, status: 'met' },
  ])('is $status with $observed observed item(s)', ({ observed, status }) => {
    const items = ['a', 'b', 'c', 'd'].slice(0, observed).map((ref) => evidence({ method: 'O', scope: [ref] }));
    const v = evaluate(pcUnit, [...items, evidence({ method: 'Q', scope: ['a', 'b', 'c', 'd'] })]);
    const r = rule(v, 'scope-observation');
    expect(r.status).toBe(status);
    expect(r.reasons[0]).toMatchObject({ code: 'scope_observed_count', params: { observed, required: 2 } });
  });

  it('counts questioning and witness testimony towards covering the remaining items but not towards the observed two', () => {
    const v = evaluate(pcUnit, [evidence({ method: 'O', scope: ['a'] }), evidence({ method: 'Q', scope: ['b'] }), evidence({ method: 'WT', scope: ['c', 'd'] })]);
    expect(rule(v, 'scope-coverage').status).toBe('met');
    expect(rule(v, 'scope-observation').reasons[0]).toMatchObject({ params: { observed: 1, required: 2 } });
  });

  it('refuses product evidence for a scope item, which may be covered only by observation, questioning or witness testimony', () => {
    const v = evaluate(pcUnit, [evidence({ id: 'pe-1', method: 'PE', scope: ['d'] })]);
    const item = v.scopeItems.find((s) => s.key === 'd');
    expect(item?.status).toBe('not-met');
    expect(item?.reasons).toContainEqual({ code: 'method_not_allowed', params: { evidenceId: 'pe-1', method: 'PE', allowed: ['O', 'Q', 'WT'] } });
    expect(rule(v, 'scope-coverage').reasons[0]).toMatchObject({ code: 'scope_not_covered', params: { covered: 0, total: 4 } });
  });
});

describe('work setting: real job, realistic working environment, simulation', () => {
  it.each([
    { unit: unit310, ref: '310.1.1', setting: 'simulation', code: 'simulation_not_allowed' },
    { unit: unit354, ref: '1.1', setting: 'simulation', code: 'simulation_not_allowed' },
    { unit: qcfUnit, ref: '1.1', setting: 'simulation', code: 'simulation_not_allowed' },
    { unit: unit310, ref: '310.1.1', setting: 'rwe', code: 'rwe_not_allowed' },
    { unit: unit354, ref: '1.1', setting: 'rwe', code: 'rwe_not_allowed' },
  ] as const)('refuses $setting evidence for $unit.id with $code', ({ unit, ref, setting, code }) => {
    const v = evaluate(unit, [evidence({ id: 'ev-x', workSetting: setting, statements: [ref] })]);
    expect(statement(v, ref).status).toBe('not-met');
    expect(statement(v, ref).reasons).toContainEqual({ code, params: { evidenceId: 'ev-x', workSetting: setting } });
    expect(rule(v, 'work-setting').status).toBe('not-met');
  });

  it('accepts evidence from a realistic working environment for seed 002, which permits it', () => {
    const v = evaluate(qcfUnit, [evidence({ workSetting: 'rwe', statements: ['1.1'] })]);
    expect(statement(v, '1.1').status).toBe('met');
    expect(rule(v, 'work-setting').status).toBe('met');
    expect(v.evidenceRequirements.find((e) => e.key === '1')?.status).toBe('met');
  });

  it('accepts real-job evidence for unit 310', () => {
    const v = evaluate(unit310, [evidence({ workSetting: 'real-job', statements: ['310.1.1'] })]);
    expect(statement(v, '310.1.1').status).toBe('met');
  });

  it('lets questioning in a simulated setting evidence knowledge, because it is not performance evidence', () => {
    const v = evaluate(unit310, [evidence({ method: 'Q', workSetting: 'simulation', statements: ['310.4.1'] })]);
    expect(statement(v, '310.4.1').status).toBe('met');
  });
});

describe('evidence requirements: "examples of resolving problems involving each of" a–e (seed 002)', () => {
  it.each([
    { covered: 4, status: 'partly-met', missing: ['4.e'] },
    { covered: 5, status: 'met', missing: [] },
  ])('is $status when $covered of the five problem types are evidenced', ({ covered, status, missing }) => {
    const refs = ['4.a', '4.b', '4.c', '4.d', '4.e'].slice(0, covered);
    const v = evaluate(qcfUnit, [evidence({ requirements: refs })]);
    const r = rule(v, 'evidence-required', 0);
    expect(r.status).toBe(status);
    expect(v.evidenceRequirements.find((e) => e.key === '4')?.status).toBe(status);
    if (missing.length > 0) expect(r.reasons[0]).toEqual({ code: 'requirements_not_met', params: { missing } });
  });

  it('is not met when no problem type is evidenced', () => {
    const v = evaluate(qcfUnit, []);
    expect(rule(v, 'evidence-required', 0).status).toBe('not-met');
  });
});

describe('sufficiency: "different customers on different occasions" over "a sufficient period of time"', () => {
  const onOccasions = (n: number, customers: number, firstDate = '2026-02-01', step = 7) =>
    Array.from({ length: n }, (_, i) => evidence({ statements: ['310.1.1'], occasionId: `occ-${i}`, customerId: `cust-${i % customers}`, date: addDays(firstDate, i * step) }));

  it.each([
    { occasions: 1, status: 'partly-met' },
    { occasions: 2, status: 'met' },
    { occasions: 3, status: 'met' },
  ])('rates distinct occasions $status at $occasions of the default 2', ({ occasions, status }) => {
    const v = evaluate(unit310, onOccasions(occasions, occasions));
    const r = rule(v, 'sufficiency-over-time');
    expect(r.reasons).toContainEqual({ code: 'distinct_occasions', params: { count: occasions, required: 2 } });
    expect(r.status).toBe(status);
  });

  it.each([
    { customers: 1, status: 'partly-met' },
    { customers: 2, status: 'met' },
    { customers: 3, status: 'met' },
  ])('rates distinct customers $status at $customers with a centre minimum of 2', ({ customers, status }) => {
    const v = evaluate(unit310, onOccasions(3, customers));
    expect(rule(v, 'sufficiency-over-time').reasons).toContainEqual({ code: 'distinct_customers', params: { count: customers, required: 2 } });
    expect(rule(v, 'sufficiency-over-time').status).toBe(status);
  });

  it.each([
    { minimum: 2, status: 'met' },
    { minimum: 3, status: 'met' },
    { minimum: 4, status: 'partly-met' },
  ])('honours a centre policy of $minimum occasions when there are 3', ({ minimum, status }) => {
    const v = evaluate(unit310, onOccasions(3, 3), { minDistinctOccasions: minimum, minDistinctCustomers: 1 });
    expect(rule(v, 'sufficiency-over-time').status).toBe(status);
  });

  it.each([
    { span: 13, status: 'partly-met' },
    { span: 14, status: 'met' },
    { span: 15, status: 'met' },
  ])('rates a span of $span days $status against a 14-day period', ({ span, status }) => {
    const v = evaluate(unit310, onOccasions(2, 2, '2026-01-01', span), { minPeriodDays: 14 });
    expect(rule(v, 'sufficiency-over-time').reasons).toContainEqual({ code: 'evidence_period', params: { days: span, required: 14 } });
    expect(rule(v, 'sufficiency-over-time').status).toBe(status);
  });

  it('counts one occasion per date when evidence carries no occasion id', () => {
    const items = [evidence({ statements: ['310.1.1'], occasionId: null, date: '2026-02-01' }), evidence({ statements: ['310.1.2'], occasionId: null, date: '2026-02-01' })];
    expect(rule(evaluate(unit310, items), 'sufficiency-over-time').reasons).toContainEqual({ code: 'distinct_occasions', params: { count: 1, required: 2 } });
  });

  it.each([20, 32, 33, 60])('counts occasions (dates where none is given) and customers alike among %i performance items', (n) => {
    const items = Array.from({ length: n }, (_, i) =>
      evidence({ statements: ['310.1.1'], occasionId: i % 3 === 0 ? null : `occ-${i % 7}`, customerId: i % 4 === 0 ? null : `cust-${i % 6}`, date: addDays('2026-01-01', (i % 5) * 3) }),
    );
    const occasions = new Set(items.flatMap((item) => (item.occasionId ? [item.occasionId] : []))).size;
    const dates = new Set(items.flatMap((item) => (item.occasionId ? [] : [item.date]))).size;
    const customers = new Set(items.flatMap((item) => (item.customerId ? [item.customerId] : []))).size;
    const r = rule(evaluate(unit310, items), 'sufficiency-over-time');
    expect(r.reasons).toContainEqual({ code: 'distinct_occasions', params: { count: occasions + dates, required: 2 } });
    expect(r.reasons).toContainEqual({ code: 'distinct_customers', params: { count: customers, required: 2 } });
    // Repeats on purpose: a count that ignored them would fail.
    expect(occasions + dates).toBeLessThan(n);
    expect(customers).toBeLessThan(n);
  });

  it('decides evidence requirement 3 of unit 310 by this rule', () => {
    const v = evaluate(unit310, onOccasions(1, 1));
    expect(v.evidenceRequirements.find((e) => e.key === '3')).toMatchObject({ status: 'partly-met', isRequired: true });
  });
});

describe('knowledge inferred from performance only where the unit allows it', () => {
  it('infers the "how to" knowledge statement k:4 of seed 001 from observed performance', () => {
    const v = evaluate(pcUnit, [evidence({ id: 'obs', method: 'O', statements: ['k:4'] })]);
    expect(statement(v, 'k:4').status).toBe('met');
    expect(statement(v, 'k:4').reasons).toContainEqual({ code: 'knowledge_inferred', params: { evidenceId: 'obs', method: 'O' } });
  });

  it.each(['k:1', 'k:6', 'k:7'])('refuses to infer %s of seed 001, which is not a "how to" statement', (k) => {
    const v = evaluate(pcUnit, [evidence({ id: 'obs', method: 'O', statements: [k] })]);
    expect(statement(v, k).status).toBe('not-met');
    expect(statement(v, k).reasons).toContainEqual({ code: 'knowledge_inference_not_allowed', params: { evidenceId: 'obs', method: 'O', byPolicy: false } });
  });

  it('accepts oral questioning for any knowledge statement', () => {
    const v = evaluate(pcUnit, [evidence({ method: 'Q', statements: ['k:1'] })]);
    expect(statement(v, 'k:1').status).toBe('met');
  });

  it('refuses inference for unit 310, whose knowledge element allows none', () => {
    const v = evaluate(unit310, [evidence({ method: 'O', statements: ['310.4.4'] })]);
    expect(statement(v, '310.4.4').status).toBe('not-met');
  });

  it('refuses inference the unit allows when the centre policy forbids it', () => {
    const v = evaluate(pcUnit, [evidence({ id: 'obs', method: 'O', statements: ['k:4'] })], { allowKnowledgeInference: false });
    expect(statement(v, 'k:4').status).toBe('not-met');
    expect(statement(v, 'k:4').reasons).toContainEqual({ code: 'knowledge_inference_not_allowed', params: { evidenceId: 'obs', method: 'O', byPolicy: true } });
  });
});

describe('methods-allowed rule', () => {
  const unit: Unit = {
    ...qcfUnit,
    id: 'methods-test',
    assessmentRules: [{ kind: 'methods-allowed', statements: ['1.1', '1.2'], methods: ['O', 'PE'], basis: 'test' }],
  };
  it.each([
    { method: 'O', status: 'met' },
    { method: 'PE', status: 'met' },
    { method: 'WT', status: 'not-met' },
  ] as const)('rates 1.1 $status when evidenced by $method', ({ method, status }) => {
    const v = evaluateUnit(unit, facts(unit, [evidence({ method, statements: ['1.1'] })]), { asOf: AS_OF });
    expect(statement(v, '1.1').status).toBe(status);
  });
  it('reports the rule not yet met while one listed statement lacks an allowed method', () => {
    const v = evaluateUnit(unit, facts(unit, [evidence({ method: 'O', statements: ['1.1'] }), evidence({ method: 'WT', statements: ['1.2'] })]), { asOf: AS_OF });
    expect(rule(v, 'methods-allowed')).toMatchObject({ status: 'partly-met', reasons: [{ code: 'statements_not_met', params: { refs: ['1.2'] } }] });
  });
});

describe('evidence currency and dates', () => {
  it.each([
    { age: 1094, status: 'met' },
    { age: 1095, status: 'met' },
    { age: 1096, status: 'not-met' },
  ])('rates evidence $age days old $status against the default 1095-day currency', ({ age, status }) => {
    const v = evaluate(unit310, [evidence({ id: 'old', statements: ['310.1.1'], date: addDays(AS_OF, -age) })]);
    expect(statement(v, '310.1.1').status).toBe(status);
    if (status === 'not-met') expect(statement(v, '310.1.1').reasons).toContainEqual({ code: 'evidence_not_current', params: { evidenceId: 'old', ageDays: age, maxAgeDays: 1095 } });
  });

  it('ignores evidence dated after the evaluation date', () => {
    const v = evaluate(unit310, [evidence({ id: 'future', statements: ['310.1.1'], date: addDays(AS_OF, 1) })]);
    expect(statement(v, '310.1.1').status).toBe('not-met');
    expect(codes(v.reasons)).toContain('evidence_dated_after_as_of');
  });

  it('does not count referred evidence', () => {
    const v = evaluate(unit310, [evidence({ id: 'ref', decision: 'referred', statements: ['310.1.1'] })]);
    expect(statement(v, '310.1.1')).toMatchObject({ status: 'not-met', reasons: [{ code: 'evidence_referred', params: { evidenceId: 'ref' } }] });
  });

  it('reports a mapping to a reference the unit does not have', () => {
    const v = evaluate(unit310, [evidence({ id: 'typo', statements: ['310.9.9'] })]);
    expect(v.reasons).toContainEqual({ code: 'unknown_target', params: { evidenceId: 'typo', target: 'statement', ref: '310.9.9' } });
  });

  it('does not guess which statement an ambiguous bare ref means', () => {
    const v = evaluate(pcUnit, [evidence({ statements: ['3'] })]);
    expect(codes(v.reasons)).toEqual(['unknown_target']);
  });
});

describe('overall state and the sign-off chain', () => {
  const ready = (unit: Unit) => completeEvidence(unit);

  it('is not started without any evidence', () => {
    expect(evaluate(unit310, []).state).toBe('not-started');
  });

  it('is in progress with some evidence', () => {
    expect(evaluate(unit310, [evidence({ statements: ['310.1.1'] })]).state).toBe('in-progress');
  });

  it.each(['cs-310', 'cs-pc-resolve-problems', 'qcf2-resolve-problems', 'ocr-354', 'nvq2-cs-101', 'nvq2-cs-209'])('is ready for sign-off when %s is completely evidenced', (id) => {
    const unit = getSeedUnit(id);
    const v = evaluate(unit, ready(unit));
    expect(v.rules.filter((r) => r.status !== 'met')).toEqual([]);
    expect(v.state).toBe('ready-for-sign-off');
  });

  it('is signed off when the candidate and assessor have signed unit 310', () => {
    const v = evaluateUnit(unit310, facts(unit310, ready(unit310), { signatures: [{ role: 'candidate', signerId: 'cand', date: '2026-03-01' }, { role: 'assessor', signerId: 'ass', date: '2026-03-02' }] }), { asOf: AS_OF });
    expect(v.state).toBe('signed-off');
    expect(v.signOff.map((s) => s.status)).toEqual(['signed', 'signed', 'not-required', 'not-required', 'not-required', 'not-required']);
  });

  it('waits for the countersignature when the assessor needs one', () => {
    const v = evaluateUnit(unit310, facts(unit310, ready(unit310), { countersignaturesRequired: ['assessor'], signatures: [{ role: 'candidate', signerId: 'c', date: '2026-03-01' }, { role: 'assessor', signerId: 'a', date: '2026-03-02' }] }), { asOf: AS_OF });
    expect(v.state).toBe('ready-for-sign-off');
    expect(v.signOff[2]).toMatchObject({ role: 'assessor-countersignature', status: 'awaiting' });
  });

  it('is verified once a sampling internal verifier has signed', () => {
    const signatures = [
      { role: 'candidate' as const, signerId: 'c', date: '2026-03-01' },
      { role: 'assessor' as const, signerId: 'a', date: '2026-03-02' },
      { role: 'internal-verifier' as const, signerId: 'iv', date: '2026-03-05' },
    ];
    const v = evaluateUnit(unit310, facts(unit310, ready(unit310), { sampledBy: ['internal-verifier'], signatures }), { asOf: AS_OF });
    expect(v.state).toBe('verified');
  });

  it('ignores a signature dated after the evaluation date', () => {
    const v = evaluateUnit(unit310, facts(unit310, ready(unit310), { signatures: [{ role: 'candidate', signerId: 'c', date: '2026-03-01' }, { role: 'assessor', signerId: 'a', date: '2026-04-01' }] }), { asOf: AS_OF });
    expect(v.state).toBe('ready-for-sign-off');
    expect(codes(v.reasons)).toContain('signature_dated_after_as_of');
  });

  it('reports a signature given before every requirement was met', () => {
    const v = evaluateUnit(unit310, facts(unit310, [evidence({ statements: ['310.1.1'] })], { signatures: [{ role: 'assessor', signerId: 'a', date: '2026-03-01' }] }), { asOf: AS_OF });
    expect(v.state).toBe('in-progress');
    expect(v.reasons).toContainEqual({ code: 'signed_before_requirements_met', params: { roles: ['assessor'] } });
  });

  it('still asks for the assessor when a form prints no sign-off block', () => {
    const unit: Unit = { ...getSeedUnit('nvq2-cs-213'), id: 'lost-sign-off', signOff: [] };
    const v = evaluate(unit, ready(unit));
    expect(v.signOff[0]).toMatchObject({ role: 'assessor', status: 'awaiting', reasons: [{ code: 'signature_missing' }, { code: 'assessor_step_assumed' }] });
  });
});

function addDays(iso: string, days: number): string {
  // Test-side helper; the engine itself never touches Date.
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
