import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import type { RequestHandler } from 'express';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Attest is not built yet</title></head>
<body><main><h1>The Attest interface is not built yet</h1>
<p>The tool server is running, but <code>apps/web/dist</code> does not exist.
Build it with <code>npm run build</code> (or <code>npx pnpm@10.34.9 --filter @attest/web run build</code>) and reload.</p>
</main></body></html>`;

/**
 * Serves the built UI (apps/web, Vite base `/app/`). Hashed assets are cached for good; the HTML
 * never is, so a deploy shows at the next launch. Checked per request so a build made while the
 * server runs is picked up without a restart.
 */
export function serveUi(distDir: string): RequestHandler {
  const indexFile = join(distDir, 'index.html');
  const assets = express.static(distDir, {
    index: false,
    fallthrough: true,
    setHeaders(res, path) {
      res.setHeader('cache-control', path.includes(`${join(distDir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (req, res, next) => {
    if (!existsSync(indexFile)) {
      res.status(503).type('html').set('cache-control', 'no-store').send(NOT_BUILT_PAGE);
      return;
    }
    assets(req, res, () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      // Client-side routes and the launch landing (`/app/?ltik=…`) all get the app shell.
      res.set('cache-control', 'no-store').sendFile(indexFile);
    });
  };
}
