/** @module Who pays: billing sources, action classes, credential sources and auth types. */
import { z } from 'zod';

/**
 * Who pays for a call: `platform` (the host's key, charged as platform credits),
 * `byok` (the tenant's key, token spend passes through), `private` (the tenant's own endpoint).
 */
export const billingSourceSchema = z.enum(['platform', 'byok', 'private']);
/** A billing source. */
export type BillingSource = z.infer<typeof billingSourceSchema>;

/** What is being billed. */
export const actionClassSchema = z.enum([
  'llm_tokens',
  'embedding',
  'voice_stt',
  'voice_tts',
  'image_generation',
  'platform_resource',
]);
/** An action class. */
export type ActionClass = z.infer<typeof actionClassSchema>;

/** Where a credential comes from. */
export const credentialSourceSchema = z.enum([
  'platform_env',
  'platform_vault',
  'organization_setting',
  'organization_auth_profile',
  'integration_connection',
]);
/** A credential source. */
export type CredentialSource = z.infer<typeof credentialSourceSchema>;

/** How a connection authenticates: an API key, an OAuth bearer token, or nothing (private networks). */
export const authTypeSchema = z.enum(['api_key', 'oauth_token', 'none']);
/** An auth type. */
export type AuthType = z.infer<typeof authTypeSchema>;
