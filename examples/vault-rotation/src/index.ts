/**
 * @module The vault rotation walk-through: seal, open, add a key version, promote it, rewrap
 * every record, retire the old version. It prints what happens and never prints a secret.
 */
import { isByokError } from '@byok/core';
import {
  createFileStore,
  createLocalKeyring,
  createVault,
  credentialRefOf,
  memoryAuditSink,
  type EncryptionContext,
} from '@byok/vault';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Generates a key the way `openssl rand -base64 32` does. In production these come from your secret manager. */
const generateKey = () => randomBytes(32).toString('base64');

/**
 * Runs the walk-through and returns a summary (for the smoke test).
 *
 * @example
 * await main({ log: console.log });
 */
export async function main(options: { log?: (line: string) => void } = {}) {
  const log = options.log ?? ((line: string) => console.log(line));
  const directory = await mkdtemp(join(tmpdir(), 'byok-vault-example-'));
  try {
    const keyring = createLocalKeyring({ keys: { 1: generateKey() }, primary: 1 });
    const audit = memoryAuditSink();
    const vault = createVault({
      keyring,
      store: createFileStore({ directory }),
      fingerprintKey: generateKey(),
      audit,
      actor: 'example',
    });

    // 1. Tenants connect their keys. The vault returns a record with a hint and a fingerprint, never the key.
    const tenants = ['org_acme', 'org_globex', 'org_initech'];
    const refs = [];
    for (const [i, tenantId] of tenants.entries()) {
      const context: EncryptionContext = { tenantId, connectionId: `conn_${i}`, provider: 'openai', purpose: 'provider_credential' };
      const apiKey = `sk-example-${randomBytes(16).toString('hex')}`;
      const record = await vault.seal(apiKey, context);
      refs.push({ context, record });
      log(`sealed   ${record.id} for ${tenantId}: key version ${record.keyVersion}, hint ${record.hint}, fingerprint ${record.fingerprint.slice(0, 12)}…`);
    }

    // 2. At call time, core's executor asks the vault (a CredentialResolver) for the credential.
    const first = refs[0]!;
    const credential = await vault.resolve(credentialRefOf(first.record), { ...first.context, purpose: 'generate' });
    log(`resolved ${first.record.id}: credential of type ${credential.type} (${credential.type === 'api_key' ? credential.apiKey.length : 0} characters, not printed)`);

    // 3. Another tenant's context cannot open it, whatever it does to the row.
    try {
      await vault.open(first.record.id, { ...first.context, tenantId: 'org_mallory' });
      log('cross-tenant open: UNEXPECTEDLY succeeded');
    } catch (err) {
      log(`cross-tenant open refused: ${isByokError(err) ? err.reason : String(err)}`);
    }

    // 4. Rotation, the safe order: add (every instance can decrypt), promote (new seals use it), rewrap, retire.
    keyring.addVersion(2, generateKey());
    log('added    key version 2 (not primary yet: deploy it everywhere first)');
    const rotated = await vault.rotate({ to: 2 });
    log(`promoted key version ${rotated.fromVersion} -> ${rotated.toVersion}`);
    const late = await vault.seal(`sk-example-${randomBytes(16).toString('hex')}`, {
      tenantId: 'org_umbrella',
      connectionId: 'conn_9',
      provider: 'anthropic',
      purpose: 'provider_credential',
    });
    log(`sealed   ${late.id} after rotation: key version ${late.keyVersion}`);
    log(`before rewrap: ${JSON.stringify((await vault.inventory()).byVersion)} records per key version`);

    let checkpoint: string | undefined;
    const result = await vault.rewrap({ pageSize: 2, onPage: (p) => void (checkpoint = p.cursor) });
    log(`rewrap:  ${result.rewrapped} rewrapped, ${result.current} already current, ${result.failed.length} failed, ${result.pages} pages (last checkpoint ${checkpoint ?? 'none: done'})`);
    const inventory = await vault.inventory();
    log(`after rewrap:  ${JSON.stringify(inventory.byVersion)} records per key version`);

    // 5. Nothing is left under version 1, so retire it. Lowering the minimum again would restore access.
    await vault.retire({ minDecryptionVersion: 2 });
    log(`retired  key versions below ${vault.minDecryptionVersion}`);
    let opened = 0;
    for (const { context, record } of refs) {
      await vault.open(record.id, context);
      opened++;
    }
    log(`opened   ${opened}/${refs.length} original records after retirement`);

    const types = audit.events.map((e) => e.type);
    log(`audit:   ${audit.events.length} events (${[...new Set(types)].join(', ')})`);
    return { rewrapped: result.rewrapped, current: result.current, opened, byVersion: inventory.byVersion, auditEvents: audit.events.length };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
