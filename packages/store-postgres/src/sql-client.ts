/**
 * @module The minimal SQL client the stores run on: `query(text, params)` answering `{ rows }`.
 * A `pg` `Pool` or `Client` and a PGlite instance already have this shape, so either is passed
 * as-is; transactions (needed only by `migrate()`) are found on the client in whichever form it has.
 */

/** A query result: only the rows are read. */
export interface SqlResult<Row> {
  rows: Row[];
}

/**
 * The minimal client every store takes: a `pg` `Pool` or `Client`, a PGlite instance, or your
 * own wrapper. Parameters are always passed separately (`$1`, `$2`, ...), never interpolated.
 *
 * @example
 * import pg from 'pg';
 * const client: SqlClient = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 */
export interface SqlClient {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<SqlResult<Row>>;
}

/** A PGlite-style client that runs a callback inside one transaction. */
interface TransactionalClient extends SqlClient {
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}

/** A `pg.Pool`-style client that lends a dedicated connection. */
interface PoolLike extends SqlClient {
  connect(): Promise<SqlClient & { release(error?: Error | boolean): void }>;
}

const hasTransaction = (client: SqlClient): client is TransactionalClient =>
  typeof (client as Partial<TransactionalClient>).transaction === 'function';

// A pg.Client also has connect() (to open its socket) but takes a callback-less call with no
// result; only a pool's connect() resolves a client with release().
const isPool = (client: SqlClient): client is PoolLike =>
  typeof (client as Partial<PoolLike>).connect === 'function' && typeof (client as { totalCount?: unknown }).totalCount === 'number';

/**
 * Runs `fn` inside one transaction on one connection: PGlite's `transaction()`, a connection
 * checked out of a `pg` pool, or BEGIN/COMMIT on a single-connection client.
 */
export async function withTransaction<T>(client: SqlClient, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  if (hasTransaction(client)) return client.transaction(fn);
  if (isPool(client)) {
    const connection = await client.connect();
    let broken = false;
    try {
      return await runInTransaction(connection, fn);
    } catch (error) {
      // A connection whose ROLLBACK failed is not handed back to the pool.
      broken = error instanceof RollbackFailed;
      throw error instanceof RollbackFailed ? error.original : error;
    } finally {
      connection.release(broken);
    }
  }
  try {
    return await runInTransaction(client, fn);
  } catch (error) {
    throw error instanceof RollbackFailed ? error.original : error;
  }
}

class RollbackFailed extends Error {
  constructor(readonly original: unknown) {
    super('rollback failed');
  }
}

async function runInTransaction<T>(client: SqlClient, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  let result: T;
  try {
    result = await fn(client);
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      throw new RollbackFailed(error);
    }
    throw error;
  }
  await client.query('COMMIT');
  return result;
}
