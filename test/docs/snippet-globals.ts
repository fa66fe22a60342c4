/**
 * @module The names every docs snippet may use without declaring them, so a guide can show the line that
 * matters (`await adapter.generate(request, call)`) instead of the setup. Documented in docs/README.md
 * ("Writing docs"); a snippet that declares its own `adapter` or `call` simply shadows these.
 */
import { openai } from '../../packages/adapters-openai/src/index';
import type { CallContext, GenerateRequest, Message, ProviderAdapter, ToolDefinition } from '../../packages/core/src/index';
import type { MockProvider } from '../../packages/testing/src/index';
import { z } from '../../packages/core/node_modules/zod';

declare global {
  /** A tenant's API key (a fake, accepted by the mock providers). */
  var tenantKey: string;
  /** Same as `tenantKey`, for snippets that call it an API key. */
  var apiKey: string;
  /** `[{ role: 'user', content: 'Weather in Oslo?' }]`. */
  var messages: Message[];
  /** A `get_weather` tool with a zod `{ city }` parameter schema. */
  var weatherTool: ToolDefinition;
  /** `openai()`. */
  var adapter: ProviderAdapter;
  /** `{ model: 'gpt-4.1-mini', messages }`. */
  var request: GenerateRequest;
  /** `{ credential: { type: 'api_key', apiKey: tenantKey } }`. */
  var call: CallContext;
  /**
   * The mock providers answering the snippet's calls, by provider id, for a marker's prelude to script
   * an answer: `mocks.openai.enqueue({ error: { kind: 'rate_limit' } })`. Declared for the type-check of
   * every snippet; set only while a snippet runs.
   */
  var mocks: Record<string, MockProvider>;
}

/** Installs the globals. Keys are fakes: the mock providers answer them. */
export function installSnippetGlobals(): void {
  globalThis.tenantKey = 'sk-docs-tenant-0001';
  globalThis.apiKey = globalThis.tenantKey;
  globalThis.messages = [{ role: 'user', content: 'Weather in Oslo?' }];
  globalThis.weatherTool = { name: 'get_weather', description: 'Current weather', parameters: z.object({ city: z.string() }) };
  globalThis.adapter = openai();
  globalThis.request = { model: 'gpt-4.1-mini', messages: globalThis.messages };
  globalThis.call = { credential: { type: 'api_key', apiKey: globalThis.tenantKey } };
}
