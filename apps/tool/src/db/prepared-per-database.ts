import type { Database } from './open-database.ts';

/**
 * A statement built by drizzle once per database and named, so PostgreSQL also parses and plans it
 * once per connection: for the statements every launch or API request runs (decision 28).
 */
export function preparedPerDatabase<Statement>(prepare: (db: Database) => Statement): (db: Database) => Statement {
  const prepared = new WeakMap<Database, Statement>();
  return (db) => {
    let statement = prepared.get(db);
    if (statement === undefined) {
      statement = prepare(db);
      prepared.set(db, statement);
    }
    return statement;
  };
}
