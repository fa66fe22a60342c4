/**
 * @module Vault throughput against raw `node:crypto` AES-256-GCM on the same payload: seal vs a raw
 * encrypt, open vs a raw decrypt, and open (and the resolver) with and without the cache. Reported as ops/s and as
 * ratios (vault / raw). Run with `pnpm bench vault`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalKeyring, createMemoryStore, createVault, credentialRefOf, type EncryptionContext } from '../src/index';

const ROUND_MS = 1_500;
const ROUNDS = 3;
// A fake 65-byte secret, the size of a typical provider key.
const PAYLOAD = `sk-bench-vault-${'x'.repeat(50)}`;

const context: EncryptionContext = { tenantId: 'org_bench', connectionId: 'conn_bench', provider: 'openai', purpose: 'provider_credential' };

async function measure(name: string, op: () => unknown | Promise<unknown>): Promise<{ name: string; opsPerSec: number }> {
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) await op();
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    (globalThis as { gc?: () => void }).gc?.();
    let ops = 0;
    const start = performance.now();
    const end = start + ROUND_MS;
    let now = start;
    while (now < end) {
      // Batches keep the clock out of the measurement for fast ops.
      for (let i = 0; i < 64; i++) await op();
      ops += 64;
      now = performance.now();
    }
    rates.push((ops * 1000) / (now - start));
  }
  rates.sort((a, b) => a - b);
  return { name, opsPerSec: rates[Math.floor(rates.length / 2)] as number };
}

async function main(): Promise<void> {
  const key = randomBytes(32);
  const aad = Buffer.from(JSON.stringify(context));
  const payload = Buffer.from(PAYLOAD);

  const rawEncrypt = () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    cipher.setAAD(aad);
    const ct = Buffer.concat([cipher.update(payload), cipher.final()]);
    return { iv, ct, tag: cipher.getAuthTag() };
  };
  const sealed = rawEncrypt();
  const rawDecrypt = () => {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ct), decipher.final()]);
  };

  const keyring = createLocalKeyring({ keys: { 1: randomBytes(32).toString('base64') }, primary: 1 });
  const fingerprintKey = randomBytes(32).toString('base64');
  const plain = createVault({ keyring, fingerprintKey, store: createMemoryStore() });
  const cached = createVault({ keyring, fingerprintKey, store: createMemoryStore(), cache: { ttlMs: 60_000 } });
  const record = await plain.seal(PAYLOAD, context);
  const cachedRecord = await cached.seal(PAYLOAD, context);
  const cachedRef = credentialRefOf(cachedRecord);
  // Sealing grows the store; give each seal its own store so the benchmark measures sealing, not a huge map.
  let sealStore = createMemoryStore();
  let sealVault = createVault({ keyring, fingerprintKey, store: sealStore });
  const seal = async () => {
    if (sealStore.size() >= 20_000) {
      sealStore = createMemoryStore();
      sealVault = createVault({ keyring, fingerprintKey, store: sealStore });
    }
    return sealVault.seal(PAYLOAD, context);
  };

  const rows = [
    await measure('raw AES-256-GCM encrypt', rawEncrypt),
    await measure('vault.seal', seal),
    await measure('raw AES-256-GCM decrypt', rawDecrypt),
    await measure('vault.open (no cache)', () => plain.open(record.id, context)),
    await measure('vault.open (cache hit)', () => cached.open(cachedRecord.id, context)),
    // What the runtime does on every request: a fresh call context, the connection's reference.
    await measure('vault.resolve (cache hit)', () =>
      cached.resolve(cachedRef, { tenantId: context.tenantId, connectionId: context.connectionId, provider: context.provider, purpose: 'generate', requestId: 'req_bench' }),
    ),
  ];
  const rate = (name: string) => rows.find((r) => r.name === name)?.opsPerSec ?? Number.NaN;

  console.log(`payload: ${payload.length} bytes; median of ${ROUNDS} × ${ROUND_MS} ms; node ${process.version}\n`);
  console.log(`${'operation'.padEnd(28)}${'ops/s'.padStart(14)}`);
  for (const row of rows) console.log(`${row.name.padEnd(28)}${Math.round(row.opsPerSec).toLocaleString('en-US').padStart(14)}`);

  const ratios = {
    'seal / raw encrypt': rate('vault.seal') / rate('raw AES-256-GCM encrypt'),
    'open (no cache) / raw decrypt': rate('vault.open (no cache)') / rate('raw AES-256-GCM decrypt'),
    'open (cache hit) / raw decrypt': rate('vault.open (cache hit)') / rate('raw AES-256-GCM decrypt'),
    'open cache hit / open no cache': rate('vault.open (cache hit)') / rate('vault.open (no cache)'),
  };
  console.log('\nratios');
  for (const [label, value] of Object.entries(ratios)) console.log(`${label.padEnd(34)}${value.toFixed(3).padStart(10)}`);

  const out = join(new URL('../../..', import.meta.url).pathname, '.bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'vault.json'), `${JSON.stringify({ node: process.version, payloadBytes: payload.length, rows, ratios }, null, 2)}\n`);
}

await main();
