import { describe, expect, it } from 'vitest';
import { evaluateUnit, toPortfolioFacts } from '../src/index.ts';
import type { EvidenceFactsSource, Unit } from '../src/index.ts';

// The one place stored evidence becomes the engine's facts, for the tool server and the browser
// alike. Pure: no database, no clock. (Moved here from the tool's tests with its assertions.)

/** The tool's test unit "unit-a" (apps/tool/test/evidence/portfolio-fixture.ts), written out in full. */
const unitA: Unit = {
  id: 'unit-a',
  qualification: 'test-qualification',
  awardingBody: 'Test Awarding Body',
  codes: ['A1'],
  title: 'Give customers a positive impression',
  level: 2,
  creditValue: 5,
  guidedLearningHours: null,
  purpose: null,
  version: null,
  format: 'performance-criteria',
  source: { document: 'Test standards', section: 'Unit A1' },
  groups: [
    {
      ref: '1',
      title: 'Establish rapport',
      kind: 'element',
      statements: [
        { ref: '1', kind: 'performance-criterion', text: 'Greet customers promptly.' },
        { ref: '2', kind: 'performance-criterion', text: 'Identify what the customer needs.' },
        { ref: '3', kind: 'performance-criterion', text: 'Keep the customer informed.' },
      ],
    },
    { ref: null, title: 'Knowledge', kind: 'knowledge', statements: [{ ref: '3', kind: 'knowledge', text: 'Why keeping customers informed matters.' }] },
  ],
  scope: [{ ref: '2', title: 'Customers', note: null, items: [{ ref: 'a', text: 'internal' }, { ref: 'b', text: 'external' }] }],
  evidenceRequirements: [{ ref: '4', text: 'Deal with problems of these kinds', items: [{ ref: 'a', text: 'a complaint' }] }],
  assessmentRules: [],
  signOff: [],
};

const observedUnit: Unit = { ...unitA, assessmentRules: [{ kind: 'observation-required', statements: ['pc:3'], basis: 'PC 3 must be observed by the assessor.' }] };

function anItem(overrides: Partial<EvidenceFactsSource> = {}): EvidenceFactsSource {
  return {
    id: 'e1',
    method: 'PE',
    authorUserId: 'learner-1',
    authorRole: 'candidate',
    activityDate: '2026-11-02',
    customerRef: 'Mrs P',
    occasionRef: 'Saturday rush',
    workSetting: 'real-job',
    mappings: [{ unitId: 'unit-a', target: 'statement', ref: '1', decision: 'pending' }],
    ...overrides,
  };
}

describe('toPortfolioFacts', () => {
  it('keeps only the mappings to the unit asked about, and leaves out items with none', () => {
    const facts = toPortfolioFacts('unit-a', [
      anItem({ id: 'e1', mappings: [{ unitId: 'unit-a', target: 'statement', ref: '1', decision: 'accepted' }, { unitId: 'unit-b', target: 'statement', ref: '1.1', decision: 'pending' }] }),
      anItem({ id: 'e2', mappings: [{ unitId: 'unit-b', target: 'statement', ref: '1.2', decision: 'pending' }] }),
    ]);
    expect(facts.evidence.map((e) => [e.id, e.mappings])).toEqual([['e1', [{ target: 'statement', ref: '1', decision: 'accepted' }]]]);
  });

  it('carries who recorded the item, so an assessor’s observation meets an observation-only PC that product evidence cannot', () => {
    const observed = anItem({ id: 'o1', method: 'O', authorUserId: 'assessor-9', authorRole: 'assessor', mappings: [{ unitId: 'unit-a', target: 'statement', ref: 'pc:3', decision: 'accepted' }] });
    const [item] = toPortfolioFacts('unit-a', [observed]).evidence;
    expect(item).toMatchObject({ id: 'o1', method: 'O', authorId: 'assessor-9', authorRole: 'assessor', date: '2026-11-02', customerId: 'Mrs P', occasionId: 'Saturday rush', workSetting: 'real-job' });
    const verdict = evaluateUnit(observedUnit, toPortfolioFacts('unit-a', [observed]), { asOf: '2026-11-23' });
    expect(verdict.statements.find((s) => s.key === 'pc:3')).toMatchObject({ status: 'met', evidenceIds: ['o1'] });
    const product = anItem({ id: 'p1', mappings: [{ unitId: 'unit-a', target: 'statement', ref: 'pc:3', decision: 'accepted' }] });
    const withoutObservation = evaluateUnit(observedUnit, toPortfolioFacts('unit-a', [product]), { asOf: '2026-11-23' });
    expect(withoutObservation.statements.find((s) => s.key === 'pc:3')?.status).not.toBe('met');
    expect(withoutObservation.statements.find((s) => s.key === 'pc:3')?.reasons.map((r) => r.code)).toContain('observation_required');
  });

  it('passes signatures through for the sign-off chain', () => {
    const facts = toPortfolioFacts('unit-a', [], [{ role: 'assessor', signerId: 'assessor-9', date: '2026-11-20' }]);
    expect(facts.signatures).toEqual([{ role: 'assessor', signerId: 'assessor-9', date: '2026-11-20' }]);
    expect(facts.evidence).toEqual([]);
  });
});
