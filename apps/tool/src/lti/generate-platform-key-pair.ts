import { generateKeyPair } from 'node:crypto';

// Each platform gets its own 4096-bit RSA key pair: it signs our client assertions and deep-linking
// responses to that platform. ltijs makes it with generateKeyPairSync, which holds the event loop for
// 0.5–4 s per key, so every other request (launches, the API, /healthz) waited behind each
// registration. crypto.generateKeyPair does the same work on a libuv thread-pool thread.
//
// One key at a time: the thread pool (4 threads by default) also serves file and DNS work, and a
// small server has few cores; several registrations queue here rather than take them all.

export interface PlatformKeyPair {
  /** SPKI PEM, as ltijs stores it (its JWKS route reads it back). */
  readonly publicKey: string;
  /** PKCS#1 PEM, as ltijs stores it (it signs with it). */
  readonly privateKey: string;
}

const MODULUS_BITS = 4096;

let queue: Promise<unknown> = Promise.resolve();

/** A new RSA key pair in ltijs's formats, made off the event loop, one at a time per process. */
export function generatePlatformKeyPair(): Promise<PlatformKeyPair> {
  const next = queue.then(
    () =>
      new Promise<PlatformKeyPair>((resolve, reject) => {
        generateKeyPair('rsa', { modulusLength: MODULUS_BITS, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } }, (error, publicKey, privateKey) =>
          error ? reject(error) : resolve({ publicKey, privateKey }),
        );
      }),
  );
  // A failed generation must not stop the ones queued behind it.
  queue = next.catch(() => undefined);
  return next;
}
