// A running emulator saved to plain JSON and started again from it, so that the demo's course, its
// people, activities and grades are still there after a restart (`npm start` without `--fresh`),
// as a real LMS's are. Only the emulator's own records are kept; see EmulatorState.toSaved.
import { exportJWK, exportSPKI, importJWK, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';
import type { StoredResult } from './accept-score.ts';
import type { CanvasSubmissionRecord } from './canvas/submission-rules.ts';
import type { PlatformKeys } from './platform-keys.ts';
import type { Course, CourseRole, LineItem, PlatformMode, ResourceLink, ToolInstall, ToolRegistration, User } from './types.ts';

export interface SavedEmulatorState {
  readonly tools: readonly ToolRegistration[];
  readonly courses: readonly Course[];
  readonly users: readonly User[];
  readonly enrolments: readonly (readonly [string, readonly (readonly [string, CourseRole])[]])[];
  readonly resourceLinks: readonly ResourceLink[];
  readonly lineItems: readonly LineItem[];
  readonly results: readonly (readonly [string, StoredResult])[];
  readonly canvasSubmissions: readonly (readonly [string, CanvasSubmissionRecord])[];
  readonly canvasInstalls: { readonly installs: readonly ToolInstall[]; readonly nextToolId: number };
  readonly counters: { readonly course: number; readonly user: number; readonly item: number; readonly link: number; readonly type: number };
}

/** Everything needed to start the same platform again. */
export interface EmulatorSnapshot {
  readonly format: 'attest-platform-emulator';
  readonly version: 1;
  readonly mode: PlatformMode;
  /**
   * The base URL it ran at. Line item URLs and the issuer are built from it, and the tool holds
   * them, so a snapshot is started again only at the same URL.
   */
  readonly url: string;
  /** The signing key, so id_tokens after the restart verify against the key the tool has seen. */
  readonly key: { readonly kid: string; readonly privateJwk: JWK };
  readonly state: SavedEmulatorState;
}

const records = z.array(z.looseObject({}));
const pairs = z.array(z.tuple([z.string(), z.unknown()]));

// Checks the envelope and the shape of each collection: enough to refuse a file that is not a
// snapshot (or another version's) with a clear message, before anything is restored from it.
const EmulatorSnapshotSchema = z.object({
  format: z.literal('attest-platform-emulator'),
  version: z.literal(1),
  mode: z.enum(['moodle', 'canvas']),
  url: z.url(),
  key: z.object({ kid: z.string().min(1), privateJwk: z.looseObject({ kty: z.literal('RSA'), d: z.string() }) }),
  state: z.object({
    tools: records,
    courses: records,
    users: records,
    enrolments: z.array(z.tuple([z.string(), z.array(z.tuple([z.string(), z.enum(['learner', 'instructor', 'teachingAssistant'])]))])),
    resourceLinks: records,
    lineItems: records,
    results: pairs,
    canvasSubmissions: pairs,
    canvasInstalls: z.object({ installs: records, nextToolId: z.number().int() }),
    counters: z.object({ course: z.number().int(), user: z.number().int(), item: z.number().int(), link: z.number().int(), type: z.number().int() }),
  }),
});

/** Reads a snapshot from parsed JSON; throws an Error saying what is wrong with it. */
export function parseEmulatorSnapshot(value: unknown): EmulatorSnapshot {
  const parsed = EmulatorSnapshotSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not a saved emulator (version 1): ${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}`);
  }
  // The collections' members were written by toSaved and are only shape-checked above.
  return parsed.data as unknown as EmulatorSnapshot;
}

export async function savePlatformKeys(keys: PlatformKeys): Promise<EmulatorSnapshot['key']> {
  return { kid: keys.kid, privateJwk: await exportJWK(keys.privateKey) };
}

/** The saved key pair again; the public half is the private JWK without its private members. */
export async function restorePlatformKeys(saved: EmulatorSnapshot['key']): Promise<PlatformKeys> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicMembers } = saved.privateJwk;
  const privateKey = (await importJWK({ ...saved.privateJwk, alg: 'RS256' }, 'RS256', { extractable: true })) as CryptoKey;
  const publicKey = (await importJWK({ ...publicMembers, alg: 'RS256' }, 'RS256', { extractable: true })) as CryptoKey;
  const publicJwk = { ...(await exportJWK(publicKey)), kid: saved.kid, alg: 'RS256', use: 'sig' };
  return { kid: saved.kid, privateKey, publicJwk, publicKeyPem: await exportSPKI(publicKey) };
}
