import { describe, expect, it } from 'vitest';
import { vaultAuditEventSchema } from '../src/index';
import { CANARY, ctx, expectNoLeak, makeVault, newKey } from './helpers';

describe('audit', () => {
  it('records seal, open, rewrap, rotate, retire, revoke and delete with actor, time, connection and outcome, never the secret', async () => {
    const { vault, audit, keyring, store } = makeVault({ actor: 'ops-bot' });
    const record = await vault.seal(CANARY, ctx(), { actor: 'user_42' });
    await vault.open(record.id, ctx(), { actor: 'user_42' });
    await vault.open(record.id, ctx({ tenantId: 't_beta' })).catch(() => undefined);
    keyring.addVersion(2, newKey());
    await vault.rotate({ to: 2 });
    await vault.rewrap();
    await vault.retire({ minDecryptionVersion: 2 });
    const second = await vault.seal(CANARY, ctx({ connectionId: 'conn_2' }));
    await vault.revoke(second.id);
    await vault.delete(record.id);
    await vault.delete(record.id);

    const summary = audit.events.map((e) => [e.type, e.actor, e.outcome, e.reason ?? null, e.connectionId ?? null]);
    expect(summary).toEqual([
      ['vault.seal', 'user_42', 'success', null, 'conn_1'],
      ['vault.open', 'user_42', 'success', null, 'conn_1'],
      ['vault.open', 'ops-bot', 'failure', 'vault_integrity', 'conn_1'],
      ['vault.rotate', 'ops-bot', 'success', null, null],
      ['vault.rewrap', 'ops-bot', 'success', null, 'conn_1'],
      ['vault.retire', 'ops-bot', 'success', null, null],
      ['vault.seal', 'ops-bot', 'success', null, 'conn_2'],
      ['vault.revoke', 'ops-bot', 'success', null, 'conn_2'],
      ['vault.delete', 'ops-bot', 'success', null, 'conn_1'],
      ['vault.delete', 'ops-bot', 'failure', 'vault_not_found', null],
    ]);
    for (const event of audit.events) {
      expect(vaultAuditEventSchema.parse(event)).toEqual(event);
      expect(Date.parse(event.at)).not.toBeNaN();
    }
    expect(audit.events[3]).toMatchObject({ fromVersion: 1, toVersion: 2 });
    expect(audit.events[4]).toMatchObject({ fromVersion: 1, toVersion: 2, recordId: record.id });
    expectNoLeak(audit.events);
    // Nor anything a secret could be rebuilt from.
    const text = JSON.stringify(audit.events);
    for (const field of [record.ciphertext, record.wrappedKey, record.tag]) expect(text).not.toContain(field);
    expect(store).toBeDefined();
  });

  it('a failing audit sink never fails the operation', async () => {
    const errors: unknown[] = [];
    const { vault } = makeVault({
      audit: { append: () => Promise.reject(new Error('sink down')) },
      onAuditError: (e) => errors.push(e),
    });
    const record = await vault.seal(CANARY, ctx());
    await expect(vault.open(record.id, ctx())).resolves.toBe(CANARY);
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toHaveLength(2);
  });
});
