/**
 * Azure against hostile caller values: a deployment name can never rewrite the request path,
 * and only the credential's own header carries it (a stray `Authorization` is dropped).
 */
import { describe, expect, it } from 'vitest';
import { collectStream } from '@byok/core';
import { CANARY_KEYS } from '@byok/testing';
import { azureOpenai, azureOpenAIRoot, azureOpenAIUrl } from '../src/index';
import { useMock } from '../../adapters-openai-compatible/test/chat-completions-suite';

const apiKey = CANARY_KEYS.generic;
const call = { credential: { type: 'api_key' as const, apiKey } };
const ask = (model: string) => ({ model, messages: [{ role: 'user' as const, content: 'Hi' }] });
const ROOT = 'https://mock-resource.openai.azure.com/openai';

describe('azure deployment names in the URL path', () => {
  const mock = useMock('azure_openai');

  it.each(['..', '.', '%2e%2e', '.%2E', ''])('refuses the deployment %j as invalid_request, before any request', async (name) => {
    const adapter = azureOpenai({ resource: 'mock-resource', deployments: { 'gpt-4.1-mini': name } });
    expect(await adapter.generate(ask('gpt-4.1-mini'), call).catch((e: unknown) => e)).toMatchObject({ reason: 'invalid_request', field: 'model' });
    expect(await collectStream(adapter.stream(ask('gpt-4.1-mini'), call)).catch((e: unknown) => e)).toMatchObject({ reason: 'invalid_request' });
    expect(mock.requests).toHaveLength(0);
  });

  it('keeps a deployment with /, ? or # inside one encoded segment', () => {
    const url = new URL(azureOpenAIUrl({ baseUrl: ROOT, path: '/chat/completions', apiStyle: 'deployments', deployment: '../../x?api-version=1#' }));
    expect(url.pathname).toBe('/openai/deployments/..%2F..%2Fx%3Fapi-version%3D1%23/chat/completions');
    expect(url.searchParams.getAll('api-version')).toEqual(['2024-10-21']);
    expect(url.hash).toBe('');
  });
});

describe('azure credential headers', () => {
  const mock = useMock('azure_openai');
  const adapter = azureOpenai({ resource: 'mock-resource' });

  it('drops a stray Authorization (connection or request) beside the api-key', async () => {
    mock.enqueue({ text: 'ok' }, { text: 'ok' });
    await adapter.generate({ ...ask('chat-prod'), headers: { Authorization: 'Bearer request-token' } }, { ...call, headers: { authorization: 'Bearer tenant-token', 'x-trace': 't' } });
    await collectStream(adapter.stream(ask('chat-prod'), { ...call, headers: { Authorization: 'Bearer tenant-token' } }));
    for (const request of mock.requests) {
      expect(request.headers['api-key']).toBe(apiKey);
      expect(request.headers.authorization).toBeUndefined();
    }
    expect(mock.requests[0]?.headers['x-trace']).toBe('t');
  });

  it('drops a stray api-key beside an Entra ID token', async () => {
    mock.enqueue({ text: 'ok' });
    await adapter.generate(ask('chat-prod'), { credential: { type: 'oauth_token', token: 'eyJhbGciOiJSUzI1NiJ9.entra.token' }, headers: { 'api-key': 'someone-elses-key' } });
    expect(mock.requests[0]?.headers.authorization).toBe('Bearer eyJhbGciOiJSUzI1NiJ9.entra.token');
    expect(mock.requests[0]?.headers['api-key']).toBeUndefined();
  });
});

describe('azure endpoints from a tenant', () => {
  it('normalizes an endpoint with a long run of slashes mid-path in linear time', () => {
    const endpoint = `https://tenant.openai.azure.com${'/'.repeat(200_000)}x`;
    expect(azureOpenAIRoot(`${endpoint}///`)).toBe(`${endpoint}/openai`);
  });
});
