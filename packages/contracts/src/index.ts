// The HTTP API between the web UI and the tool server. Both sides import these schemas, so a
// change to a request or response shape is a type error on both ends, not a runtime surprise.
// Every /api route is authorised by the ltijs launch token sent as `Authorization: Bearer <ltik>`.
export * from './session.ts';
export * from './catalogue.ts';
export * from './caseload.ts';
export * from './errors.ts';
export * from './evidence.ts';
export * from './assessment.ts';
export * from './next-step.ts';
export * from './audit.ts';
export * from './safe-text.ts';
export * from './routes.ts';
