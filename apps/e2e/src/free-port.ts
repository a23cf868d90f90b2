import { createServer } from 'node:net';

/**
 * A port that is free right now on `host`. The tool computes its public URL from the port it is
 * given, so "any port" has to become a real number before the tool starts.
 */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error(`no free port on ${host}`))));
    });
  });
}
