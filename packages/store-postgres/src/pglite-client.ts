/**
 * @module The embedded default: PGlite (PostgreSQL compiled to WebAssembly) in this process,
 * persisted to a directory. The same stores and migrations run on it as on a PostgreSQL server.
 */
import type { PGlite } from '@electric-sql/pglite';
import { mkdir } from 'node:fs/promises';

/** A PGlite instance: a {@link SqlClient} with `transaction()` and `close()`. */
export type PgliteClient = PGlite;

/**
 * Opens PGlite: persisted to `directory` (created if missing) or, without one, in memory only.
 * PGlite is single-process: one directory is opened by one process at a time. Close it on
 * shutdown (`await client.close()`) so the directory is left clean.
 *
 * @example
 * import { createPgliteClient, createPostgresStores } from '@byok/store-postgres';
 * const client = await createPgliteClient('./.byok/db');
 * const stores = createPostgresStores({ client });
 * await stores.migrate();
 * await client.close();
 */
export async function createPgliteClient(directory?: string): Promise<PgliteClient> {
  // Loaded on demand, so hosts on a PostgreSQL server never load the WebAssembly build.
  const { PGlite } = await import('@electric-sql/pglite');
  if (directory === undefined) return PGlite.create();
  // PGlite creates only the last directory of the path; parents (`./.byok` of `./.byok/db`) are ours to make.
  if (!directory.includes('://')) await mkdir(directory, { recursive: true });
  return PGlite.create(directory);
}
