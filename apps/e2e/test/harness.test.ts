import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useBrowser, useServer } from '../src/fixtures.ts';
import { measureHorizontalOverflow } from '../src/measure-horizontal-overflow.ts';
import { findSeriousViolations } from '../src/scan-accessibility.ts';

// The checks the screen suites rely on must be able to fail: here they meet pages built to fail.

const pages: Record<string, string> = {
  '/clean': '<main><h1>Unit</h1><p>Fine.</p></main>',
  // A fixed size keeps the unloadable image rendered, so whether axe sees it does not depend on
  // how far the image request got when the scan ran (it missed it once on a loaded machine).
  '/broken': '<main><h1>Unit</h1><img src="/x.png" width="40" height="40"><button></button></main>',
  '/wide': '<main><h1>Unit</h1><div style="width:900px">wide</div></main>',
};

function html(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><title>t</title><meta name="viewport" content="width=device-width"></head><body>${body}</body></html>`);
}

const framed = useServer('localhost', (req, res) => html(res, pages[req.url ?? ''] ?? '<p>404</p>'));
// The host page has its own violation (an image without alt), which must not be reported.
const host = useServer('127.0.0.1', (req, res) => html(res, `<img src="/y.png"><iframe title="tool" id="tool" style="width:100%" src="http://localhost:${framed.port}${req.url}"></iframe>`));
const browser = useBrowser();

/** The host page framing `path`, in a context of its own (closed after the test) `width` px wide. */
async function open(path: string, width = 1024) {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${host.port}${path}`);
  const frame = await (await page.waitForSelector('#tool')).contentFrame();
  if (!frame) throw new Error('no frame');
  await frame.waitForSelector('h1');
  return { page, frame };
}

describe('the screen checks', () => {
  it('report nothing for a clean framed page, even when the LMS page around it has violations', async () => {
    const { page } = await open('/clean');
    expect(await findSeriousViolations(page, '#tool')).toEqual([]);
  });

  it('list each serious or critical violation inside the frame by rule id', async () => {
    const { page } = await open('/broken');
    const violations = await findSeriousViolations(page, '#tool');
    expect(violations.some((line) => line.includes('image-alt'))).toBe(true);
    expect(violations.some((line) => line.includes('button-name'))).toBe(true);
  });

  it('measure horizontal overflow at 375 px: none for a fluid page, some for a fixed 900 px block', async () => {
    const fluid = await open('/clean', 375);
    expect(await measureHorizontalOverflow(fluid.frame)).toBe(0);

    const wide = await open('/wide', 375);
    expect(await measureHorizontalOverflow(wide.frame)).toBeGreaterThan(0);
  });
});
