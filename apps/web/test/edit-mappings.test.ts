import { describe, expect, it } from 'vitest';
import { UpdateMappingsRequestSchema } from '@attest/contracts';
import { hasTarget, setTarget, targetsOf, toMappingsRequest, withTargets } from '../src/portfolio/edit-mappings.ts';
import { makeItem, mapping } from './portfolio-factories.ts';

const pc1 = { unitId: 'nvq2-cs-209', target: 'statement', ref: '209.1.1' } as const;
const otherUnit = { unitId: 'nvq2-cs-210', target: 'statement', ref: '210.1.1' } as const;

describe('mapping edits', () => {
  it('adds a target once however often it is ticked, and removes it when unticked', () => {
    const twice = setTarget(setTarget([], pc1, true), pc1, true);
    expect(twice).toEqual([pc1]);
    expect(setTarget(twice, pc1, false)).toEqual([]);
  });

  it('tells targets of different units apart even when refs match', () => {
    const sameRef = { ...pc1, unitId: 'nvq2-cs-210' };
    expect(hasTarget([pc1], sameRef)).toBe(false);
    expect(setTarget([pc1], sameRef, true)).toHaveLength(2);
  });

  it('keeps the decision and feedback of unchanged mappings and makes new ones pending under the item’s method', () => {
    const item = makeItem({ method: 'WT', mappings: [mapping('209.1.1', { decision: 'accepted', feedback: 'Good', method: 'WT' })] });
    const next = withTargets(item, setTarget(targetsOf(item), otherUnit, true));
    expect(next.mappings).toEqual([
      { ...pc1, decision: 'accepted', feedback: 'Good', method: 'WT' },
      { ...otherUnit, decision: 'pending', feedback: null, method: 'WT' },
    ]);
  });

  it('builds a request the contract accepts, with the base version and bare targets', () => {
    const request = toMappingsRequest(4, [pc1, otherUnit]);
    expect(UpdateMappingsRequestSchema.parse(request)).toEqual({ baseVersion: 4, mappings: [pc1, otherUnit] });
  });
});
