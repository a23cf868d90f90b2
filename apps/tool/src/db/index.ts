// The tool's data layer. Everything else imports from here, never from the files behind it.
//
//   openDatabase(config)      → DatabaseConnection { backend, db: Database, executeSql, pglite, pool, url, close }
//                               config: { backend: 'postgres', url } | { backend: 'pglite', dataDir?, loadDataDir? }
//                               (a PGlite dataDir is locked by `<dataDir>.lock` against a second opener)
//   migrateDatabase(conn)     applies ./drizzle migrations (same SQL on both backends; advisory-locked on a server)
//   Database                  the Drizzle type of the pool (PostgreSQL or PGlite underneath)
//   Executor / Transaction    what repositories and use cases take: any query runner / an open transaction
//   evidence mappings         the one writer of `evidence_mappings`, the table learner and assessor share
//   schema tables             platformRegistrations, ltiUsers, ltiContexts, launches, scorePassbacks, ltijsDocuments
//   LtijsStore                the ltijs Database plugin over this database: new LtijsStore(db) → lti.setup(…, { plugin })
//   deleteExpiredLtijsDocuments(db)  drops ltijs documents past their TTL (run every 10 min by the job queue)
//   recordLaunch(db, launch)  upserts the tenant, user and context of a validated launch and appends to `launches`
//   readLaunchOfLtik(db, ltik) the registration and ltijs's stored tokens an API call's ltik points at, in one statement
//
// Rows are keyed by tenant (issuer + client id + deployment id); no query here crosses tenants.
export { openDatabase, DatabaseUnavailableError } from './open-database.ts';
export type { Database, DatabaseConfig, DatabaseConnection, Schema } from './open-database.ts';
export type { Executor, Transaction } from './executor.ts';
export { migrateDatabase, migrationsFolder } from './migrate-database.ts';
export * from './schema/index.ts';
export { LtijsStore, LtijsStoreError, deleteExpiredLtijsDocuments } from './ltijs-store.ts';
export { recordLaunch } from './record-launch.ts';
export { readLaunchOfLtik } from './read-launch-of-ltik.ts';
export { preparedPerDatabase } from './prepared-per-database.ts';
export type { LaunchOfLtik, LtikSubject } from './read-launch-of-ltik.ts';
export { latestLaunchMembers, type LaunchedMember } from './latest-launch-members.ts';
export type { CourseOfLaunch } from './latest-launch-members.ts';
export { whereCourse, whereLearner, whereLearnerUnit } from './where-learner.ts';
export { addItemMappings, decideItemMapping, followItemMethod, loadItemMappings, removeItemMapping, withdrawMappingDecisions } from './evidence-mappings.ts';
export type { EvidenceMappingRow, MappingJudgement, MappingKey } from './evidence-mappings.ts';
