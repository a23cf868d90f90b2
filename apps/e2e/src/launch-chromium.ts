import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { env } from './env.ts';
import { UI_WAIT_MS } from './patience.ts';

/**
 * Debian's chromium, headless, with the browser's default cookie settings. Chromium 156 blocks
 * third-party cookies by default in this configuration; `test/third-party-cookies.test.ts` proves
 * it on every run rather than forcing it with a flag, so a build that changed the default would be
 * noticed instead of hidden. Playwright adds `--no-sandbox` itself when running as root.
 */
export interface ChromiumOptions {
  /**
   * Blocks every cookie, partitioned (CHIPS) or not, of `site`'s host when framed by a page of
   * `framedBy`'s host, as Safari does for a cross-site frame. Chromium's own "block third-party
   * cookies" setting still lets partitioned cookies through, so this is a site exception in the
   * profile's preferences (profile.content_settings.exceptions.cookies, primary pattern the
   * cookie's site, secondary the top-level site, 2 = block), which needs a profile directory of
   * its own; contexts opened from that browser inherit it. Any port of either host.
   */
  readonly blockCookies?: { readonly of: string; readonly framedBy: string };
}

const CHROMIUM_ARGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * The cookie-blocked browser keeps a cross-site frame in its page's renderer instead of an
 * out-of-process frame. Its launch navigates the frame cross-site and twice more within a second;
 * once in CI (at load ~4, persistent profile) Playwright kept the frame at its last same-site URL,
 * with no document it could read, although the tool had answered all three requests: it had missed
 * the out-of-process frame's navigations. What this browser tests (cookies blocked by site,
 * platform storage by postMessage) is decided by site, not by process, so it is the same here.
 */
const ONE_PROCESS_PER_PAGE = ['--disable-site-isolation-trials', '--disable-features=IsolateOrigins,site-per-process'];

/** Chromium on a profile whose preferences block `blockCookies`; closing it removes the profile. */
async function launchWithCookiesBlocked(blockCookies: NonNullable<ChromiumOptions['blockCookies']>): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'attest-e2e-chromium-'));
  mkdirSync(join(profile, 'Default'));
  const pattern = `http://${blockCookies.of}:*,http://${blockCookies.framedBy}:*`;
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { content_settings: { exceptions: { cookies: { [pattern]: { setting: 2 } } } } } }));
  const persistent = await chromium.launchPersistentContext(profile, { executablePath: env.chromiumPath, headless: true, args: [...CHROMIUM_ARGS, ...ONE_PROCESS_PER_PAGE] });
  const browser = persistent.browser();
  if (!browser) throw new Error('Chromium launched on a profile has no browser handle');
  const close = browser.close.bind(browser);
  browser.close = async (options) => {
    try {
      await persistent.close();
      await close(options);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  };
  return browser;
}

export async function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  const browser = options.blockCookies
    ? await launchWithCookiesBlocked(options.blockCookies)
    : await chromium.launch({ executablePath: env.chromiumPath, headless: true, args: CHROMIUM_ARGS });
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
