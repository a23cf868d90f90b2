export * from './tenants.ts';
export * from './launches.ts';
export * from './score-passbacks.ts';
export * from './ltijs-documents.ts';
export * from './evidence.ts';
export * from './assessment.ts';
export * from './audit.ts';
