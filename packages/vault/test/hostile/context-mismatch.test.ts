/** A context mistake says which field differs, prints none of the sealed values, and still fails closed. */
import { describe, expect, it } from 'vitest';
import { ctx, expectReason, makeVault, PLAIN_CANARY } from '../helpers';

describe('context mismatch diagnostics', () => {
  for (const field of ['tenantId', 'connectionId', 'provider', 'purpose'] as const) {
    it(`names ${field} when only it differs`, async () => {
      const { vault } = makeVault();
      const record = await vault.seal(PLAIN_CANARY, ctx({ tenantId: 'org_secretive_customer' }));
      const err = await expectReason(vault.open(record.id, ctx({ tenantId: 'org_secretive_customer', [field]: 'other_value' })), 'vault_integrity');
      expect(err.field).toBe(`context.${field}`);
      expect(err.message).toMatch(new RegExp(`: ${field} differs`));
      expect(err.message).not.toContain('org_secretive_customer');
    });
  }

  it('names every differing field', async () => {
    const { vault } = makeVault();
    const record = await vault.seal(PLAIN_CANARY, ctx());
    const err = await expectReason(vault.open(record.id, ctx({ connectionId: 'conn_9', provider: 'anthropic' })), 'vault_integrity');
    expect(err.message).toMatch(/connectionId, provider differ/);
    expect(err.field).toBe('context.connectionId');
  });

  it('a row whose stored context was rewritten to match the caller still fails, on authentication', async () => {
    const { vault, store } = makeVault();
    const record = await vault.seal(PLAIN_CANARY, ctx());
    await store.put({ ...record, context: ctx({ tenantId: 't_mallory' }) });
    const err = await expectReason(vault.open(record.id, ctx({ tenantId: 't_mallory' })), 'vault_integrity');
    expect(err.message).toMatch(/altered|could not be unwrapped/);
  });
});
