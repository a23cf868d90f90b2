import { describe, expect, it } from 'vitest';
import { REASON_CODES, renderReason, type Reason } from '../src/index.ts';

const sampleParams: Record<string, Reason['params']> = {
  evidence_accepted: { count: 2, evidenceIds: ['ev-1', 'ev-2'], methods: ['O'] },
  observation_required: { ref: 'pc:4', methods: ['WT'] },
  scope_observed_count: { observed: 1, required: 2, items: ['a'] },
  distinct_occasions: { count: 1, required: 2 },
  evidence_not_current: { evidenceId: 'ev-9', ageDays: 1200, maxAgeDays: 1095 },
  signed_before_requirements_met: { roles: ['assessor', 'candidate'] },
};
const generic = { evidenceId: 'ev-1', method: 'O', allowed: ['O'], ref: 'x', target: 'statement', role: 'assessor', date: '2026-01-01', count: 1, required: 2, days: 3, missing: ['4.e'], covered: 3, total: 4, refs: ['1.1'], kinds: ['work-setting'], rules: ['0'], workSetting: 'simulation', byPolicy: false, evidenceIds: ['ev-1'], observed: 1, items: [], roles: ['assessor'], ageDays: 1, maxAgeDays: 2, methods: ['O'] };

describe('renderReason', () => {
  it.each([...REASON_CODES])('words %s in plain English without leaking placeholders', (code) => {
    const text = renderReason({ code, params: sampleParams[code] ?? generic });
    expect(text.length).toBeGreaterThan(10);
    expect(text).not.toMatch(/undefined|\[object|NaN/);
  });

  it('says which PC needs observation and what evidences it so far', () => {
    expect(renderReason({ code: 'observation_required', params: { ref: 'pc:4', methods: ['WT'] } })).toBe('pc:4 must be directly observed by the assessor; so far it is evidenced only by WT.');
  });

  it('says when a PC that must be observed has no accepted evidence at all', () => {
    expect(renderReason({ code: 'observation_required', params: { ref: 'pc:3', methods: [] } })).toBe('pc:3 must be directly observed by the assessor; it has no accepted evidence yet.');
  });

  it('gives the count against the threshold for "two from a–d"', () => {
    expect(renderReason({ code: 'scope_observed_count', params: { observed: 1, required: 2, items: ['a'] } })).toBe('1 of 2 required scope items directly observed (a).');
  });

  it('names roles in words', () => {
    expect(renderReason({ code: 'signature_missing', params: { role: 'internal-verifier-countersignature' } })).toBe('Waiting for the countersigning internal verifier’s signature.');
  });
});
