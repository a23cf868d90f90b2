// The set-up every browser test file shares, as fixtures: each `use*` call registers its own
// Vitest hooks in the suite that calls it (set-up before the suite's tests, teardown after them)
// and returns a handle whose values the tests read once set-up has run. A test file then states
// only what it tests. See "Fixtures" in the README.
import { mkdtempSync, rmSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo, type Demo } from '@attest/demo';
import type { Course, PlatformEmulator, PlatformMode, ResourceLink, ToolRegistration, User } from '@attest/platform-emulator';
import type { ToolServer } from '@attest/tool';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import type { CatalogueUnit } from './get-unit.ts';
import { launchChromium, type ChromiumOptions } from './launch-chromium.ts';
import { listen, type RunningServer } from './listen.ts';
import { startStack, type Backend, type Stack } from './start-stack.ts';

/** The LMS page's size in every suite: a laptop; the screen checks narrow it to 375 px themselves. */
export const defaultViewport = { width: 1024, height: 800 } as const;

/**
 * Holds what a beforeAll made for the tests. Reading it while Vitest collects the file (outside a
 * test or hook) is a mistake in the test, so it says so instead of handing out undefined.
 */
function slot<T>(what: string): { get(): T; set(value: T): void; take(): T | undefined } {
  let value: T | undefined;
  return {
    get() {
      if (value === undefined) throw new Error(`${what} is not set up: read it inside a test, not while the file is collected (or its set-up failed; see the hook error)`);
      return value;
    },
    set(next) {
      value = next;
    },
    /** The value for teardown, if set-up got that far, and the slot emptied. */
    take() {
      const taken = value;
      value = undefined;
      return taken;
    },
  };
}

/** Closes, after each test, whatever `open` opened during it, so a failing test leaves nothing behind. */
function closedAfterEachTest<A extends unknown[], T extends { close(): Promise<void> }>(open: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  const opened: T[] = [];
  afterEach(async () => {
    for (const item of opened.splice(0).reverse()) await item.close();
  });
  return async (...args) => {
    const item = await open(...args);
    opened.push(item);
    return item;
  };
}

export interface BrowserFixture {
  readonly browser: Browser;
  /** A fresh context (cookies, storage) for one test, closed after it. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/**
 * Chromium for the calling suite (usually the whole file): launched before its tests, closed after
 * them. `options.blockCookies` blocks the tool's cookies in the LMS's frames entirely (see ChromiumOptions).
 */
export function useBrowser(options: ChromiumOptions = {}): BrowserFixture {
  const browser = slot<Browser>('The browser');
  beforeAll(async () => {
    browser.set(await launchChromium(options));
  });
  afterAll(async () => {
    await browser.take()?.close();
  });
  return {
    get browser() {
      return browser.get();
    },
    newContext: closedAfterEachTest((options?: BrowserContextOptions) => browser.get().newContext(options)),
  };
}

export interface ContextFixture {
  /** One browser context for the suite's tests, with the suites' laptop viewport. */
  readonly context: BrowserContext;
  /** A page in that context, closed after the test. */
  newPage(): Promise<Page>;
}

function useContextIn(browser: BrowserFixture, viewport: BrowserContextOptions['viewport']): ContextFixture & { open(): Promise<void>; close(): Promise<void> } {
  const context = slot<BrowserContext>('The browser context');
  const newPage = closedAfterEachTest(() => context.get().newPage());
  return {
    get context() {
      return context.get();
    },
    newPage,
    async open() {
      context.set(await browser.browser.newContext({ viewport }));
    },
    async close() {
      await context.take()?.close();
    },
  };
}

/** A browser context shared by the calling suite's tests (the demo's file), closed after them. */
export function useBrowserContext(browser: BrowserFixture, options: { viewport?: BrowserContextOptions['viewport'] } = {}): ContextFixture {
  const fixture = useContextIn(browser, options.viewport ?? defaultViewport);
  beforeAll(() => fixture.open());
  afterAll(() => fixture.close());
  return fixture;
}

export interface CourseSpec<Learners extends readonly string[], Assessors extends readonly string[], Units extends readonly CatalogueUnit[]> {
  /** Defaults to the qualification's course, "Customer Service Level 2". */
  readonly title?: string;
  /** Full names ("Priya Patel"), enrolled as learners; the LMS splits given and family name. */
  readonly learners?: Learners;
  /** Full names, enrolled as instructors (the LMS role an assessor has). */
  readonly assessors?: Assessors;
  /** Each placed as one activity of the course, titled and tagged as the unit, in this order. */
  readonly units?: Units;
  /** Whose activities: defaults to the tool the stack registered. */
  readonly clientId?: string;
  /** Each activity gets a line item of 100 points (label, resourceId and tag from the unit) unless false. */
  readonly hasLineItems?: boolean;
}

export interface TestCourse<Learners extends readonly string[], Assessors extends readonly string[], Units extends readonly CatalogueUnit[]> {
  readonly course: Course;
  /** In the order of the spec's names, so `const { learners: [priya] } = createCourse(…)` is typed. */
  readonly learners: { readonly [K in keyof Learners]: User };
  readonly assessors: { readonly [K in keyof Assessors]: User };
  /** One resource link per unit, in the order of the spec's units. */
  readonly links: { readonly [K in keyof Units]: ResourceLink };
  /** The LMS course page for `user`, launching `link` in its frame when one is given. */
  pageUrl(user: User, link?: ResourceLink): string;
}

/** The score every placed unit's line item is out of, as the tool's picker asks for. */
export const unitScoreMaximum = 100;

function createCourseIn(emulator: PlatformEmulator, defaultClientId: () => string) {
  return function createCourse<const Learners extends readonly string[] = [], const Assessors extends readonly string[] = [], const Units extends readonly CatalogueUnit[] = []>(
    spec: CourseSpec<Learners, Assessors, Units>,
  ): TestCourse<Learners, Assessors, Units> {
    const course = emulator.createCourse({ title: spec.title ?? 'Customer Service Level 2' });
    const enrol = (names: readonly string[], role: 'learner' | 'instructor') =>
      names.map((name) => {
        const user = emulator.createUser({ name });
        emulator.enrol(course.id, user.id, role);
        return user;
      });
    const assessors = enrol(spec.assessors ?? [], 'instructor');
    const learners = enrol(spec.learners ?? [], 'learner');
    const clientId = spec.clientId ?? defaultClientId();
    const hasLineItems = spec.hasLineItems ?? true;
    // Placed as an LMS administrator places an activity (the emulator's placeResourceLink), with the
    // same title, custom parameter and line item the tool's deep-linking picker returns; the picker
    // itself is the subject of deep-linking.test.ts.
    const links = (spec.units ?? []).map((unit) =>
      emulator.placeResourceLink({
        courseId: course.id,
        clientId,
        title: unit.title,
        custom: { attest_unit: unit.id },
        ...(hasLineItems ? { lineItem: { scoreMaximum: unitScoreMaximum, label: unit.title, resourceId: unit.id, tag: 'attest-unit' } } : {}),
      }),
    );
    return {
      course,
      learners: learners as unknown as TestCourse<Learners, Assessors, Units>['learners'],
      assessors: assessors as unknown as TestCourse<Learners, Assessors, Units>['assessors'],
      links: links as unknown as TestCourse<Learners, Assessors, Units>['links'],
      pageUrl: (user, link) => emulator.coursePageUrl({ courseId: course.id, userId: user.id, ...(link ? { resourceLinkId: link.id } : {}) }),
    };
  };
}

export interface BrowserStackOptions {
  readonly mode: PlatformMode;
  readonly backend: Backend;
  /**
   * Registers the tool and activates it on both sides before the tests (the default); false for a
   * suite whose subject is registration, which starts from an LMS that has never heard of the tool.
   */
  readonly isToolRegistered?: boolean;
  readonly viewport?: BrowserContextOptions['viewport'];
}

export interface BrowserStack extends ContextFixture {
  /** The LMS, on 127.0.0.1. */
  readonly emulator: PlatformEmulator;
  /** The tool, on localhost: a different site from the LMS. */
  readonly tool: ToolServer;
  /** What the tool logged, for failure messages. */
  readonly toolLog: readonly string[];
  /** The tool as the LMS registered it (not set with `isToolRegistered: false`). */
  readonly registration: ToolRegistration;
  /** A course with its people enrolled and its units placed as activities of the registered tool. */
  createCourse: ReturnType<typeof createCourseIn>;
}

/**
 * A fresh LMS emulator (`mode`) and tool on a fresh database (`backend`), the tool registered and
 * active unless told otherwise, and a browser context for the suite's pages; started before the
 * calling suite's tests and closed, context first, after them.
 */
export function useBrowserStack(browser: BrowserFixture, options: BrowserStackOptions): BrowserStack {
  const stack = slot<Stack>(`The ${options.mode} stack on ${options.backend}`);
  const registration = slot<ToolRegistration>('The registration (the stack was started with isToolRegistered: false)');
  const context = useContextIn(browser, options.viewport ?? defaultViewport);
  beforeAll(async () => {
    stack.set(await startStack({ mode: options.mode, backend: options.backend, postgresAdminUrl: inject('attestE2ePostgresAdminUrl') }));
    if (options.isToolRegistered ?? true) registration.set(await stack.get().registerAndActivate());
    await context.open();
  });
  afterAll(async () => {
    try {
      await context.close();
    } finally {
      await stack.take()?.close();
    }
  });
  return {
    get context() {
      return context.context;
    },
    newPage: context.newPage,
    get emulator() {
      return stack.get().emulator;
    },
    get tool() {
      return stack.get().tool;
    },
    get toolLog() {
      return stack.get().toolLog;
    },
    get registration() {
      return registration.get();
    },
    createCourse(spec) {
      return createCourseIn(stack.get().emulator, () => registration.get().clientId)(spec);
    },
  };
}

/** A plain HTTP server on `host` for the calling suite (pages built for one check), closed after it. */
export function useServer(host: string, handler: RequestListener): { readonly port: number } {
  const server = slot<RunningServer>(`The server on ${host}`);
  beforeAll(async () => {
    server.set(await listen(handler, host));
  });
  afterAll(async () => {
    await server.take()?.close();
  });
  return {
    get port() {
      return server.get().port;
    },
  };
}

/** The demo as `npm start` runs it (PGlite in a temp directory), for the calling suite; closed and removed after it. */
export function useDemo(): { readonly demo: Demo } {
  const demo = slot<Demo>('The demo');
  let dataDir: string | null = null;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'attest-e2e-demo-'));
    demo.set(await startDemo({ toolPort: 0, emulatorPort: 0, dataDir }));
  });
  afterAll(async () => {
    try {
      await demo.take()?.close();
    } finally {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  });
  return {
    get demo() {
      return demo.get();
    },
  };
}
