import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv, repoRoot } from '../../src/env.ts';

function errorOf(source: Record<string, string>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error('parseEnv accepted the configuration');
}

describe('parseEnv', () => {
  it('defaults to the embedded database under the repository and port 3000 on loopback', () => {
    expect(parseEnv({})).toEqual({
      nodeEnv: 'development',
      databaseUrl: null,
      dataDir: join(repoRoot, '.attest-data'),
      pgliteDataDir: join(repoRoot, '.attest-data', 'pglite'),
      host: '127.0.0.1',
      port: 3000,
      publicUrl: null,
      ltiEncryptionKey: null,
      registrationAllowPrivateHosts: null,
      registrationRateLimit: 10,
      registrationMaxInactive: 20,
      registrationInactiveDays: 7,
      trustProxy: false,
      launchTokenLifetimeSeconds: 4 * 3600,
      evidenceQuota: { maxBytes: 500 * 1024 * 1024, maxItems: 200 },
      evidenceFileStore: { kind: 'local' },
      logLevel: 'info',
      metricsToken: null,
      reconcileEveryMinutes: 360,
    });
  });

  it('logs at LOG_LEVEL, info by default and warn under NODE_ENV=test, and refuses a level pino does not have', () => {
    expect(parseEnv({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(parseEnv({ NODE_ENV: 'test' }).logLevel).toBe('warn');
    expect(parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'info' }).logLevel).toBe('info');
    const error = errorOf({ LOG_LEVEL: 'verbose' });
    expect(error.variables).toEqual(['LOG_LEVEL']);
    expect(error.message).toContain('LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent');
  });

  it('turns /metrics on with a token of 32 characters or more, and stops at one shorter', () => {
    expect(parseEnv({ ATTEST_METRICS_TOKEN: 'm'.repeat(32) }).metricsToken).toBe('m'.repeat(32));
    const error = errorOf({ ATTEST_METRICS_TOKEN: 'm'.repeat(31) });
    expect(error.variables).toEqual(['ATTEST_METRICS_TOKEN']);
    expect(error.message).toContain('ATTEST_METRICS_TOKEN: must be at least 32 characters');
    expect(error.message).not.toContain('m'.repeat(31));
  });

  it('runs the gradebook reconciliation every 6 hours by default, never under NODE_ENV=test unless asked, and only on cron steps', () => {
    expect(parseEnv({}).reconcileEveryMinutes).toBe(360);
    expect(parseEnv({ NODE_ENV: 'test' }).reconcileEveryMinutes).toBeNull();
    expect(parseEnv({ NODE_ENV: 'test', ATTEST_RECONCILE_EVERY: '15' }).reconcileEveryMinutes).toBe(15);
    expect(parseEnv({ ATTEST_RECONCILE_EVERY: '0' }).reconcileEveryMinutes).toBeNull();
    for (const bad of ['7', '90', 'hourly', '-5']) expect(errorOf({ ATTEST_RECONCILE_EVERY: bad }).message).toContain('ATTEST_RECONCILE_EVERY: must be 0 (off) or a number of minutes among');
  });

  it('reads the launch token lifetime in minutes and the evidence quota in megabytes, within bounds', () => {
    const env = parseEnv({ LAUNCH_TOKEN_LIFETIME_MINUTES: '1440', EVIDENCE_QUOTA_MB: '50', EVIDENCE_ITEM_CAP: '1' });
    expect(env.launchTokenLifetimeSeconds).toBe(24 * 3600);
    expect(env.evidenceQuota).toEqual({ maxBytes: 50 * 1024 * 1024, maxItems: 1 });
    expect(errorOf({ LAUNCH_TOKEN_LIFETIME_MINUTES: '1441' }).variables).toEqual(['LAUNCH_TOKEN_LIFETIME_MINUTES']);
    expect(errorOf({ LAUNCH_TOKEN_LIFETIME_MINUTES: '0' }).variables).toEqual(['LAUNCH_TOKEN_LIFETIME_MINUTES']);
    expect(errorOf({ EVIDENCE_QUOTA_MB: '1.5' }).variables).toEqual(['EVIDENCE_QUOTA_MB']);
    expect(errorOf({ EVIDENCE_ITEM_CAP: 'lots' }).variables).toEqual(['EVIDENCE_ITEM_CAP']);
  });

  it('reads every variable it knows', () => {
    const env = parseEnv({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://attest:secret@db.internal:5432/attest',
      DATA_DIR: '/var/lib/attest',
      HOST: '0.0.0.0',
      PORT: '8080',
      PUBLIC_URL: 'https://attest.example.ac.uk/',
      LTI_ENCRYPTION_KEY: 'k'.repeat(32),
      ATTEST_REGISTRATION_ALLOW_PRIVATE_HOSTS: 'true',
      ATTEST_REGISTRATION_RATE_LIMIT: '5',
      ATTEST_REGISTRATION_MAX_INACTIVE: '3',
      ATTEST_REGISTRATION_INACTIVE_DAYS: '2.5',
      TRUST_PROXY: '10.0.0.0/8, loopback',
    });
    expect(env).toMatchObject({ registrationRateLimit: 5, registrationMaxInactive: 3, registrationInactiveDays: 2.5, trustProxy: ['10.0.0.0/8', 'loopback'] });
    expect(env).toMatchObject({ nodeEnv: 'production', databaseUrl: 'postgres://attest:secret@db.internal:5432/attest', pgliteDataDir: '/var/lib/attest/pglite', host: '0.0.0.0', port: 8080, publicUrl: 'https://attest.example.ac.uk', registrationAllowPrivateHosts: true });
  });

  it('reads TRUST_PROXY as nothing trusted, a hop count, or proxy addresses', () => {
    expect(parseEnv({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(parseEnv({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(parseEnv({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(parseEnv({ TRUST_PROXY: '192.0.2.7,::1' }).trustProxy).toEqual(['192.0.2.7', '::1']);
  });

  it('accepts port 0 for "any free port" and treats an empty variable as unset', () => {
    expect(parseEnv({ PORT: '0', DATABASE_URL: '' })).toMatchObject({ port: 0, databaseUrl: null });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '65536' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/attest' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'ftp://attest.example' }, 'PUBLIC_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ LTI_ENCRYPTION_KEY: 'short' }, 'LTI_ENCRYPTION_KEY'],
    [{ NODE_ENV: 'production' }, 'LTI_ENCRYPTION_KEY'],
    [{ ATTEST_REGISTRATION_ALLOW_PRIVATE_HOSTS: 'yes' }, 'ATTEST_REGISTRATION_ALLOW_PRIVATE_HOSTS'],
    [{ ATTEST_REGISTRATION_RATE_LIMIT: '0' }, 'ATTEST_REGISTRATION_RATE_LIMIT'],
    [{ ATTEST_REGISTRATION_MAX_INACTIVE: 'many' }, 'ATTEST_REGISTRATION_MAX_INACTIVE'],
    [{ ATTEST_REGISTRATION_INACTIVE_DAYS: '0' }, 'ATTEST_REGISTRATION_INACTIVE_DAYS'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'proxy.internal' }, 'TRUST_PROXY'],
  ])('refuses %j and names %s in the message', (source, variable) => {
    const error = errorOf(source);
    expect(error.variables).toEqual([variable]);
    expect(error.message).toContain(`${variable}: `);
  });

  it('names every bad variable at once', () => {
    const error = errorOf({ PORT: 'x', DATABASE_URL: 'nope', NODE_ENV: 'staging' });
    expect([...error.variables].sort()).toEqual(['DATABASE_URL', 'NODE_ENV', 'PORT']);
  });

  it('never puts the value of a secret into the message', () => {
    const error = errorOf({ LTI_ENCRYPTION_KEY: 'tooshort-secret' });
    expect(error.message).not.toContain('tooshort-secret');
  });
});
