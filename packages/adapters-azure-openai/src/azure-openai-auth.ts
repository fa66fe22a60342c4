/** @module Azure credentials: an API key goes in `api-key`; an Entra ID token in `Authorization: Bearer`. */
import type { Credential } from '@byok/core';

/** The headers that carry an Azure credential. */
export function azureAuthHeaders(credential: Credential): Record<string, string> {
  if (credential.type === 'api_key') return { 'api-key': credential.apiKey };
  if (credential.type === 'oauth_token') return { authorization: `Bearer ${credential.token}` };
  return {};
}
