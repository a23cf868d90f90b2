import type { Unit } from '@attest/standards';
import { catalogueFromUnits } from '../../src/catalogue/catalogue-source.ts';
import type { CatalogueSource } from '../../src/catalogue/catalogue-source.ts';

/** A small unit with defaults, shaped as the standards package's UnitSchema; override what a test is about. */
export function aUnit(overrides: Partial<Unit> = {}): Unit {
  return {
    id: 'test-unit-101',
    qualification: 'test-qualification',
    awardingBody: 'Test Awarding Body',
    codes: ['101'],
    title: 'Give customers a positive impression',
    level: 2,
    creditValue: 5,
    guidedLearningHours: null,
    purpose: null,
    version: null,
    format: 'performance-criteria',
    source: { document: 'Test standards', section: 'Unit 101' },
    groups: [
      {
        ref: '1',
        title: 'Establish rapport',
        kind: 'element',
        statements: [
          { ref: '1.1', kind: 'performance-criterion', text: 'Meet the customer’s expectations for your behaviour and appearance.' },
          { ref: '1.2', kind: 'performance-criterion', text: 'Respond promptly to a customer seeking help.' },
        ],
      },
      { ref: null, title: 'Knowledge', kind: 'knowledge', statements: [{ ref: 'K1', kind: 'knowledge', text: 'Why first impressions matter.' }] },
    ],
    scope: [],
    evidenceRequirements: [],
    assessmentRules: [],
    signOff: [],
    ...overrides,
  };
}

export function testCatalogue(units: readonly Unit[] = [aUnit(), aUnit({ id: 'test-unit-102', codes: ['102'], title: 'Deal with customer problems' })]): CatalogueSource {
  return catalogueFromUnits(units);
}
