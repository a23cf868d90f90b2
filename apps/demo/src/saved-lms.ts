// The demo's LMS between runs: the emulator keeps its records in memory, so on stop the demo writes
// them (with which course, people and registration are the demo's) to its data directory, and the
// next `npm start` starts the same LMS again: the course a newcomer worked in stays reachable, with
// the registration the tool already holds. `--fresh` starts a new one.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { parseEmulatorSnapshot, type Course, type EmulatorSnapshot, type User } from '@attest/platform-emulator';

export interface SavedDemoCourse {
  readonly clientId: string;
  readonly course: Course;
  readonly assessor: User;
  readonly learners: readonly User[];
}

export interface SavedLms {
  readonly demo: SavedDemoCourse;
  readonly emulator: EmulatorSnapshot;
}

const UserSchema = z.object({ id: z.string(), name: z.string(), givenName: z.string(), familyName: z.string(), email: z.string(), isAdministrator: z.boolean() });
const SavedDemoCourseSchema = z.object({
  clientId: z.string().min(1),
  course: z.object({ id: z.string(), title: z.string(), label: z.string(), subAccountId: z.string().optional() }),
  assessor: UserSchema,
  learners: z.array(UserSchema).min(1),
});

export const savedLmsFile = (dataDir: string) => join(dataDir, 'demo-lms.json');

/** What was saved at the last stop; null when there is none. Throws, saying why, on a file it cannot use. */
export async function readSavedLms(dataDir: string): Promise<SavedLms | null> {
  let text: string;
  try {
    text = await readFile(savedLmsFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const value = JSON.parse(text) as { demo?: unknown; emulator?: unknown };
  const demo = SavedDemoCourseSchema.safeParse(value.demo);
  if (!demo.success) throw new Error(`its demo course is not readable (${demo.error.issues[0]?.path.join('.') ?? ''}: ${demo.error.issues[0]?.message ?? ''})`);
  const { subAccountId, ...course } = demo.data.course;
  return { demo: { ...demo.data, course: subAccountId === undefined ? course : { ...course, subAccountId } }, emulator: parseEmulatorSnapshot(value.emulator) };
}

/** Written whole to a temporary file and renamed over the old one, so a stop never leaves half a file. */
export async function writeSavedLms(dataDir: string, saved: SavedLms): Promise<void> {
  const file = savedLmsFile(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(saved)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

export async function forgetSavedLms(dataDir: string): Promise<void> {
  await rm(savedLmsFile(dataDir), { force: true });
}
