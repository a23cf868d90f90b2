// The only place the browser tests read the environment (eslint bans process.env elsewhere).
export const env = {
  /** Debian's chromium by default; CI sets CHROMIUM_PATH explicitly. */
  chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  /** A PostgreSQL server to create fresh databases on; unset means the tool harness starts one. */
  testDatabaseUrl: process.env.TEST_DATABASE_URL ?? null,
  /** Where screenshots go; set ATTEST_E2E_SCREENSHOTS=0 to skip them. */
  isScreenshotting: process.env.ATTEST_E2E_SCREENSHOTS !== '0',
};
