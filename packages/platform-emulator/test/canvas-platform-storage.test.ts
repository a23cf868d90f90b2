// Canvas mode's cookie-less launch support (src/canvas/platform-storage.ts): the login initiation and
// the launch carry lti_storage_target, and the course page answers lti.capabilities, lti.put_data and
// lti.get_data by postMessage, directly and through the post_message_forwarding frame. Moodle mode
// sends and answers none of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { startPlatformEmulator, type PlatformEmulator } from '../src/index.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';
import { authParams, setUpCourse, startLogin, type CourseFixture } from './course-fixture.ts';
import { readForm } from './html-form.ts';

const chromiumPath = '/usr/bin/chromium';
// The browser's global inside evaluate(), typed where used: this package compiles without the DOM library.
declare const window: unknown;

interface Stack {
  lms: PlatformEmulator;
  fake: FakeTool;
  course: CourseFixture;
}

async function startStack(mode: 'canvas' | 'moodle'): Promise<Stack> {
  const lms = await startPlatformEmulator({ mode });
  const fake = await startFakeTool();
  const course = setUpCourse(lms, fake);
  fake.authorizationUrl = lms.authorizationUrl;
  fake.clientId = course.tool.clientId;
  return { lms, fake, course };
}

async function closeStack(stack: Stack | undefined): Promise<void> {
  await stack?.lms.close();
  await stack?.fake.close();
}

const launchUrlOf = ({ lms, course }: Stack) => lms.launchUrl({ courseId: course.courseId, userId: course.learnerId, resourceLinkId: course.link.id });

describe('the login initiation and launch (HTTP)', () => {
  let canvas: Stack;
  let moodle: Stack;
  beforeAll(async () => {
    canvas = await startStack('canvas');
    moodle = await startStack('moodle');
  });
  afterAll(async () => {
    await closeStack(canvas);
    await closeStack(moodle);
  });

  it('canvas mode sends lti_storage_target, canvas_region, canvas_environment and deployment_id with the login initiation', async () => {
    const login = await startLogin(launchUrlOf(canvas));
    expect(login.fields).toMatchObject({
      lti_storage_target: 'post_message_forwarding',
      canvas_region: 'not_configured',
      canvas_environment: 'prod',
      deployment_id: canvas.course.tool.deploymentId,
      lti_deployment_id: canvas.course.tool.deploymentId,
      client_id: canvas.course.tool.clientId,
    });
  });

  it('canvas mode repeats lti_storage_target in the id_token form_post', async () => {
    const login = await startLogin(launchUrlOf(canvas));
    const response = await fetch(`${canvas.lms.authorizationUrl}?${authParams(canvas.course.tool, canvas.fake, login.fields).toString()}`);
    const form = readForm(await response.text());
    expect(form.fields['id_token']).toBeTruthy();
    expect(form.fields['lti_storage_target']).toBe('post_message_forwarding');
  });

  it('moodle mode sends none of Canvas’s extra parameters', async () => {
    const login = await startLogin(launchUrlOf(moodle));
    for (const name of ['lti_storage_target', 'canvas_region', 'canvas_environment', 'deployment_id']) expect(login.fields).not.toHaveProperty(name);
    const response = await fetch(`${moodle.lms.authorizationUrl}?${authParams(moodle.course.tool, moodle.fake, login.fields).toString()}`);
    expect(readForm(await response.text()).fields).not.toHaveProperty('lti_storage_target');
  });

  it('canvas mode serves the forwarding frame page; moodle mode does not', async () => {
    expect((await fetch(`${canvas.lms.url}/lti/post_message_forwarding`)).status).toBe(200);
    expect((await fetch(`${moodle.lms.url}/lti/post_message_forwarding`)).status).toBe(404);
  });
});

type Reply = Record<string, unknown> & { subject?: string; error?: { code: string; message?: string } };

/**
 * Posts `message` from the tool's frame to the Canvas window ('_parent') or to the named sibling
 * frame, targeting `targetOrigin`, and resolves with the answer carrying the same message_id.
 */
function ask(frame: Frame, target: string, message: Record<string, unknown>, targetOrigin: string): Promise<Reply> {
  return frame.evaluate(
    ([target, message, targetOrigin]) =>
      new Promise<Reply>((resolve, reject) => {
        const w = window as unknown as {
          parent: { postMessage(m: unknown, o: string): void; frames: Record<string, { postMessage(m: unknown, o: string): void }> };
          addEventListener(type: string, listener: (event: { data: Reply; origin: string }) => void): void;
          setTimeout(fn: () => void, ms: number): void;
        };
        const id = String(message['message_id'] ?? Math.random());
        w.addEventListener('message', (event) => {
          if (event.data && event.data['message_id'] === id) resolve({ ...event.data, origin: event.origin });
        });
        w.setTimeout(() => reject(new Error('no answer')), 20_000);
        const recipient = target === '_parent' ? w.parent : w.parent.frames[target];
        if (!recipient) return reject(new Error(`no frame ${target}`));
        recipient.postMessage({ ...message, message_id: id }, targetOrigin);
      }),
    [target, message, targetOrigin] as const,
  );
}

describe('platform storage by postMessage in chromium', () => {
  let browser: Browser;
  let canvas: Stack;
  let moodle: Stack;
  let page: Page;
  let tool: Frame;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    canvas = await startStack('canvas');
    moodle = await startStack('moodle');
    page = await browser.newPage();
    await page.goto(canvas.lms.coursePageUrl({ courseId: canvas.course.courseId, userId: canvas.course.learnerId, resourceLinkId: canvas.course.link.id }));
    await page.frameLocator('#lti-frame').locator('#launched').waitFor({ timeout: 90_000 });
    const frame = page.frames().find((candidate) => candidate.url().startsWith(canvas.fake.url));
    if (!frame) throw new Error('the tool frame did not load');
    tool = frame;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await closeStack(canvas);
    await closeStack(moodle);
  });

  it('answers lti.capabilities from the Canvas window, naming the forwarding frame for get_data and put_data', async () => {
    const reply = await ask(tool, '_parent', { subject: 'lti.capabilities', message_id: 'caps-1' }, '*');
    expect(reply.subject).toBe('lti.capabilities.response');
    expect(reply.origin).toBe(canvas.lms.url);
    expect(reply['supported_messages']).toEqual(expect.arrayContaining([
      { subject: 'lti.put_data', frame: 'post_message_forwarding' },
      { subject: 'lti.get_data', frame: 'post_message_forwarding' },
      { subject: 'lti.capabilities' },
    ]));
  });

  it('stores and returns a value through the forwarding frame, answering with the .response shapes', async () => {
    const put = await ask(tool, 'post_message_forwarding', { subject: 'lti.put_data', key: 'state_abc', value: 'abc', message_id: 'put-1' }, canvas.lms.url);
    expect(put).toMatchObject({ subject: 'lti.put_data.response', key: 'state_abc', value: 'abc', message_id: 'put-1', origin: canvas.lms.url });
    expect(put).not.toHaveProperty('sourceToolInfo');
    const get = await ask(tool, 'post_message_forwarding', { subject: 'lti.get_data', key: 'state_abc', message_id: 'get-1' }, canvas.lms.url);
    expect(get).toMatchObject({ subject: 'lti.get_data.response', key: 'state_abc', value: 'abc', message_id: 'get-1' });
  });

  it('keeps each tool’s values apart: another origin reads null for the same key', async () => {
    await ask(tool, 'post_message_forwarding', { subject: 'lti.put_data', key: 'shared_key', value: 'tool-value', message_id: 'put-2' }, canvas.lms.url);
    // The Canvas page asking for itself is another origin than the tool's.
    const other = await page.evaluate(() => new Promise<Reply>((resolve) => {
      const w = window as unknown as { addEventListener(t: string, l: (e: { data: Reply }) => void): void; postMessage(m: unknown, o: string): void };
      w.addEventListener('message', (event) => { if (event.data?.['message_id'] === 'get-other' && event.data.subject === 'lti.get_data.response') resolve(event.data); });
      w.postMessage({ subject: 'lti.get_data', key: 'shared_key', message_id: 'get-other' }, '*');
    }));
    expect(other).toMatchObject({ subject: 'lti.get_data.response', key: 'shared_key', value: null });
    const own = await ask(tool, 'post_message_forwarding', { subject: 'lti.get_data', key: 'shared_key', message_id: 'get-own' }, canvas.lms.url);
    expect(own['value']).toBe('tool-value');
  });

  it('ignores a message sent straight to the Canvas window that claims another tool’s origin in sourceToolInfo', async () => {
    await tool.evaluate(() => {
      (window as unknown as { parent: { postMessage(m: unknown, o: string): void } }).parent.postMessage(
        { subject: 'lti.put_data', key: 'forged', value: 'x', message_id: 'forged-1', sourceToolInfo: { origin: 'https://evil.example', windowId: 0 } },
        '*',
      );
    });
    // Messages from one window arrive in order: once this answer is back the forged one was handled.
    await ask(tool, '_parent', { subject: 'lti.capabilities', message_id: 'after-forged' }, '*');
    expect(await page.evaluate(() => (window as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('lti|platform_storage|https://evil.example|forged'))).toBeNull();
  });

  it('clears a key when put_data has no value', async () => {
    await ask(tool, 'post_message_forwarding', { subject: 'lti.put_data', key: 'to_clear', value: 'v', message_id: 'put-3' }, canvas.lms.url);
    const cleared = await ask(tool, 'post_message_forwarding', { subject: 'lti.put_data', key: 'to_clear', value: null, message_id: 'put-4' }, canvas.lms.url);
    expect(cleared).toMatchObject({ subject: 'lti.put_data.response', key: 'to_clear' });
    const get = await ask(tool, 'post_message_forwarding', { subject: 'lti.get_data', key: 'to_clear', message_id: 'get-3' }, canvas.lms.url);
    expect(get['value']).toBeNull();
  });

  it('answers bad_request without a key or a message_id, and unsupported_subject for other subjects', async () => {
    const noKey = await ask(tool, 'post_message_forwarding', { subject: 'lti.get_data', message_id: 'no-key' }, canvas.lms.url);
    expect(noKey).toMatchObject({ subject: 'lti.get_data.response', error: { code: 'bad_request', message: "Missing required 'key' field" } });
    const unsupported = await ask(tool, '_parent', { subject: 'lti.unheard_of', message_id: 'unsupported' }, '*');
    expect(unsupported).toMatchObject({ subject: 'lti.unheard_of.response', error: { code: 'unsupported_subject' } });
    // Without a message_id the answer cannot be matched by id: listen for the subject instead.
    const noId = await tool.evaluate(() => new Promise<Reply>((resolve) => {
      const w = window as unknown as { addEventListener(t: string, l: (e: { data: Reply }) => void): void; parent: { postMessage(m: unknown, o: string): void } };
      w.addEventListener('message', (event) => { if (event.data?.subject === 'lti.put_data.response' && event.data.error) resolve(event.data); });
      w.parent.postMessage({ subject: 'lti.put_data', key: 'k', value: 'v' }, '*');
    }));
    expect(noId).toMatchObject({ error: { code: 'bad_request', message: "Missing required 'message_id' field" } });
  });

  it('refuses a put_data past 4096 characters per tool with storage_exhaustion', async () => {
    const big = 'x'.repeat(4000);
    const full = await ask(tool, 'post_message_forwarding', { subject: 'lti.put_data', key: 'big', value: big, message_id: 'big-1' }, canvas.lms.url);
    const over = await ask(tool, 'post_message_forwarding', { subject: 'lti.put_data', key: 'big2', value: big, message_id: 'big-2' }, canvas.lms.url);
    expect(full).toMatchObject({ key: 'big', value: big });
    expect(over).toMatchObject({ subject: 'lti.put_data.response', error: { code: 'storage_exhaustion', message: 'Reached byte limit for tool' } });
  });

  it('moodle mode’s course page has no forwarding frame', async () => {
    const moodlePage = await browser.newPage();
    try {
      await moodlePage.goto(moodle.lms.coursePageUrl({ courseId: moodle.course.courseId, userId: moodle.course.learnerId, resourceLinkId: moodle.course.link.id }));
      await expect.poll(() => moodlePage.frameLocator('#lti-frame').locator('#launched').textContent(), { timeout: 90_000 }).toContain('Launched as');
      expect(await moodlePage.locator('iframe[name="post_message_forwarding"]').count()).toBe(0);
    } finally {
      await moodlePage.close();
    }
  });
});
