import type { Database } from './open-database.ts';

// The two types every repository and use case takes to run queries, declared once here.

/**
 * What runs a query: the pool's `Database` or an open transaction, which has the same query
 * builders. A function that only reads or writes takes this and works inside a caller's
 * transaction or outside one alike.
 */
export type Executor = Pick<Database, 'select' | 'selectDistinct' | 'selectDistinctOn' | 'insert' | 'update' | 'delete' | 'execute'>;

/**
 * An open transaction. Taken instead of `Executor` where the function needs one: row locks
 * (`for update`) and advisory transaction locks hold only until it ends, and writes that must
 * commit together (a change and its audit entry) share it.
 */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
