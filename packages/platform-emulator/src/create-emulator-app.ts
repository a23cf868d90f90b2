import express, { type ErrorRequestHandler } from 'express';
import type { EmulatorApi } from './emulator-api.ts';
import type { EmulatorContext, EmulatorInfo } from './emulator-context.ts';
import { EmulatorError } from './emulator-state.ts';
import { ToolKeySets } from './tool-keys.ts';
import { createOidcRoutes } from './routes/oidc-routes.ts';
import { createTokenRoutes } from './routes/token-routes.ts';
import { createAgsRoutes } from './routes/ags-routes.ts';
import { createNrpsRoutes } from './routes/nrps-routes.ts';
import { createDynamicRegistrationRoutes } from './routes/dynamic-registration-routes.ts';
import { createDeepLinkingRoutes } from './routes/deep-linking-routes.ts';
import { createPageRoutes } from './routes/page-routes.ts';
import { createAdminRoutes } from './routes/admin-routes.ts';
import { createSpeedGraderRoutes } from './routes/speed-grader-routes.ts';
import { createGradeAnalysisRoutes } from './grade-analysis.ts';

/** Builds the emulator's Express app; only startPlatformEmulator listens. */
export function createEmulatorApp(ctx: EmulatorContext, api: EmulatorApi, info: () => EmulatorInfo): express.Express {
  const app = express();
  const toolKeys = new ToolKeySets();
  app.disable('x-powered-by');
  // Route paths such as /mod/lti/services.php/2/lineitems must not match case-insensitively or loosely.
  app.set('case sensitive routing', true);

  // The request log: every answer, with the User-Agent the caller sent and the area that answered.
  app.use((req, res, next) => {
    res.on('finish', () => {
      ctx.state.log({
        at: new Date().toISOString(),
        method: req.method,
        path: req.originalUrl,
        status: res.statusCode,
        userAgent: req.get('user-agent') ?? null,
        contentType: req.get('content-type') ?? null,
        area: typeof res.locals['area'] === 'string' ? res.locals['area'] : 'other',
      });
    });
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  // AGS and DR bodies come as application/*+json media types as well as application/json.
  app.use(express.json({ limit: '1mb', type: (req) => /\bjson\b/i.test(String(req.headers['content-type'] ?? '')) }));

  app.use(createOidcRoutes(ctx));
  app.use(createTokenRoutes(ctx, toolKeys));
  // Opt-in throttling of the service calls below (src/rate-limit.ts); lets everything through by default.
  app.use(ctx.state.rateLimiter.middleware(ctx.state));
  app.use(createAgsRoutes(ctx));
  app.use(createNrpsRoutes(ctx));
  app.use(createDynamicRegistrationRoutes(ctx));
  app.use(createDeepLinkingRoutes(ctx, toolKeys));
  app.use(createPageRoutes(ctx));
  app.use(createSpeedGraderRoutes(ctx));
  app.use(createGradeAnalysisRoutes(ctx));
  app.use('/emulator/api', createAdminRoutes(api, info));

  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such route on the platform emulator' } });
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    if (error instanceof EmulatorError) {
      res.status(error.status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500;
    res.status(status).json({ error: { code: status === 500 ? 'internal' : 'bad_request', message: (error as Error).message } });
  };
  app.use(onError);
  return app;
}
