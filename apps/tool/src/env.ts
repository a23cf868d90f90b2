// The tool's configuration, parsed once at start-up. The only file that reads process.env
// (eslint enforces it); everything else receives an `Env`.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isIP } from 'node:net';
import { z } from 'zod';
import { LOG_LEVELS } from './logging/create-logger.ts';
import type { LogLevel } from './logging/create-logger.ts';

/** The monorepo root: apps/tool/src/env.ts → ../../.. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const PortSchema = z.coerce.number({ error: 'must be a whole number from 0 to 65535' }).int('must be a whole number from 0 to 65535').min(0, 'must be a whole number from 0 to 65535').max(65535, 'must be a whole number from 0 to 65535');

const wholeNumber = (min: number, max: number) =>
  z.coerce.number({ error: `must be a whole number from ${min} to ${max}` }).int(`must be a whole number from ${min} to ${max}`).min(min, `must be a whole number from ${min} to ${max}`).max(max, `must be a whole number from ${min} to ${max}`);

/** Defaults for the settings below; README's configuration table states the same figures. */
export const ENV_DEFAULTS = {
  launchTokenLifetimeMinutes: 240,
  evidenceQuotaMegabytes: 500,
  evidenceItemCap: 200,
} as const;

/** The reconciliation runs from a cron step: every N minutes (N divides 60) or every N hours (N divides 24). */
const RECONCILE_EVERY_MINUTES: readonly number[] = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440];
const RECONCILE_EVERY_MESSAGE = `must be 0 (off) or a number of minutes among ${RECONCILE_EVERY_MINUTES.join(', ')}`;

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production'], { error: 'must be development, test or production' }).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// connection URL')
    .optional(),
  DATA_DIR: z.string().min(1).optional(),
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  PORT: PortSchema.default(3000),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://attest.example.ac.uk' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  LTI_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  EVIDENCE_FILES_DIR: z.string().min(1).optional(),
  ATTEST_FILE_STORE: z.enum(['local', 's3'], { error: 'must be local or s3' }).default('local'),
  ATTEST_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3–63 lower-case letters, digits, dots and hyphens)').optional(),
  ATTEST_S3_REGION: z.string().regex(/^[a-z0-9-]{2,32}$/, 'must be a region name such as eu-west-2').optional(),
  ATTEST_S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://s3.example.ac.uk' }).optional(),
  ATTEST_S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1')
    .default(false),
  ATTEST_REGISTRATION_ALLOW_PRIVATE_HOSTS: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1')
    .optional(),
  ATTEST_REGISTRATION_RATE_LIMIT: z.coerce.number({ error: 'must be a whole number from 1 to 10000' }).int('must be a whole number from 1 to 10000').min(1, 'must be a whole number from 1 to 10000').max(10_000, 'must be a whole number from 1 to 10000').default(10),
  ATTEST_REGISTRATION_MAX_INACTIVE: z.coerce.number({ error: 'must be a whole number from 1 to 10000' }).int('must be a whole number from 1 to 10000').min(1, 'must be a whole number from 1 to 10000').max(10_000, 'must be a whole number from 1 to 10000').default(20),
  ATTEST_REGISTRATION_INACTIVE_DAYS: z.coerce.number({ error: 'must be a number of days from 0.01 to 365' }).min(0.01, 'must be a number of days from 0.01 to 365').max(365, 'must be a number of days from 0.01 to 365').default(7),
  TRUST_PROXY: z
    .string()
    .transform((value, ctx) => {
      const parsed = parseTrustProxy(value);
      if (parsed === null) {
        ctx.addIssue({ code: 'custom', message: 'must be false, a number of proxy hops from 1 to 10, or a comma-separated list of proxy addresses or subnets (e.g. 10.0.0.0/8) and the names loopback, linklocal, uniquelocal' });
        return z.NEVER;
      }
      return parsed;
    })
    .optional(),
  // ltijs keeps the launch an ltik points at for 24 h, so no lifetime can usefully be longer.
  LAUNCH_TOKEN_LIFETIME_MINUTES: wholeNumber(1, 1440).default(ENV_DEFAULTS.launchTokenLifetimeMinutes),
  EVIDENCE_QUOTA_MB: wholeNumber(1, 1_000_000).default(ENV_DEFAULTS.evidenceQuotaMegabytes),
  EVIDENCE_ITEM_CAP: wholeNumber(1, 100_000).default(ENV_DEFAULTS.evidenceItemCap),
  // Operator's view (decision 17): the JSON log's level, and the bearer token /metrics needs.
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  // The gradebook reconciliation (decision 22): minutes between runs, 0 off. Cron steps, so a whole division of an hour or a day.
  ATTEST_RECONCILE_EVERY: z.coerce
    .number({ error: RECONCILE_EVERY_MESSAGE })
    .refine((minutes) => minutes === 0 || RECONCILE_EVERY_MINUTES.includes(minutes), RECONCILE_EVERY_MESSAGE)
    .optional(),
  ATTEST_METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`); unset it to turn /metrics off').optional(),
});

/**
 * Express's `trust proxy` from TRUST_PROXY: `false`/`0` (the default: the client's address is the
 * socket's), a hop count, or the proxies' addresses. `true` (trust every X-Forwarded-For hop) is
 * refused: any client could then name its own address and escape the per-address rate limit.
 */
function parseTrustProxy(value: string): TrustProxy | null {
  const trimmed = value.trim();
  if (trimmed === 'false' || trimmed === '0') return false;
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    return hops >= 1 && hops <= 10 ? hops : null;
  }
  const entries = trimmed.split(',').map((entry) => entry.trim());
  const isAddressOrSubnet = (entry: string) => {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
    const [address, prefix, ...rest] = entry.split('/');
    if (rest.length > 0 || !address) return false;
    const family = isIP(address);
    if (family === 0) return false;
    if (prefix === undefined) return true;
    return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
  };
  return entries.length > 0 && entries.every(isAddressOrSubnet) ? entries : null;
}

/** Express's `trust proxy` setting: nothing trusted, a hop count, or the proxies' addresses and subnets. */
export type TrustProxy = false | number | readonly string[];

export interface Env {
  readonly nodeEnv: 'development' | 'test' | 'production';
  /** Absent → the embedded PGlite database in `pgliteDataDir`. */
  readonly databaseUrl: string | null;
  /** Where local state lives: the PGlite data directory and the generated development key. */
  readonly dataDir: string;
  readonly pgliteDataDir: string;
  readonly host: string;
  readonly port: number;
  /**
   * The URL the LMS and browsers reach the tool at, without a trailing slash. Null when PUBLIC_URL
   * is not set: the server then uses `http://localhost:<the port it listens on>` (PORT=0 works).
   */
  readonly publicUrl: string | null;
  /** Null outside production: start-up then generates one and keeps it in `dataDir`. */
  readonly ltiEncryptionKey: string | null;
  /**
   * Where learners' evidence files are stored (outside the database). Undefined when
   * EVIDENCE_FILES_DIR is not set: start-up then uses `files/` beside the PGlite data, or
   * `.attest-files` in the working directory when DATABASE_URL is set.
   */
  readonly evidenceFilesDir?: string | undefined;
  /** Which store holds evidence files (ATTEST_FILE_STORE); see src/evidence/open-file-store.ts. */
  readonly evidenceFileStore: EvidenceFileStoreSettings;
  /**
   * Whether Dynamic Registration may fetch from private, loopback or link-local addresses. Null
   * (unset): only loopback, and only while the tool's own public URL is on loopback (the local demo
   * and tests); never in production.
   */
  readonly registrationAllowPrivateHosts: boolean | null;
  /** Registration attempts (`/lti/register`) one client address may make per hour; more get 429. */
  readonly registrationRateLimit: number;
  /** At most this many dynamically registered platforms may wait, never activated; more are refused (503). */
  readonly registrationMaxInactive: number;
  /** A dynamically registered platform never activated within this many days is deleted (and logged). */
  readonly registrationInactiveDays: number;
  /**
   * Which proxies in front of the tool may say, in X-Forwarded-For, which address a request came
   * from (the address the registration rate limit counts). False: none; the socket's address counts.
   */
  readonly trustProxy: TrustProxy;
  /** How long a launch token (ltik) authenticates API calls after its launch (decision 5). */
  readonly launchTokenLifetimeSeconds: number;
  /** A learner's evidence storage and item count, per course (see src/evidence/learner-quota.ts). */
  readonly evidenceQuota: { readonly maxBytes: number; readonly maxItems: number };
  /** The JSON log's level (LOG_LEVEL): `info` by default, `warn` when NODE_ENV=test so test output stays readable. */
  readonly logLevel: LogLevel;
  /** The bearer token /metrics asks for; null (unset): /metrics answers 404. */
  readonly metricsToken: string | null;
  /** Minutes between gradebook reconciliations (ATTEST_RECONCILE_EVERY); null: off (the default under NODE_ENV=test, else 6 h). */
  readonly reconcileEveryMinutes: number | null;
}

/**
 * `local`: the directory `evidenceFilesDir`. `s3`: a bucket; credentials come from the AWS SDK's
 * default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or the instance's role).
 */
export type EvidenceFileStoreSettings =
  | { readonly kind: 'local' }
  | { readonly kind: 's3'; readonly bucket: string; readonly region: string; readonly endpoint: string | null; readonly forcePathStyle: boolean };

export class EnvError extends Error {
  readonly variables: readonly string[];
  constructor(problems: readonly { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'EnvError';
    this.variables = problems.map((p) => p.variable);
  }
}

/** Parses configuration from `source` (process.env by default). Throws EnvError naming each bad variable. */
export function parseEnv(source: Readonly<Record<string, string | undefined>> = process.env): Env {
  // An empty variable (`PORT=`) means "not set", as in most shells' intent.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '(environment)'), message: issue.message })));
  }
  const raw = parsed.data;
  if (raw.NODE_ENV === 'production' && !raw.LTI_ENCRYPTION_KEY) {
    throw new EnvError([{ variable: 'LTI_ENCRYPTION_KEY', message: 'is required in production (ltijs encrypts platform keys and tokens with it); generate one with `openssl rand -hex 32`' }]);
  }
  const dataDir = absolute(raw.DATA_DIR ?? join(repoRoot, '.attest-data'));
  const evidenceFileStore = parseEvidenceFileStore(raw);
  return {
    nodeEnv: raw.NODE_ENV,
    databaseUrl: raw.DATABASE_URL ?? null,
    dataDir,
    pgliteDataDir: join(dataDir, 'pglite'),
    host: raw.HOST,
    port: raw.PORT,
    publicUrl: raw.PUBLIC_URL ?? null,
    ltiEncryptionKey: raw.LTI_ENCRYPTION_KEY ?? null,
    evidenceFilesDir: raw.EVIDENCE_FILES_DIR === undefined ? undefined : absolute(raw.EVIDENCE_FILES_DIR),
    evidenceFileStore,
    registrationAllowPrivateHosts: raw.ATTEST_REGISTRATION_ALLOW_PRIVATE_HOSTS ?? null,
    registrationRateLimit: raw.ATTEST_REGISTRATION_RATE_LIMIT,
    registrationMaxInactive: raw.ATTEST_REGISTRATION_MAX_INACTIVE,
    registrationInactiveDays: raw.ATTEST_REGISTRATION_INACTIVE_DAYS,
    trustProxy: raw.TRUST_PROXY ?? false,
    launchTokenLifetimeSeconds: raw.LAUNCH_TOKEN_LIFETIME_MINUTES * 60,
    evidenceQuota: { maxBytes: raw.EVIDENCE_QUOTA_MB * 1024 * 1024, maxItems: raw.EVIDENCE_ITEM_CAP },
    logLevel: raw.LOG_LEVEL ?? (raw.NODE_ENV === 'test' ? 'warn' : 'info'),
    metricsToken: raw.ATTEST_METRICS_TOKEN ?? null,
    reconcileEveryMinutes: (raw.ATTEST_RECONCILE_EVERY ?? (raw.NODE_ENV === 'test' ? 0 : 360)) || null,
  };
}

function parseEvidenceFileStore(raw: z.infer<typeof EnvSchema>): EvidenceFileStoreSettings {
  if (raw.ATTEST_FILE_STORE === 'local') {
    const stray = (['ATTEST_S3_BUCKET', 'ATTEST_S3_REGION', 'ATTEST_S3_ENDPOINT'] as const).filter((name) => raw[name] !== undefined);
    if (stray.length > 0) throw new EnvError(stray.map((variable) => ({ variable, message: 'is set but ATTEST_FILE_STORE is not s3: set ATTEST_FILE_STORE=s3 to keep evidence in the bucket, or unset it' })));
    return { kind: 'local' };
  }
  const missing = (['ATTEST_S3_BUCKET', 'ATTEST_S3_REGION'] as const).filter((name) => raw[name] === undefined);
  const problems: { variable: string; message: string }[] = missing.map((variable) => ({ variable, message: 'is required when ATTEST_FILE_STORE=s3' }));
  // Two places for evidence would leave one of them silently unused.
  if (raw.EVIDENCE_FILES_DIR !== undefined) problems.push({ variable: 'EVIDENCE_FILES_DIR', message: 'is for ATTEST_FILE_STORE=local; unset it when evidence is kept in S3' });
  if (problems.length > 0 || raw.ATTEST_S3_BUCKET === undefined || raw.ATTEST_S3_REGION === undefined) throw new EnvError(problems);
  return { kind: 's3', bucket: raw.ATTEST_S3_BUCKET, region: raw.ATTEST_S3_REGION, endpoint: raw.ATTEST_S3_ENDPOINT?.replace(/\/+$/, '') ?? null, forcePathStyle: raw.ATTEST_S3_FORCE_PATH_STYLE };
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(repoRoot, path);
}
