// What an error was, in a form safe to log: database errors carry the user's text (see below).

/** The SQLSTATE and schema names a database error carries: its message, detail and where can quote values. */
const DATABASE_FIELDS = ['code', 'severity', 'routine', 'table', 'column', 'constraint', 'dataType'] as const;

/**
 * What kind of error this was, safe to log. A database error (or drizzle's wrapper round one)
 * gives its class, SQLSTATE and schema names only: drizzle's message is the query and its
 * parameters, and PostgreSQL's own messages quote the value at fault (`invalid input syntax for
 * type uuid: "…"`). Any other error gives its class and message, and each gives its stack frames
 * without the message line.
 */
export function describeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { class: typeof error };
  const described: Record<string, unknown> = { class: error.constructor?.name ?? error.name };
  const isDatabase = isDatabaseError(error);
  if (isDatabase) {
    for (const field of DATABASE_FIELDS) {
      const value = (error as unknown as Record<string, unknown>)[field];
      if (typeof value === 'string' && value !== '') described[field] = value;
    }
  } else {
    described.message = error.message;
  }
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  if (frames.length > 0) described.stack = frames.slice(0, 12).map((line) => line.trim());
  if (error.cause !== undefined && depth < 3) described.cause = describeError(error.cause, depth + 1);
  return described;
}

function isDatabaseError(error: Error): boolean {
  const record = error as unknown as Record<string, unknown>;
  // drizzle's DrizzleQueryError (query + params), pg's DatabaseError and PGlite's errors (a five-character SQLSTATE).
  return 'params' in record || 'query' in record || (typeof record.code === 'string' && /^[0-9A-Z]{5}$/.test(record.code) && ('severity' in record || 'routine' in record));
}
