import { get } from 'node:http';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEmulatorSnapshot, startPlatformEmulator, type PlatformEmulator } from '../src/index.ts';
import { accessToken, setUpCourse } from './course-fixture.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';

// The demo saves its emulator on stop and starts it again from the file (npm start without
// --fresh), so the course a newcomer worked in, and the tool's registration, outlive a restart.

const scoreType = 'application/vnd.ims.lis.v1.score+json';
const open: PlatformEmulator[] = [];
let fake: FakeTool | null = null;

afterEach(async () => {
  for (const lms of open.splice(0)) await lms.close().catch(() => {});
  await fake?.close();
  fake = null;
});

async function start(options: Parameters<typeof startPlatformEmulator>[0]): Promise<PlatformEmulator> {
  const lms = await startPlatformEmulator(options);
  open.push(lms);
  return lms;
}

/**
 * GET on a connection of its own. fetch would reuse the kept-alive connection to the emulator that
 * listened on this port before the restart, and fail ("other side closed") when it finds it gone.
 */
function getJsonOnNewConnection(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

/** Closes the emulator and returns its port, so the restored one can listen at the same URL. */
async function stop(lms: PlatformEmulator): Promise<number> {
  open.splice(open.indexOf(lms), 1);
  await lms.close();
  return Number(new URL(lms.url).port);
}

describe.each(['moodle', 'canvas'] as const)('a saved %s emulator', (mode) => {
  it('starts again with its tools, courses, people, activities and grades, its signing key, and numbers new records after the old ones', async () => {
    fake = await startFakeTool();
    const first = await start({ mode });
    const course = setUpCourse(first, fake);
    const token = await accessToken(first, fake, course.tool.clientId, ['https://purl.imsglobal.org/spec/lti-ags/scope/score']);
    // AGS §3.4: the scores URL is the line item URL with /scores appended to its path.
    const scores = new URL(course.link.lineItemId ?? '');
    scores.pathname += '/scores';
    const posted = await fetch(scores, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': scoreType },
      body: JSON.stringify({ userId: course.learnerId, scoreGiven: 7, scoreMaximum: 10, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: '2026-12-04T10:00:00Z' }),
    });
    expect(posted.status).toBe(200);
    const before = { tools: first.listTools(), links: first.getResourceLinks(course.courseId), items: first.getLineItems(course.courseId), gradebook: first.getGradebook(course.courseId) };
    expect(before.gradebook).toHaveLength(1);

    // Saved as JSON, as the demo writes it to its data directory.
    const saved = parseEmulatorSnapshot(JSON.parse(JSON.stringify(await first.snapshot())));
    const port = await stop(first);
    const again = await start({ mode, port, restore: saved });

    expect(again.url).toBe(first.url);
    expect(again.issuer).toBe(first.issuer);
    expect(again.kid).toBe(first.kid);
    expect({ tools: again.listTools(), links: again.getResourceLinks(course.courseId), items: again.getLineItems(course.courseId), gradebook: again.getGradebook(course.courseId) }).toEqual(before);
    // A token signed after the restart verifies with the JWKS the platform publishes.
    const jwks = (await getJsonOnNewConnection(again.jwksUrl)) as { keys: [] };
    const idToken = await again.signIdToken({ iss: again.issuer, aud: course.tool.clientId, sub: course.learnerId, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 });
    await expect(jwtVerify(idToken, createLocalJWKSet(jwks), { issuer: again.issuer })).resolves.toBeTruthy();
    // New records do not reuse an id the tool may already hold.
    const newCourse = again.createCourse({ title: 'Next term' });
    expect(newCourse.id).not.toBe(course.courseId);
    const newUser = again.createUser({ name: 'New Learner' });
    expect([course.learnerId, course.instructorId, course.assistantId]).not.toContain(newUser.id);
  });

  it('refuses to start from a snapshot at another URL or in the other mode, and leaves the port free', async () => {
    const first = await start({ mode });
    first.createCourse({ title: 'Kept' });
    const saved = await first.snapshot();
    await stop(first);

    await expect(start({ mode, port: 0, restore: saved })).rejects.toThrow(`the saved emulator ran at ${saved.url}`);
    const other = mode === 'moodle' ? 'canvas' : 'moodle';
    await expect(start({ mode: other, restore: saved })).rejects.toThrow(`the saved emulator ran in ${mode} mode, not ${other}`);
    // The refused start closed what it had opened: the saved URL's port can be taken again.
    const again = await start({ mode, port: Number(new URL(saved.url).port), restore: saved });
    expect(again.url).toBe(saved.url);
  });
});

describe('reading a saved emulator', () => {
  it('refuses what is not a snapshot, naming the first thing wrong', () => {
    expect(() => parseEmulatorSnapshot({ format: 'something-else' })).toThrow(/not a saved emulator \(version 1\): format/);
    expect(() => parseEmulatorSnapshot(null)).toThrow(/not a saved emulator/);
  });
});
