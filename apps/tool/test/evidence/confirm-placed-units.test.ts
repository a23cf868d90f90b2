import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConnection } from '../../src/db/index.ts';
import type { LaunchContext } from '../../src/domain/ports.ts';
import { confirmPlacedUnits, RECHECK_OFFERS_AFTER_MS } from '../../src/evidence/confirm-placed-units.ts';
import { recordPlacedUnits } from '../../src/evidence/record-placed-units.ts';
import type { CourseLineItem, CourseLineItemsReader } from '../../src/lti/ags-line-items-reader.ts';
import { findCourseUnitIds } from '../../src/portfolio/find-course-units.ts';
import { backends, openTestDatabase } from '../support/index.ts';
import { aLaunch, anInstructorLaunch } from '../support/test-lti-adapter.ts';

/** The LMS side: what the course's line items container answers, and how often it was asked. */
function lineItemsOfCourse(items: CourseLineItem[]): CourseLineItemsReader & { calls: number } {
  const reader = Object.assign(async () => {
    reader.calls += 1;
    return { ok: true as const, items };
  }, { calls: 0 });
  return reader;
}

describe.each(backends)('placed units confirmed by the LMS on %s', (backend) => {
  let connection: DatabaseConnection;
  beforeAll(async () => {
    connection = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await connection.close();
  });

  function aCourse() {
    const contextId = `course-${randomUUID()}`;
    const teacher = anInstructorLaunch({ contextId, messageType: 'LtiDeepLinkingRequest' });
    const learner = (overrides: Partial<LaunchContext> = {}) => aLaunch({ contextId, unitId: 'unit-other', lineItemsUrl: 'https://lms.example/lineitems', ...overrides });
    const { issuer, clientId, deploymentId, userId } = learner();
    const listed = async () => [...(await findCourseUnitIds(connection.db, { issuer, clientId, deploymentId, contextId, learnerUserId: userId }))].sort();
    return { teacher, learner, listed };
  }

  it('lists an offered unit only once the course’s line items carry its resourceId and Attest’s tag', async () => {
    const { teacher, learner, listed } = aCourse();
    await recordPlacedUnits(connection.db, teacher, ['unit-a', 'unit-b']);
    expect(await listed()).toEqual([]);
    const lms = lineItemsOfCourse([
      { resourceId: 'unit-a', tag: 'attest-unit' },
      { resourceId: 'unit-b', tag: 'someone-else' },
    ]);
    const outcome = await confirmPlacedUnits({ db: connection.db, readCourseLineItems: lms }, learner());
    expect(outcome).toEqual({ confirmed: ['unit-a'], failure: null });
    expect(await listed()).toEqual(['unit-a']);
  });

  it('confirms an offer when a launch of its activity names the unit, without asking the LMS', async () => {
    const { teacher, learner, listed } = aCourse();
    await recordPlacedUnits(connection.db, teacher, ['unit-a']);
    const lms = lineItemsOfCourse([]);
    expect((await confirmPlacedUnits({ db: connection.db, readCourseLineItems: lms }, learner({ unitId: 'unit-a' }))).confirmed).toEqual(['unit-a']);
    expect(lms.calls).toBe(0);
    expect(await listed()).toEqual(['unit-a']);
  });

  it('keeps a cancelled offer unlisted and asks the LMS about it at most once a minute', async () => {
    const { teacher, learner, listed } = aCourse();
    await recordPlacedUnits(connection.db, teacher, ['unit-a']);
    const lms = lineItemsOfCourse([]);
    const at = (ms: number) => () => new Date(Date.UTC(2026, 11, 4, 12) + ms);
    await confirmPlacedUnits({ db: connection.db, readCourseLineItems: lms, now: at(0) }, learner());
    await confirmPlacedUnits({ db: connection.db, readCourseLineItems: lms, now: at(RECHECK_OFFERS_AFTER_MS - 1) }, learner());
    expect(lms.calls).toBe(1);
    await confirmPlacedUnits({ db: connection.db, readCourseLineItems: lms, now: at(RECHECK_OFFERS_AFTER_MS + 1) }, learner());
    expect(lms.calls).toBe(2);
    expect(await listed()).toEqual([]);
  });

  it('leaves offers as they are when the LMS refuses the read, and reports why', async () => {
    const { teacher, learner, listed } = aCourse();
    await recordPlacedUnits(connection.db, teacher, ['unit-a']);
    const refusing: CourseLineItemsReader = async () => ({ ok: false, message: 'the platform granted no line item scope' });
    expect(await confirmPlacedUnits({ db: connection.db, readCourseLineItems: refusing }, learner())).toEqual({ confirmed: [], failure: 'the platform granted no line item scope' });
    expect(await listed()).toEqual([]);
  });

  it('does not ask the LMS when no offer waits in the course', async () => {
    const { learner } = aCourse();
    const lms = lineItemsOfCourse([{ resourceId: 'unit-a', tag: 'attest-unit' }]);
    expect(await confirmPlacedUnits({ db: connection.db, readCourseLineItems: lms }, learner())).toEqual({ confirmed: [], failure: null });
    expect(lms.calls).toBe(0);
  });
});
