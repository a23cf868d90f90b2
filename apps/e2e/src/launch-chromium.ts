import { chromium, type Browser } from 'playwright-core';
import { env } from './env.ts';
import { UI_WAIT_MS } from './patience.ts';

/**
 * Debian's chromium, headless, with the browser's default cookie settings. Chromium 156 blocks
 * third-party cookies by default in this configuration; `test/third-party-cookies.test.ts` proves
 * it on every run rather than forcing it with a flag, so a build that changed the default would be
 * noticed instead of hidden. Playwright adds `--no-sandbox` itself when running as root.
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: env.chromiumPath,
    headless: true,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Playwright sets no default bound per browser, only per context: every context the suites open
  // waits as long as a person would (UI_WAIT_MS) for clicks, fills and locator waits that name no
  // bound of their own, instead of Playwright's 30 s.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(UI_WAIT_MS);
    context.setDefaultNavigationTimeout(UI_WAIT_MS);
    return context;
  };
  return browser;
}
