import { KeyObject, randomUUID, sign } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import type { SignIdTokenOptions } from './types.ts';

export interface PlatformKeys {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly publicKeyPem: string;
}

/** A fresh RS256 key pair per emulator start, so no key material lives in the repository. */
export async function createPlatformKeys(): Promise<PlatformKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk, publicKeyPem: await exportSPKI(publicKey) };
}

/** Signs what the platform sends (id_tokens, registration tokens) with its own key. */
export function signWithPlatformKey(keys: PlatformKeys, payload: JWTPayload): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keys.kid }).sign(keys.privateKey);
}

/**
 * The same RS256 signature, synchronously (node:crypto), for the registration token that
 * startDynamicRegistration() hands out without awaiting.
 */
export function signWithPlatformKeySync(keys: PlatformKeys, payload: JWTPayload): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: keys.kid })}.${encode(payload)}`;
  const signature = sign('sha256', Buffer.from(input), KeyObject.from(keys.privateKey));
  return `${input}.${signature.toString('base64url')}`;
}

/** Signs arbitrary claims correctly or in the ways an attacker would, for the tool's security tests. */
export async function signForTest(keys: PlatformKeys, claims: JWTPayload, options: SignIdTokenOptions = {}): Promise<string> {
  const key = options.key ?? 'platform';
  if (key === 'none') {
    // jose's UnsecuredJWT writes {"alg":"none"}; a kid, if asked for, is spliced into that header.
    const jwt = new UnsecuredJWT(claims).encode();
    if (options.kid === undefined || options.kid === null) return jwt;
    const [, body] = jwt.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: options.kid })).toString('base64url');
    return `${header}.${body}.`;
  }
  const kid = options.kid === undefined ? keys.kid : options.kid;
  const header = kid === null ? {} : { kid };
  if (key === 'hs256-public-key') {
    // The algorithm-confusion attack: HMAC keyed with the public key a verifier might trust as a secret.
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header }).sign(new TextEncoder().encode(keys.publicKeyPem));
  }
  const signingKey = key === 'foreign' ? (await generateKeyPair('RS256')).privateKey : keys.privateKey;
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...header }).sign(signingKey);
}
