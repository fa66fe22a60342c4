/**
 * Lone UTF-16 surrogates: UTF-8 encoding replaces them with U+FFFD, so a secret would be changed on
 * the way in and two contexts differing only there would bind to the same bytes. Both are refused.
 */
import { describe, expect, it } from 'vitest';
import { encodeContext, parseEncryptionContext } from '../../src/index';
import { ctx, expectReason, makeVault, PLAIN_CANARY } from '../helpers';

const LONE_HIGH = '\uD800';
const LONE_LOW = '\uDFFF';

describe('ill-formed strings', () => {
  it('two contexts differing only in a lone surrogate would encode to the same bytes (why they are refused)', () => {
    const a = Buffer.from(`t_${LONE_HIGH}`, 'utf8');
    const b = Buffer.from(`t_${LONE_LOW}`, 'utf8');
    expect(a.equals(b)).toBe(true);
    expect(() => encodeContext(parseEncryptionContext(ctx({ tenantId: `t_${LONE_HIGH}` })))).toThrow(/well-formed/);
  });

  for (const field of ['tenantId', 'connectionId', 'provider', 'purpose'] as const) {
    it(`refuses a lone surrogate in context.${field} when sealing and opening`, async () => {
      const { vault } = makeVault();
      const record = await vault.seal(PLAIN_CANARY, ctx());
      const bad = ctx({ [field]: `x${LONE_HIGH}y` });
      let err = await expectReason(vault.seal(PLAIN_CANARY, bad), 'invalid_request');
      expect(err.field).toBe(`context.${field}`);
      expect(err.message).toMatch(/well-formed/);
      err = await expectReason(vault.open(record.id, bad), 'invalid_request');
      expect(err.field).toBe(`context.${field}`);
    });
  }

  for (const [name, secret] of [
    ['a lone high surrogate', `${PLAIN_CANARY}${LONE_HIGH}x`],
    ['a lone low surrogate', `x${LONE_LOW}${PLAIN_CANARY}`],
    ['a reversed pair', `ab${LONE_LOW}${LONE_HIGH}cd`],
  ] as const) {
    it(`refuses a secret with ${name}, naming the field and not the secret`, async () => {
      const { vault } = makeVault();
      const err = await expectReason(vault.seal(secret, ctx()), 'invalid_request', [PLAIN_CANARY, secret]);
      expect(err.field).toBe('secret');
      expect(err.message).toMatch(/surrogate/);
      expect(() => vault.fingerprint(secret, 't_alpha')).toThrow(/surrogate/);
    });
  }

  it('accepts well-formed astral characters (a proper surrogate pair)', async () => {
    const { vault } = makeVault();
    const secret = `${PLAIN_CANARY}\u{1F511}`;
    const context = ctx({ tenantId: 't_\u{1F3E2}' });
    const record = await vault.seal(secret, context);
    await expect(vault.open(record.id, context)).resolves.toBe(secret);
  });

  it('refuses an ill-formed tenant id in fingerprint()', () => {
    const { vault } = makeVault();
    expect(() => vault.fingerprint(PLAIN_CANARY, `t${LONE_HIGH}`)).toThrow(/tenant id/);
  });
});
