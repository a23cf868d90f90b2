import { chromium, type Browser } from 'playwright-core';
import { env } from './env.ts';

/**
 * Debian's chromium, headless, with the browser's default cookie settings. Chromium 156 blocks
 * third-party cookies by default in this configuration; `test/third-party-cookies.test.ts` proves
 * it on every run rather than forcing it with a flag, so a build that changed the default would be
 * noticed instead of hidden. Playwright adds `--no-sandbox` itself when running as root.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: env.chromiumPath,
    headless: true,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
