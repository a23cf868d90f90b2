// The HTTP API between the web UI and the tool server. Both sides import these schemas, so a
// change to a request or response shape is a type error on both ends, not a runtime surprise.
// Every /api route is authorised by the ltijs launch token sent as `Authorization: Bearer <ltik>`.
// Every /api route is an entry of `apiRoutes` (routes.ts): the server registers from it and the UI calls
// through it, so a route's path, body and reply are declared once.
export * from './session.ts';
export * from './catalogue.ts';
export * from './caseload.ts';
export * from './errors.ts';
export * from './evidence.ts';
export * from './assessment.ts';
export * from './next-step.ts';
export * from './audit.ts';
export * from './gradebook-sync.ts';
export * from './safe-text.ts';
export * from './administration.ts';
export * from './routes.ts';
