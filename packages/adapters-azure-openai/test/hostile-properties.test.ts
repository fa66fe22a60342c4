/** Property: for any deployment name, the URL stays under `/openai/deployments/` with only the api-version query. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isByokError } from '@byok/core';
import { azureOpenAIUrl } from '../src/index';

const ROOT = 'https://mock-resource.openai.azure.com/openai';
const pathy = fc.string({ unit: fc.oneof(fc.constantFrom('.', '/', '%', '?', '#', '2', 'e', 'E', '&', '=', '%2e', '%2F', 'api-version'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 24 });

describe('azure deployment names (property)', () => {
  it('for any deployment, the URL is refused as invalid_request or is exactly one segment under /openai/deployments/', () => {
    fc.assert(
      fc.property(fc.oneof(pathy, fc.string({ unit: 'binary', maxLength: 40 })), (deployment) => {
        let url: string;
        try {
          url = azureOpenAIUrl({ baseUrl: ROOT, path: '/chat/completions', apiStyle: 'deployments', deployment });
        } catch (error) {
          expect(isByokError(error) && error.reason === 'invalid_request').toBe(true);
          return;
        }
        const parsed = new URL(url);
        expect(parsed.origin).toBe('https://mock-resource.openai.azure.com');
        const segments = parsed.pathname.split('/');
        expect(segments.slice(0, 3)).toEqual(['', 'openai', 'deployments']);
        expect(segments.slice(4)).toEqual(['chat', 'completions']);
        expect(decodeURIComponent(segments[3] ?? '')).toBe(deployment);
        expect([...parsed.searchParams.keys()]).toEqual(['api-version']);
        expect(parsed.hash).toBe('');
      }),
      { numRuns: 2000 },
    );
  });
});
