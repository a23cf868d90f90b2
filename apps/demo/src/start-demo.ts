import { dirname, join } from 'node:path';
import { startPlatformEmulator, type Course, type PlatformEmulator, type ResourceLink, type User } from '@attest/platform-emulator';
import { loadCatalogue } from '@attest/standards/loader';
import { catalogueFromUnits, parseEnv, startToolServer, type ToolServer } from '@attest/tool';
import type { CatalogueEntry } from '@attest/contracts';
import { freePort } from './free-port.ts';
import { demoEvidence } from './demo-evidence.ts';
import { placeUnitsByDeepLinking } from './place-units-by-deep-linking.ts';
import { readyLearnerAssessment } from './ready-learner-assessment.ts';
import { seedLearnerEvidence, type SeededEvidence } from './seed-learner-evidence.ts';
import { seedReadyForSignOff, type SeededReadyForSignOff } from './seed-ready-for-sign-off.ts';
import { forgetSavedLms, readSavedLms, savedLmsFile, writeSavedLms, type SavedLms } from './saved-lms.ts';

export const demoCourseTitle = 'Customer Service Level 2 — demo';
/** The two units placed in the demo course, if the catalogue has them (any two otherwise). */
export const demoUnitIds = ['nvq2-cs-201', 'nvq2-cs-202'] as const;

export interface DemoOptions {
  /** 0 picks a free port. */
  readonly toolPort: number;
  readonly emulatorPort: number;
  /** The tool's data directory (PGlite lives in `<dataDir>/pglite`, the saved LMS beside it); null keeps the tool's default. */
  readonly dataDir: string | null;
  /** Start a new LMS and course instead of the ones saved at the last stop. */
  readonly fresh?: boolean;
  /** Progress lines while starting; the URLs are not printed here (see formatDemoUrls). */
  readonly log?: (line: string) => void;
}

export interface DemoPerson {
  readonly user: User;
  /** The emulator's course page for this person, framing the tool cross-site. */
  readonly url: string;
}

/** A learner of a continued course: whatever they and the assessor did before is as they left it. */
export type KeptFromLastRun = { readonly learner: User; readonly kept: true };

/** The first learner's seeded evidence, or why seeding failed (the demo still starts). */
export type DemoEvidenceOutcome = { readonly learner: User; readonly seeded: SeededEvidence } | { readonly learner: User; readonly error: string };

/** The second learner, taken to "ready for sign-off" on the first activity, or why that failed (the demo still starts). */
export type DemoReadyOutcome = { readonly learner: User; readonly seeded: SeededReadyForSignOff } | { readonly learner: User; readonly error: string };

export interface Demo {
  readonly tool: ToolServer;
  readonly emulator: PlatformEmulator;
  readonly clientId: string;
  readonly course: Course;
  readonly units: readonly CatalogueEntry[];
  readonly activities: readonly ResourceLink[];
  /** One course page per learner, opening the first activity. */
  readonly learners: readonly DemoPerson[];
  /** The assessor's course page for each activity, in the order of `activities`. */
  readonly assessor: { readonly user: User; readonly urls: readonly string[] };
  readonly gradebookUrl: string;
  /** The first learner arrives with evidence in both units, so "launch as learner" shows a portfolio in progress. */
  readonly evidence: DemoEvidenceOutcome | KeptFromLastRun;
  /** The second learner's unit waits only for the assessor's signature, so "launch as assessor" can sign a unit off. */
  readonly readyForSignOff: DemoReadyOutcome | KeptFromLastRun;
  /** How many registrations of earlier emulator runs were removed from the tool's database. */
  readonly removedStaleRegistrations: number;
  /** The LMS, its course and the tool's registration are the last run's, started again (nothing seeded). */
  readonly isContinued: boolean;
  /** Where the LMS is saved on stop, for the next start. */
  readonly savedLmsFile: string;
  /** Saves the LMS for the next start, then stops both servers. */
  close(): Promise<void>;
}

const learnerNames = [
  { givenName: 'Lee', familyName: 'Learner' },
  { givenName: 'Priya', familyName: 'Patel' },
  { givenName: 'Sam', familyName: 'Okafor' },
];

/**
 * The demo's wiring: an emulated Moodle on 127.0.0.1 and the tool on localhost (two sites, so the
 * tool is a cross-site iframe as in a real LMS), the tool registered by Dynamic Registration and
 * activated on both sides, a seeded course, and two units placed by real deep linking.
 *
 * The tool keeps its data in PGlite and the emulator in memory, saved to the data directory on stop
 * (saved-lms.ts): a restart starts the same LMS again, so its course, people and activities, and
 * the registration the tool holds, are reachable as they were. With `fresh` (or when the saved LMS
 * cannot be used) the tool is registered with a new LMS under a new client id, and registrations
 * it holds for earlier runs of the same emulator URL, which can never launch again, are removed.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const log = options.log ?? (() => {});
  // Every progress line says how long its step took, so a slow start shows where the time went.
  let stepStartedAt = performance.now();
  const logStep = (line: string) => {
    log(`${line} (${((performance.now() - stepStartedAt) / 1000).toFixed(1)} s)`);
    stepStartedAt = performance.now();
  };
  const cleanups: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    const dataDir = options.dataDir ?? parseEnv().dataDir;
    const saved = await savedLmsToContinue(dataDir, options.fresh === true, log);
    const startLms = (restore?: SavedLms) => startPlatformEmulator({ mode: 'moodle', host: '127.0.0.1', port: options.emulatorPort, ...(restore ? { restore: restore.emulator } : {}) });
    let emulator = saved === null ? await startLms() : await startLms(saved).catch(async (error: unknown) => {
      log(`The LMS saved at the last stop cannot start again (${(error as Error).message}); starting a new one with a new course.`);
      return startLms();
    });
    // Cleanups run last-in first-out: the tool stops first, so no passback lands after the LMS is saved.
    let saveOnStop: (() => Promise<void>) | null = null;
    cleanups.push(async () => {
      await saveOnStop?.().catch((error: unknown) => log(`Could not save the LMS for the next start: ${(error as Error).message}`));
      await emulator.close();
    });
    const isRestored = saved !== null && emulator.listTools().some((tool) => tool.clientId === saved.demo.clientId);
    logStep(`LMS emulator (Moodle 5.1 behaviour) listening at ${emulator.url}` + (isRestored ? ', as it was at the last stop' : ''));
    log('Starting the Attest tool: opening its embedded PostgreSQL, applying migrations, starting the job queue…');

    const toolPort = options.toolPort === 0 ? await freePort('127.0.0.1') : options.toolPort;
    const tool = await startToolServer({
      env: {
        // The demo always runs on the embedded database, whatever DATABASE_URL the shell has.
        databaseUrl: null,
        // The demo's own lines tell the story; the tool's JSON log shows only what went wrong.
        logLevel: 'warn',
        port: toolPort,
        publicUrl: `http://localhost:${toolPort}`,
        dataDir,
        pgliteDataDir: join(dataDir, 'pglite'),
      },
      catalogue: catalogueFromUnits(loadCatalogue().units),
    });
    cleanups.push(() => tool.close());
    logStep(`Attest tool listening at ${tool.url} (embedded PostgreSQL; evidence files in ${tool.fileStore.location})`);

    // The saved LMS is worth continuing only if the tool still holds its registration, and the
    // registration still points at this tool (its login and launch URLs carry the tool's port).
    const savedLoginUrl = isRestored ? emulator.getTool(saved.demo.clientId).loginUrl : '';
    const whyNotContinued = !isRestored ? null
      : !savedLoginUrl.startsWith(`${tool.url}/`) ? `the saved LMS launches the tool at ${new URL(savedLoginUrl).origin}, not ${tool.url} (was --tool-port changed?)`
      : !(await tool.lti.platforms.list()).some((platform) => platform.issuer === emulator.issuer && platform.clientId === saved.demo.clientId) ? 'Attest’s database no longer holds the saved LMS’s registration (was its data directory emptied?)'
      : null;
    const isContinued = isRestored && whyNotContinued === null;
    if (whyNotContinued !== null) {
      log(`Not continuing the last run's course: ${whyNotContinued}; starting a new LMS with a new course.`);
      await emulator.close();
      emulator = await startLms();
    }

    const registration = isContinued ? emulator.getTool(saved.demo.clientId) : await emulator.registerToolDynamically(`${tool.url}/lti/register`, { activate: true });
    if (!registration.active) emulator.activateTool(registration.clientId);
    // Attest keeps a newly registered platform inactive until an administrator activates it.
    await tool.lti.platforms.setActive(emulator.issuer, registration.clientId, true);
    let removedStaleRegistrations = 0;
    for (const platform of await tool.lti.platforms.list()) {
      if (platform.issuer !== emulator.issuer || platform.clientId === registration.clientId) continue;
      await tool.lti.platforms.remove(platform.issuer, platform.clientId);
      removedStaleRegistrations += 1;
    }
    const staleNote = removedStaleRegistrations > 0 ? `; removed ${removedStaleRegistrations} registration(s) left from earlier runs` : '';
    const saveLms = (course: Course, assessor: User, learners: readonly User[]) => async () =>
      writeSavedLms(dataDir, { demo: { clientId: registration.clientId, course, assessor, learners }, emulator: await emulator.snapshot() });

    if (isContinued) {
      logStep(`Continuing with client ${registration.clientId}, registered at an earlier start${staleNote}`);
      const { course, assessor, learners } = saved.demo;
      const activities = emulator.getResourceLinks(course.id);
      const catalogue = await tool.catalogue.list();
      const units = activities.flatMap((link) => catalogue.filter((entry) => entry.id === link.custom['attest_unit']));
      const [firstLearner, secondLearner] = learners as [User, User?];
      log(`Continuing course "${course.title}" as it was at the last stop: ${activities.length} activities, its people, evidence, judgements and grades (npm start -- --fresh starts a new one)`);
      const save = saveLms(course, assessor, learners);
      await save();
      saveOnStop = save;
      return describeDemo({ tool, emulator, clientId: registration.clientId, course, units, activities, assessorUser: assessor, learnerUsers: learners, evidence: { learner: firstLearner, kept: true }, readyForSignOff: { learner: secondLearner ?? firstLearner, kept: true }, removedStaleRegistrations, isContinued, dataDir, close: closeAll });
    }
    logStep(`Registered by Dynamic Registration as client ${registration.clientId}, activated in the emulator and in Attest${staleNote}`);

    const course = emulator.createCourse({ title: demoCourseTitle, label: 'CS-L2-DEMO' });
    const assessorUser = emulator.createUser({ givenName: 'Alex', familyName: 'Assessor', name: 'Alex Assessor', email: 'alex.assessor@example.ac.uk' });
    emulator.enrol(course.id, assessorUser.id, 'instructor');
    const learnerUsers = learnerNames.map(({ givenName, familyName }) => {
      const user = emulator.createUser({ givenName, familyName, name: `${givenName} ${familyName}`, email: `${givenName}.${familyName}@example.ac.uk`.toLowerCase() });
      emulator.enrol(course.id, user.id, 'learner');
      return user;
    });

    const placed = await placeUnitsByDeepLinking({
      emulator,
      toolUrl: tool.url,
      courseId: course.id,
      instructorId: assessorUser.id,
      clientId: registration.clientId,
      preferredUnitIds: demoUnitIds,
      count: 2,
    });
    logStep(`Placed ${placed.links.length} activities by deep linking: ${placed.units.map((unit) => unit.title).join('; ')}`);

    const evidence = await seedFirstLearner({ emulator, toolUrl: tool.url, courseId: course.id, learner: learnerUsers[0] as User, activities: placed.links, units: placed.units });
    logStep('seeded' in evidence ? `Seeded ${evidence.learner.name}'s evidence: ${describeSeeded(evidence.seeded)}` : `Could not seed ${evidence.learner.name}'s evidence: ${evidence.error}`);
    const readyForSignOff = await seedReadyLearner({ emulator, toolUrl: tool.url, courseId: course.id, learner: learnerUsers[1] as User, assessor: assessorUser, activities: placed.links, units: placed.units });
    logStep('seeded' in readyForSignOff ? `Took ${readyForSignOff.learner.name} to ready for sign-off in ${placed.units[0]?.title ?? 'the first unit'}: ${describeReady(readyForSignOff.seeded)}` : `Could not take ${readyForSignOff.learner.name} to ready for sign-off: ${readyForSignOff.error}`);
    const save = saveLms(course, assessorUser, learnerUsers);
    await save();
    saveOnStop = save;
    return describeDemo({ tool, emulator, clientId: registration.clientId, course, units: placed.units, activities: placed.links, assessorUser, learnerUsers, evidence, readyForSignOff, removedStaleRegistrations, isContinued: false, dataDir, close: closeAll });
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The LMS saved at the last stop, unless a fresh start was asked for or the file cannot be used. */
async function savedLmsToContinue(dataDir: string, fresh: boolean, log: (line: string) => void): Promise<SavedLms | null> {
  if (fresh) {
    await forgetSavedLms(dataDir);
    return null;
  }
  try {
    return await readSavedLms(dataDir);
  } catch (error) {
    log(`The LMS saved at the last stop (${savedLmsFile(dataDir)}) cannot be used: ${(error as Error).message}; starting a new one with a new course.`);
    return null;
  }
}

/** A Demo before its URLs are worked out: its people instead of their course pages. */
type DemoParts = Omit<Demo, 'learners' | 'assessor' | 'gradebookUrl' | 'savedLmsFile'> & { readonly assessorUser: User; readonly learnerUsers: readonly User[]; readonly dataDir: string };

/** The demo's URLs: one course page per learner on the first activity, the assessor's per activity. */
function describeDemo({ assessorUser, learnerUsers, dataDir, ...demo }: DemoParts): Demo {
  const { emulator, course, activities } = demo;
  const firstActivity = activities[0];
  return {
    ...demo,
    learners: learnerUsers.map((user) => ({ user, url: emulator.coursePageUrl({ courseId: course.id, userId: user.id, ...(firstActivity ? { resourceLinkId: firstActivity.id } : {}) }) })),
    assessor: { user: assessorUser, urls: activities.map((link) => emulator.coursePageUrl({ courseId: course.id, userId: assessorUser.id, resourceLinkId: link.id })) },
    gradebookUrl: emulator.gradebookPageUrl(course.id),
    savedLmsFile: savedLmsFile(dataDir),
  };
}

async function seedFirstLearner(input: { emulator: PlatformEmulator; toolUrl: string; courseId: string; learner: User; activities: readonly ResourceLink[]; units: readonly CatalogueEntry[] }): Promise<DemoEvidenceOutcome> {
  const [first, ...others] = input.activities;
  const [positiveImpression, promoteServices] = input.units;
  if (!first || !positiveImpression || !promoteServices) return { learner: input.learner, error: 'the demo needs two placed units to seed evidence' };
  try {
    const seeded = await seedLearnerEvidence({
      emulator: input.emulator,
      toolUrl: input.toolUrl,
      courseId: input.courseId,
      learnerId: input.learner.id,
      resourceLinkId: first.id,
      otherResourceLinkIds: others.map((link) => link.id),
      evidence: demoEvidence({ positiveImpression: positiveImpression.id, promoteServices: promoteServices.id }, new Date().toISOString().slice(0, 10)),
    });
    return { learner: input.learner, seeded };
  } catch (error) {
    // The course, the units and the other launches still work; the printed URLs say what failed.
    return { learner: input.learner, error: (error as Error).message };
  }
}

async function seedReadyLearner(input: { emulator: PlatformEmulator; toolUrl: string; courseId: string; learner: User; assessor: User; activities: readonly ResourceLink[]; units: readonly CatalogueEntry[] }): Promise<DemoReadyOutcome> {
  const [first, ...others] = input.activities;
  const [unit] = input.units;
  if (!first || !unit) return { learner: input.learner, error: 'the demo needs a placed unit' };
  try {
    const seeded = await seedReadyForSignOff({
      emulator: input.emulator,
      toolUrl: input.toolUrl,
      courseId: input.courseId,
      learnerId: input.learner.id,
      assessorId: input.assessor.id,
      resourceLinkId: first.id,
      otherResourceLinkIds: others.map((link) => link.id),
      assessment: readyLearnerAssessment(unit.id, new Date().toISOString().slice(0, 10)),
    });
    if (!seeded.gate.isOpen) return { learner: input.learner, error: `the sign-off gate is still shut: ${seeded.gate.blocking.map((reason) => reason.message).join(' ')}` };
    return { learner: input.learner, seeded };
  } catch (error) {
    return { learner: input.learner, error: (error as Error).message };
  }
}

/** "16 of 16 statements met, report competent, candidate declaration signed, sign-off gate open". */
export function describeReady(seeded: SeededReadyForSignOff): string {
  const { progress } = seeded.caseloadRow;
  return `${progress.met} of ${progress.total} statements met, report competent, candidate declaration signed, sign-off gate ${seeded.gate.isOpen ? 'open' : 'shut'}`;
}

/** "3 items (2 submitted, 1 draft), 2 files, mapped to 23 statements of 2 units". */
export function describeSeeded(seeded: SeededEvidence): string {
  const submitted = seeded.items.filter((item) => item.state === 'submitted').length;
  const files = seeded.items.reduce((sum, item) => sum + item.files.length, 0);
  const mappings = seeded.items.flatMap((item) => item.mappings);
  const units = new Set(mappings.map((mapping) => mapping.unitId));
  return `${seeded.items.length} items (${submitted} submitted, ${seeded.items.length - submitted} draft), ${files} file${files === 1 ? '' : 's'}, ${mappings.length} mappings to ${units.size} unit${units.size === 1 ? '' : 's'}`;
}

function learnerNote(demo: Demo, user: User): string {
  const { evidence, readyForSignOff: ready } = demo;
  if ('kept' in evidence) return 'as left at the last stop';
  if (user.id === evidence.learner.id) return 'seeded' in evidence ? `has seeded evidence: ${describeSeeded(evidence.seeded)}` : `evidence could not be seeded: ${evidence.error}`;
  if (user.id === ready.learner.id && !('kept' in ready)) return 'seeded' in ready ? 'ready for sign-off: evidence accepted, waiting for the assessor’s signature' : `could not be made ready for sign-off: ${ready.error}`;
  return 'no evidence yet';
}

/** Who the assessor will find in what state on the first activity's caseload. */
function caseloadNote(demo: Demo): string {
  const ready = demo.readyForSignOff;
  if ('kept' in ready) return 'as you left it at the last stop';
  const readyPart = 'seeded' in ready ? `${ready.learner.name} is ready for sign-off (${describeReady(ready.seeded)}): open their portfolio and sign the unit off` : `${ready.learner.name} could not be made ready for sign-off: ${ready.error}`;
  return `${readyPart}; ${demo.evidence.learner.name} is in progress, with evidence awaiting assessment`;
}

/** What `npm start` prints once everything is up. */
export function formatDemoUrls(demo: Demo): string {
  const [first, second] = demo.activities;
  return [
    '',
    `Attest demo is ready: course "${demo.course.title}" with ${demo.activities.length} unit activities.`,
    '',
    `launch as learner (activity "${first?.title ?? ''}"):`,
    ...demo.learners.map((learner) => `  ${learner.user.name.padEnd(16)} (${learnerNote(demo, learner.user)})\n    ${learner.url}`),
    '',
    `launch as assessor (${demo.assessor.user.name}):`,
    ...demo.activities.map((activity, index) => `  ${activity.title}${index === 0 ? `\n    caseload: ${caseloadNote(demo)}` : ''}\n    ${demo.assessor.urls[index] ?? ''}`),
    '',
    'emulator gradebook:',
    `  ${demo.gradebookUrl}`,
    '',
    second ? `Open a link in Chromium, Firefox or Safari; the tool (${demo.tool.url}) is framed by the LMS (${demo.emulator.url}), a different site.` : '',
    demo.isContinued
      ? `This is the course of the last run, as it was when it stopped; \`npm start -- --fresh\` starts a new one.`
      : 'This course and its users are new; the next `npm start` continues with them (`npm start -- --fresh` starts a new course).',
    `Attest keeps its data in PGlite and the LMS is saved on stop, both in ${dirname(demo.savedLmsFile)}.`,
    'Press Ctrl-C to stop both servers.',
    '',
  ].join('\n');
}
