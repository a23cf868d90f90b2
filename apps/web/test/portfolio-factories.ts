import { EvidenceItemSchema, PortfolioSchema, type EvidenceItem, type Portfolio } from '@attest/contracts';
import { evaluateUnit, UnitSchema, type Unit } from '@attest/standards';
import { toPortfolioFacts } from '../src/portfolio/preview-verdict.ts';

export const AS_OF = '2026-05-20';

/**
 * A unit with everything a recording form has: two elements, a bare ref printed twice (so it is
 * keyed pc:3 / k:3), a scope group, evidence requirements with lettered items, and a rule that
 * PC 209.1.2 must be observed.
 */
export function makeUnit(overrides: Partial<Unit> = {}): Unit {
  return UnitSchema.parse({
    id: 'nvq2-cs-209',
    qualification: 'nvq2-customer-service',
    awardingBody: null,
    codes: ['209'],
    title: 'Deal with customers by telephone',
    level: 2,
    creditValue: null,
    guidedLearningHours: null,
    purpose: 'This unit is about telephone calls.',
    version: null,
    format: 'recording-form',
    source: { document: 'seed.txt', section: 'Appendix 1' },
    groups: [
      { ref: '209.1', title: 'Answer calls', kind: 'element', statements: [{ ref: '209.1.1', kind: 'performance-criterion', text: 'operate the telephone equipment' }, { ref: '209.1.2', kind: 'performance-criterion', text: 'keep your customer informed' }, { ref: '3', kind: 'performance-criterion', text: 'greet the caller' }] },
      { ref: '209.2', title: null, kind: 'knowledge', statements: [{ ref: '3', kind: 'knowledge', text: 'why greetings matter' }] },
    ],
    scope: [{ ref: '2', title: 'Customers', items: [{ ref: 'a', text: 'internal customers' }, { ref: 'b', text: 'external customers' }] }],
    evidenceRequirements: [{ ref: '4', text: 'Calls on different occasions', items: [{ ref: 'a', text: 'a complaint' }] }],
    assessmentRules: [{ kind: 'observation-required', statements: ['209.1.2'], basis: 'PC 209.1.2 must be observed.' }],
    signOff: [{ role: 'assessor' }],
    ...overrides,
  });
}

let counter = 0;

export function makeItem(overrides: Partial<EvidenceItem> = {}): EvidenceItem {
  counter += 1;
  return EvidenceItemSchema.parse({
    id: `item-${counter}`,
    title: `Evidence ${counter}`,
    description: '',
    evidenceType: 'work-product',
    activityDate: '2026-05-01',
    customerRef: null,
    occasionRef: null,
    workSetting: 'real-job',
    version: 1,
    state: 'draft',
    method: 'PE',
    files: [],
    mappings: [],
    feedback: [],
    submittedAt: null,
    createdAt: '2026-05-01T10:00:00Z',
    updatedAt: '2026-05-01T10:00:00Z',
    ...overrides,
  });
}

export function mapping(ref: string, overrides: Partial<EvidenceItem['mappings'][number]> = {}): EvidenceItem['mappings'][number] {
  return { unitId: 'nvq2-cs-209', target: 'statement', ref, decision: 'pending', feedback: null, method: 'PE', ...overrides };
}

/** A portfolio whose verdict the real engine computed from its items, as the server does. */
export function makePortfolio(unit: Unit, items: EvidenceItem[], overrides: Partial<Portfolio> = {}): Portfolio {
  return PortfolioSchema.parse({
    unitId: unit.id,
    units: [{ unitId: unit.id, title: unit.title, codes: unit.codes }],
    items,
    verdict: evaluateUnit(unit, toPortfolioFacts(unit, items), { asOf: AS_OF }),
    signedOff: null,
    signedUnits: [],
    unitFeedback: [],
    nextStep: { audience: 'learner', code: 'add-evidence', count: 3 },
    usage: { bytesUsed: 0, bytesLimit: 500 * 1024 * 1024, bytesLeft: 500 * 1024 * 1024, itemsUsed: items.length, itemsLimit: 200, itemsLeft: 200 - items.length },
    ...overrides,
  });
}

/** Markup as the text a screen reader would read, roughly. */
export const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/\s+/g, ' ').trim();
