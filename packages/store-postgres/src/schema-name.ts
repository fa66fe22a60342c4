/**
 * @module The PostgreSQL schema the stores live in, and their table names in it. The name is
 * the one piece of SQL not passed as a parameter (identifiers cannot be), so it is validated.
 */
import { ByokError } from '@byok/core';

/** The default schema: keeps @byok's tables apart from the host's own. */
export const DEFAULT_SCHEMA = 'byok';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Fully qualified, quoted names of every table, for one schema. */
export interface Tables {
  schema: string;
  migrations: string;
  secretRecords: string;
  vaultCounters: string;
  vaultSettings: string;
  connections: string;
  preferences: string;
  sessionPins: string;
  usageRecords: string;
  auditEntries: string;
}

/**
 * Validates a schema name and returns the quoted table names in it.
 *
 * @example
 * tablesIn('byok').connections; // '"byok"."connections"'
 */
export function tablesIn(schema: string = DEFAULT_SCHEMA): Tables {
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) {
    throw new ByokError(
      'invalid_request',
      'Invalid schema: use 1-63 characters of a-z, 0-9 and "_", not starting with a digit (e.g. "byok")',
      { field: 'schema' },
    );
  }
  const q = `"${schema}"`;
  return {
    schema: q,
    migrations: `${q}."schema_migrations"`,
    secretRecords: `${q}."secret_records"`,
    vaultCounters: `${q}."vault_counters"`,
    vaultSettings: `${q}."vault_settings"`,
    connections: `${q}."connections"`,
    preferences: `${q}."preferences"`,
    sessionPins: `${q}."session_pins"`,
    usageRecords: `${q}."usage_records"`,
    auditEntries: `${q}."audit_entries"`,
  };
}
