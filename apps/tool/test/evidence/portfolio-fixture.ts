import { readdir } from 'node:fs/promises';
import { startPlatformEmulator } from '@attest/platform-emulator';
import type { Course, PlatformEmulator, ResourceLink, ToolRegistration, User } from '@attest/platform-emulator';
import type { EvidenceDraft } from '@attest/contracts';
import type { Unit } from '@attest/standards';
import type { Env, ToolServer } from '../../src/index.ts';
import { BrowserlessAgent } from '../lti/browserless-agent.ts';
import { aUnit, startTestToolServer, testCatalogue, registerWithTool } from '../support/index.ts';
import type { Backend } from '../support/index.ts';

// Everything the portfolio tests share: the real tool server, two Moodle emulators (two tenants
// whose user and course ids coincide, as two real Moodle sites' would), learners launched through
// the real LTI flow to a bearer ltik, and a small API client. Files are built byte by byte.

/** Customer service unit with a PC 3 and a knowledge 3 (so `pc:3`/`k:3`), scope items and evidence requirements. */
export const unitA: Unit = aUnit({
  id: 'unit-a',
  codes: ['A1'],
  title: 'Give customers a positive impression',
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
  // Requirement 6 is a recording-form column printed without wording (decision 0025).
  evidenceRequirements: [{ ref: '4', text: 'Deal with problems of these kinds', items: [{ ref: 'a', text: 'a complaint' }] }, { ref: '6', text: null }],
});
export const unitB: Unit = aUnit({ id: 'unit-b', codes: ['B2'], title: 'Deal with customer problems' });
/** Placed only in the learner's other course: not one to map to from the first. */
export const unitC: Unit = aUnit({ id: 'unit-c', codes: ['C3'], title: 'Work with colleagues' });

export interface Tenant {
  readonly lms: PlatformEmulator;
  readonly registration: ToolRegistration;
  readonly course: Course;
  readonly otherCourse: Course;
  readonly learner: User;
  readonly otherLearner: User;
  readonly instructor: User;
  readonly linkA: ResourceLink;
  readonly linkB: ResourceLink;
  readonly linkC: ResourceLink;
}

export interface PortfolioFixture {
  readonly tool: ToolServer;
  readonly tenantA: Tenant;
  /** A second Moodle: the same user and course ids as tenant A, a different issuer. */
  readonly tenantB: Tenant;
  launch(tenant: Tenant, user: User, link: ResourceLink): Promise<string>;
  close(): Promise<void>;
}

async function setUpTenant(tool: ToolServer): Promise<Tenant> {
  const lms = await startPlatformEmulator({ mode: 'moodle' });
  const registration = await registerWithTool(lms, tool.url, tool.lti.platforms);
  const course = lms.createCourse({ title: 'Customer Service L2' });
  const otherCourse = lms.createCourse({ title: 'Team Leading L2' });
  const learner = lms.createUser({ name: 'Lee Learner' });
  const otherLearner = lms.createUser({ name: 'Oli Other' });
  const instructor = lms.createUser({ name: 'Ida Instructor' });
  for (const user of [learner, otherLearner]) lms.enrol(course.id, user.id, 'learner');
  lms.enrol(otherCourse.id, learner.id, 'learner');
  lms.enrol(course.id, instructor.id, 'instructor');
  const place = (courseId: string, unit: Unit) =>
    lms.placeResourceLink({ courseId, clientId: registration.clientId, title: unit.title, custom: { attest_unit: unit.id }, lineItem: { scoreMaximum: 100, label: unit.title, resourceId: unit.id, tag: 'attest-unit' } });
  return { lms, registration, course, otherCourse, learner, otherLearner, instructor, linkA: place(course.id, unitA), linkB: place(course.id, unitB), linkC: place(otherCourse.id, unitC) };
}

export async function startPortfolioFixture(backend: Backend, options: { env?: Partial<Env> } = {}): Promise<PortfolioFixture> {
  const tool = await startTestToolServer(backend, { catalogue: testCatalogue([unitA, unitB, unitC]), ...(options.env ? { env: options.env } : {}) });
  const tenants: Tenant[] = [];
  try {
    tenants.push(await setUpTenant(tool));
    tenants.push(await setUpTenant(tool));
  } catch (error) {
    for (const tenant of tenants) await tenant.lms.close();
    await tool.close();
    throw error;
  }
  const [tenantA, tenantB] = tenants as [Tenant, Tenant];
  return {
    tool,
    tenantA,
    tenantB,
    async launch(tenant, user, link) {
      const end = await new BrowserlessAgent().walk(tenant.lms.launchUrl({ courseId: link.courseId, userId: user.id, resourceLinkId: link.id }), (url) => url.startsWith(`${tool.url}/app/`));
      const ltik = new URL(end.url).searchParams.get('ltik');
      if (!ltik) throw new Error(`the launch ended at ${end.url} (${end.response.status}) without an ltik`);
      return ltik;
    },
    async close() {
      for (const tenant of tenants) await tenant.lms.close();
      await tool.close();
    },
  };
}

/**
 * Reply bodies are read loosely: success bodies are parsed with the contracts' schemas where it
 * matters, and error bodies are poked at (`body.error.details[0].path`) as a reader would.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the test reads untyped JSON
export type LooseBody = any;

export interface ApiReply<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** The API as the UI calls it: bearer ltik, JSON in and out (bodies read as JSON when they are). */
export function apiAs(toolUrl: string, ltik: string | null) {
  async function call(method: string, path: string, init: { json?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<ApiReply<LooseBody>> {
    const headers: Record<string, string> = { ...(ltik === null ? {} : { authorization: `Bearer ${ltik}` }), ...init.headers };
    let body: string | Uint8Array | undefined = init.raw;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const response = await fetch(`${toolUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = (response.headers.get('content-type') ?? '').includes('json') ? await response.text() : null;
    return { status: response.status, headers: response.headers, body: text === null ? await response.arrayBuffer() : text === '' ? null : JSON.parse(text) };
  }
  return {
    token: ltik,
    get: (path: string) => call('GET', path),
    post: (path: string, json?: unknown) => call('POST', path, json === undefined ? {} : { json }),
    put: (path: string, json: unknown) => call('PUT', path, { json }),
    delete: (path: string) => call('DELETE', path),
    raw: call,
    /** One file the way the UI sends it: raw body, the browser's type, the name percent-encoded. */
    upload: (itemId: string, file: { name: string; type: string; bytes: Uint8Array }) =>
      call('POST', `/api/evidence/${itemId}/files`, { raw: file.bytes, headers: { 'content-type': file.type, 'x-file-name': encodeURIComponent(file.name) } }),
  };
}

let drafts = 0;
/** A valid draft, unique per call; override what a test is about. */
export function aDraft(overrides: Partial<EvidenceDraft> = {}): EvidenceDraft {
  drafts += 1;
  return {
    title: `Evidence ${drafts}`,
    description: 'I greeted the customer and explained the delay.',
    evidenceType: 'personal-statement',
    activityDate: '2026-11-02',
    customerRef: `Customer ${drafts}`,
    occasionRef: `Occasion ${drafts}`,
    workSetting: 'real-job',
    ...overrides,
  };
}

export { pngBytes } from '../support/png-bytes.ts';

/** A minimal complete PDF; `padding` grows it (for size limits). */
export function pdfBytes(note = 'Witness statement', padding = 0): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n% ${note}${' '.repeat(padding)}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

/** The names of the files under a local file store's directory, sorted (none when it does not exist yet). */
export async function filesIn(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
}
