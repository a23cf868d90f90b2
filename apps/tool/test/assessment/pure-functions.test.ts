import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluateUnit } from '@attest/standards';
import type { ReportChecks } from '@attest/contracts';
import type { LaunchContext, RosterMember } from '../../src/domain/ports.ts';
import { canonicalJson, digestOf } from '../../src/assessment/index.ts';
import { toSignOffGate } from '../../src/portfolio/to-sign-off-gate.ts';
import { createRosterCache, isLearnerOfCourse } from '../../src/assessment/roster-cache.ts';
import { competentReport, unitS } from './assessment-fixture.ts';

// The assessor's pure parts: canonical JSON for digests, the sign-off gate over a verdict, and the
// roster cache's timing. No database, no HTTP.

describe('canonical JSON and digests', () => {
  it('writes the same bytes for the same content whatever the key order, keeping array order and dropping undefined', () => {
    expect(canonicalJson({ b: [2, { d: 4, c: 3 }], a: 1, z: undefined })).toBe('{"a":1,"b":[2,{"c":3,"d":4}]}');
    expect(canonicalJson({ a: 1, b: [2, { c: 3, d: 4 }] })).toBe(canonicalJson({ b: [2, { d: 4, c: 3 }], a: 1 }));
    expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]));
    expect(canonicalJson({ text: 'PC “4”\n' })).toBe('{"text":"PC “4”\\n"}');
  });

  it('digests the canonical JSON with SHA-256, so one changed character changes the digest', () => {
    expect(digestOf({ b: 2, a: 1 })).toBe(createHash('sha256').update('{"a":1,"b":2}').digest('hex'));
    expect(digestOf({ observed: 'Greeted the customer.' })).not.toBe(digestOf({ observed: 'Greeted the customer!' }));
  });
});

describe('the sign-off gate', () => {
  const accepted = (id: string, method: 'PE' | 'O' | 'Q' | 'WT', ref: string) => ({ id, method, authorId: 'a', date: '2026-11-02', workSetting: 'real-job' as const, mappings: [{ target: 'statement' as const, ref, decision: 'accepted' as const }] });
  const allMet = evaluateUnit(unitS, { unitId: 'unit-s', evidence: [accepted('e1', 'PE', '1.1'), accepted('e2', 'O', '1.2'), accepted('e3', 'Q', 'K1')] }, { asOf: '2026-11-20' });

  it('opens when the rules are met, the candidate has declared and the report agrees', () => {
    expect(allMet.isReadyForSignOff).toBe(true);
    expect(toSignOffGate(allMet, { hasCandidateDeclaration: true, report: competentReport })).toEqual({ isOpen: true, blocking: [] });
  });

  it('names the rule in plain English when PC 1.2 has only witness testimony', () => {
    const verdict = evaluateUnit(unitS, { unitId: 'unit-s', evidence: [accepted('e1', 'PE', '1.1'), accepted('e2', 'WT', '1.2'), accepted('e3', 'Q', 'K1')] }, { asOf: '2026-11-20' });
    const gate = toSignOffGate(verdict, { hasCandidateDeclaration: true, report: competentReport });
    expect(gate.isOpen).toBe(false);
    expect(gate.blocking).toContainEqual({ where: 'statement', ref: '1.2', code: 'observation_required', message: '1.2 must be directly observed by the assessor; so far it is evidenced only by WT.' });
  });

  it('stays shut for a missing declaration or report, a not-yet-competent outcome, and each report check answered the wrong way', () => {
    expect(toSignOffGate(allMet, { hasCandidateDeclaration: false, report: competentReport }).blocking.map((b) => b.code)).toEqual(['candidate_declaration_missing']);
    expect(toSignOffGate(allMet, { hasCandidateDeclaration: true, report: null }).blocking.map((b) => b.code)).toEqual(['report_missing']);
    expect(toSignOffGate(allMet, { hasCandidateDeclaration: true, report: { ...competentReport, outcome: 'not-yet-competent' } }).blocking.map((b) => b.code)).toEqual(['report_not_competent']);
    for (const key of Object.keys(competentReport.checks) as (keyof ReportChecks)[]) {
      const checks = { ...competentReport.checks, [key]: !competentReport.checks[key] };
      const gate = toSignOffGate(allMet, { hasCandidateDeclaration: true, report: { ...competentReport, checks } });
      expect(gate.isOpen).toBe(false);
      expect(gate.blocking).toHaveLength(1);
      expect(gate.blocking[0]?.message).toMatch(/^The assessment report answers “.+\?” with (yes|no)\.$/);
    }
  });
});

describe('the roster cache', () => {
  const launch = { issuer: 'https://lms', clientId: 'c', deploymentId: 'd', contextId: 'course-1', membershipsUrl: 'https://lms/nrps' } as unknown as LaunchContext;
  const member = (userId: string, role = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner', status: string | null = 'Active'): RosterMember => ({ userId, name: userId, email: null, roles: [role], status });

  it('asks the LMS once within the time to live, and again after it', async () => {
    let calls = 0;
    let clock = 0;
    const cache = createRosterCache({ membersOf: async () => (calls++, [member('l1')]) }, { ttlMs: 30_000, now: () => clock });
    await cache.learnersOf(launch);
    clock = 29_999;
    await cache.learnersOf(launch);
    expect(calls).toBe(1);
    clock = 30_000;
    await cache.learnersOf(launch);
    expect(calls).toBe(2);
  });

  it('lists only active learners, asks again before answering 404 for an id it does not know, and does not cache a failure', async () => {
    let roster = [member('l1'), member('t1', 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'), member('gone', undefined, 'Inactive')];
    let fail = true;
    const cache = createRosterCache({
      membersOf: async () => {
        if (fail) throw new Error('NRPS down');
        return roster;
      },
    });
    await expect(cache.learnersOf(launch)).rejects.toThrow('NRPS down');
    fail = false;
    expect((await cache.learnersOf(launch)).map((m) => m.userId)).toEqual(['l1']);
    roster = [...roster, member('new')];
    expect((await cache.getLearner(launch, 'new')).userId).toBe('new');
    await expect(cache.getLearner(launch, 't1')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('takes a member’s role from their latest launch in the course where there is one, from the roster otherwise', async () => {
    const instructor = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'];
    const learner = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'];
    // Moodle's NRPS lists a non-editing teacher as a Learner; their launches say Instructor.
    const roster = [member('lee'), member('nina-non-editing-teacher'), member('priya-not-launched-yet'), member('sam-inactive', undefined, 'Inactive')];
    const launched = new Map([['lee', learner], ['nina-non-editing-teacher', instructor], ['sam-inactive', learner]].map(([userId, roles]) => [userId as string, { roles: roles as string[], name: null, email: null }]));
    const cache = createRosterCache({ membersOf: async () => roster }, { launchedMembers: async () => launched });
    expect((await cache.learnersOf(launch)).map((m) => m.userId)).toEqual(['lee', 'priya-not-launched-yet']);
    await expect(cache.getLearner(launch, 'nina-non-editing-teacher')).rejects.toMatchObject({ code: 'not_found' });
    expect(isLearnerOfCourse(member('x', instructor[0]), learner)).toBe(true);
  });

  it('lists the learners who have launched, never asking the LMS, where the course’s LMS shares no roster', async () => {
    const learner = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'];
    const instructor = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'];
    let asked = 0;
    const launched = new Map([
      ['lee', { roles: learner, name: 'Lee Learner', email: null }],
      ['ida', { roles: instructor, name: 'Ida Instructor', email: null }],
    ]);
    const cache = createRosterCache({ membersOf: async () => (asked++, []) }, { launchedMembers: async () => launched });
    const withoutRoster = { ...launch, membershipsUrl: null } as LaunchContext;
    expect(await cache.learnersOf(withoutRoster)).toEqual([{ userId: 'lee', name: 'Lee Learner', email: null, roles: learner, status: null }]);
    expect((await cache.getLearner(withoutRoster, 'lee')).name).toBe('Lee Learner');
    await expect(cache.getLearner(withoutRoster, 'ida')).rejects.toMatchObject({ code: 'not_found' });
    expect(asked).toBe(0);
  });
});
