/** @module The credential an adapter call receives, and the resolver that produces it. */
import type { CredentialRef } from '../taxonomy/connection';

/**
 * The plaintext credential for exactly one call. Adapters receive it as an argument and
 * never keep it; it is never part of an adapter instance.
 */
export type Credential =
  | { type: 'api_key'; apiKey: string }
  | { type: 'oauth_token'; token: string }
  | { type: 'none' };

/**
 * Who opens a credential, for what. Tenant, connection and provider must match what the
 * secret was sealed for (the vault binds them into its encryption context).
 */
export interface CredentialContext {
  tenantId: string;
  connectionId: string;
  provider: string;
  /** Why the secret is opened for this call, e.g. `generate`, `key_test`; recorded in audit events. */
  purpose: string;
  /** Who asked (a user or service id), for audit events. */
  actor?: string;
  /** The request this call serves, to tie audit events to it. */
  requestId?: string;
}

/**
 * Turns a credential reference into a plaintext credential for one call.
 * The vault implements it; hosts may implement it over their own secret manager.
 */
export interface CredentialResolver {
  resolve(ref: CredentialRef, context: CredentialContext): Promise<Credential>;
}

/** The secret string in a credential, if any; for redaction lists. */
export function credentialSecret(credential: Credential | undefined): string | undefined {
  if (!credential) return undefined;
  if (credential.type === 'api_key') return credential.apiKey;
  if (credential.type === 'oauth_token') return credential.token;
  return undefined;
}
