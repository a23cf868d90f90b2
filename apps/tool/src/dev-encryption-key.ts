import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEV_KEY_FILE = 'lti-encryption-key';

/**
 * Outside production LTI_ENCRYPTION_KEY may be absent: a random key is generated once and kept next
 * to the PGlite data, because ltijs encrypts stored platform keys with it and a new key on every
 * start would make the stored registrations unreadable.
 */
export function ensureDevEncryptionKey(dataDir: string): string {
  const file = join(dataDir, DEV_KEY_FILE);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  // 'wx' so two processes starting at once cannot each write a different key.
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}
