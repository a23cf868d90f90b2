import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../src/free-port.ts';
import { demoCourseTitle, formatDemoUrls, startDemo, type Demo } from '../src/start-demo.ts';

const dataDirs: string[] = [];
let demo: Demo | null = null;

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attest-demo-test-'));
  dataDirs.push(dir);
  return dir;
}

afterEach(async () => {
  await demo?.close();
  demo = null;
});

afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function printedUrls(text: string): string[] {
  return [...text.matchAll(/https?:\/\/\S+/g)].map((match) => match[0]);
}

describe('the demo wiring', () => {
  it('prints learner, assessor and gradebook URLs that answer, for a course holding the two units placed by deep linking', async () => {
    demo = await startDemo({ toolPort: 0, emulatorPort: 0, dataDir: newDataDir() });
    const printed = formatDemoUrls(demo);

    expect(demo.course.title).toBe(demoCourseTitle);
    expect(demo.emulator.getResourceLinks(demo.course.id).map((link) => ({ placedBy: link.placedBy, unit: link.custom['attest_unit'] }))).toEqual([
      { placedBy: 'deepLinking', unit: 'nvq2-cs-201' },
      { placedBy: 'deepLinking', unit: 'nvq2-cs-202' },
    ]);
    expect(demo.emulator.getLineItems(demo.course.id).map((item) => item.tag)).toEqual(['attest-unit', 'attest-unit']);

    const urls = printedUrls(printed);
    const course = `${demo.emulator.url}/course/${demo.course.id}`;
    // Three learners, one assessor page per activity, and the gradebook, each under a heading.
    expect(printed).toMatch(/launch as learner[\s\S]*launch as assessor[\s\S]*emulator gradebook/);
    expect(urls.filter((url) => url.startsWith(`${course}?`))).toHaveLength(5);
    expect(urls).toContain(`${course}/gradebook`);
    for (const url of urls.filter((candidate) => candidate.startsWith(course))) {
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
    }
    expect(printed).toContain(demo.tool.url);
    expect((await fetch(`${demo.tool.url}/healthz`)).status).toBe(200);
  });

  it('starts again on the same data directory, registering with the fresh emulator and dropping the stale registration', async () => {
    // A fixed emulator port for both starts, as `npm start` has: the issuer stays the same.
    const emulatorPort = await freePort('127.0.0.1');
    const dataDir = newDataDir();
    const first = await startDemo({ toolPort: 0, emulatorPort, dataDir });
    const firstClientId = first.clientId;
    await first.close();

    demo = await startDemo({ toolPort: 0, emulatorPort, dataDir });

    expect(demo.clientId).not.toBe(firstClientId);
    expect(demo.removedStaleRegistrations).toBe(1);
    const platforms = await demo.tool.lti.platforms.list();
    expect(platforms.map((platform) => ({ issuer: platform.issuer, clientId: platform.clientId, isActive: platform.isActive }))).toEqual([
      { issuer: demo.emulator.issuer, clientId: demo.clientId, isActive: true },
    ]);
    expect(demo.activities).toHaveLength(2);
  });
});
