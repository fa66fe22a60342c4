/**
 * @module The runtime's view of credentials. Core never imports the vault: it needs a
 * `CredentialKeeper` (seal, delete, resolve, and optionally fingerprint), which `@byok/vault`'s
 * `Vault` satisfies as it is. Platform keys from the environment come through
 * {@link envCredentialResolver}. Resolved credentials are cached only when the policy says so,
 * and the cache entry of a connection is dropped on rotate, revoke and disable.
 */
import { ByokError } from '../errors/byok-error';
import type { Credential, CredentialContext, CredentialResolver } from '../spec/credential';
import type { CredentialRef, Connection } from '../taxonomy/connection';
import type { CredentialSource } from '../taxonomy/billing';

/** The encryption context a secret is sealed under (the vault's `EncryptionContext`). */
export interface SealContext {
  tenantId: string;
  connectionId: string;
  provider: string;
  purpose: string;
}

/** What sealing returns: an id to reference, and the non-secret hint and fingerprint. */
export interface SealedCredential {
  id: string;
  hint?: string;
  fingerprint?: string;
}

/**
 * Seals, destroys and opens tenant secrets. `@byok/vault`'s `createVault()` returns one.
 *
 * @example
 * const byok = createByok({ credentials: createVault({ keyring, store, fingerprintKey }), ... });
 */
export interface CredentialKeeper extends CredentialResolver {
  seal(secret: string, context: SealContext, options?: { kind?: 'api_key' | 'oauth_token'; actor?: string }): Promise<SealedCredential>;
  /** Destroys a sealed secret; resolves `false` when there was none. */
  delete(ref: string, options?: { actor?: string }): Promise<boolean>;
  /** Like delete, recorded as a revocation (used by `connections.revoke` when present). */
  revoke?(ref: string, options?: { actor?: string }): Promise<boolean>;
  /** The tenant-keyed fingerprint a secret would get, for duplicate detection before sealing. */
  fingerprint?(secret: string, tenantId: string): string;
}

/** The purpose secrets are sealed under (the vault's `PROVIDER_CREDENTIAL_PURPOSE`). */
export const SEAL_PURPOSE = 'provider_credential';

/**
 * A resolver for platform keys kept in environment variables: a connection with credential
 * source `platform_env` and `ref` `OPENAI_API_KEY` resolves to that variable's value.
 *
 * @example
 * createByok({ credentials: vault, resolvers: { platform_env: envCredentialResolver(process.env) }, ... });
 */
export function envCredentialResolver(env: Readonly<Record<string, string | undefined>>): CredentialResolver {
  return {
    async resolve(ref: CredentialRef, context: CredentialContext): Promise<Credential> {
      const value = env[ref.ref];
      if (!value) {
        throw new ByokError('vault_not_found', `The platform key for connection ${context.connectionId} is not set (environment variable ${ref.ref} is empty)`, {
          field: 'credential.ref',
        });
      }
      return { type: 'api_key', apiKey: value };
    },
  };
}

/** Resolves a connection's credential through the right resolver, with an optional short cache. */
export class CredentialBroker {
  private readonly cache = new Map<string, { credential: Credential; expiresAt: number }>();

  constructor(
    private readonly fallback: CredentialResolver | undefined,
    private readonly bySource: Partial<Record<CredentialSource, CredentialResolver>>,
    private readonly cacheMs: number,
  ) {}

  /** The plaintext credential for one call. */
  async resolve(connection: Connection, context: Omit<CredentialContext, 'tenantId' | 'connectionId' | 'provider'>, now: number): Promise<Credential> {
    if (connection.authType === 'none' || !connection.credential) return { type: 'none' };
    const ref = connection.credential;
    // The key is built only when there is a cache to look in.
    const key = this.cacheMs > 0 ? `${connection.tenantId}\u0000${connection.id}\u0000${ref.ref}` : undefined;
    if (key !== undefined) {
      const hit = this.cache.get(key);
      if (hit && hit.expiresAt > now) return hit.credential;
    }
    const resolver = this.bySource[ref.source] ?? this.fallback;
    if (!resolver) {
      throw new ByokError('vault_misconfigured', `No credential resolver for source "${ref.source}"; pass createByok({ credentials }) or resolvers.${ref.source}`, {
        field: 'credentials',
      });
    }
    // Object.assign, not a spread plus three new keys (V8 makes a new map for each such object).
    const full = Object.assign({}, context) as CredentialContext;
    full.tenantId = connection.tenantId;
    full.connectionId = connection.id;
    full.provider = connection.provider;
    const credential = await resolver.resolve(ref, full);
    if (key !== undefined) {
      this.cache.set(key, { credential, expiresAt: now + this.cacheMs });
      if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
    }
    return credential;
  }

  /** Drops a connection's cached credentials. */
  forget(tenantId: string, connectionId: string): void {
    const prefix = `${tenantId}\u0000${connectionId}\u0000`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }
}
