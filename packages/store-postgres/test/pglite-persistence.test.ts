import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createPgliteClient, createPostgresStores } from '../src/index';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

it('PGlite persists to a directory (parents created): what one process wrote, the next one reads', async () => {
  const root = await mkdtemp(join(tmpdir(), 'byok-pglite-'));
  dirs.push(root);
  const directory = join(root, 'nested', 'db');

  const first = await createPgliteClient(directory);
  const before = createPostgresStores({ client: first });
  expect((await before.migrate()).applied).toEqual([1]);
  await before.audit.append({ at: 1, tenantId: 'org_acme', action: 'connection.connect', outcome: 'success' });
  await before.secrets.writeSetting('min-decryption-version', '2');
  await first.close();

  const second = await createPgliteClient(directory);
  const after = createPostgresStores({ client: second });
  expect((await after.migrate()).applied).toEqual([]);
  expect((await after.audit.list('org_acme')).map((e) => e.action)).toEqual(['connection.connect']);
  expect(await after.secrets.readSetting('min-decryption-version')).toBe('2');
  await second.close();
}, 120_000);
