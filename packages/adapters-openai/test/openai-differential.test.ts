/**
 * Differential test: the official `openai` SDK and our adapter read the same mock responses,
 * and must agree on text, tool calls (name + parsed arguments) and usage.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { setupServer } from 'msw/node';
import { collectStream, type GenerateResult } from '@byok/core';
import { CANARY_KEYS, createMockProvider, mswHandlers, type Scenario } from '@byok/testing';
import { openai } from '../src/index';

const apiKey = CANARY_KEYS.openai;
const mock = createMockProvider('openai');
const server = setupServer(...mswHandlers(mock));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => void mock.reset());
afterAll(() => server.close());

// The SDK binds fetch when constructed; route it through the global one msw patches.
const sdk = new OpenAI({ apiKey, maxRetries: 0, fetch: (input, init) => globalThis.fetch(input, init) });
const ours = openai();
const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
const sdkTools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: tools[0]!.parameters } }];
const messages = [{ role: 'user' as const, content: 'Weather in Oslo and Bergen?' }];

interface Normalized {
  text: string;
  toolCalls: { name: string; arguments: unknown }[];
  usage: { inputTokens: number; outputTokens: number; totalTokens: number; cachedInputTokens?: number; reasoningTokens?: number };
}

function fromSdkUsage(usage: OpenAI.CompletionUsage | null | undefined): Normalized['usage'] {
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    totalTokens: usage?.total_tokens ?? 0,
    cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens,
  };
}

function fromSdkMessage(message: { content?: string | null; tool_calls?: OpenAI.ChatCompletionMessageToolCall[] | null }, usage: OpenAI.CompletionUsage | null | undefined): Normalized {
  return {
    text: message.content ?? '',
    toolCalls: (message.tool_calls ?? []).flatMap((call) =>
      call.type === 'function' ? [{ name: call.function.name, arguments: JSON.parse(call.function.arguments) as unknown }] : [],
    ),
    usage: fromSdkUsage(usage),
  };
}

function fromOurs(result: GenerateResult): Normalized {
  return {
    text: result.text,
    toolCalls: result.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments })),
    usage: {
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      totalTokens: result.usage.totalTokens,
      cachedInputTokens: result.usage.cachedInputTokens,
      reasoningTokens: result.usage.reasoningTokens,
    },
  };
}

const scenarios: Record<string, Scenario> = {
  text: { text: ['Hello', ' there', ', Oslo.'], usage: { inputTokens: 12, outputTokens: 5 } },
  'parallel fragmented tool calls': {
    toolCalls: [
      { name: 'get_weather', arguments: { city: 'Oslo' } },
      { name: 'get_weather', arguments: { city: 'Bergen' } },
    ],
    usage: { inputTokens: 81, outputTokens: 17, cachedInputTokens: 64 },
  },
  'whole tool call': { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }], toolCallStyle: 'whole' },
  'JSON output': { json: { city: 'Oslo', temperature: 4.5, tags: ['cold', 'clear'] } },
  'reasoning usage': { text: 'Done.', usage: { inputTokens: 40, outputTokens: 78, reasoningTokens: 64, cachedInputTokens: 32 } },
  unicode: { text: ['Blåbær', ' 🍓', ' — ok'] },
};

describe('differential: official openai SDK vs @byok/adapters-openai on the same mock responses', () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(`${name}: non-streaming`, async () => {
      mock.enqueue(scenario, scenario);
      const theirs = await sdk.chat.completions.create({ model: 'gpt-4.1-mini', messages, tools: sdkTools });
      const mine = await ours.generate({ model: 'gpt-4.1-mini', messages, tools }, { credential: { type: 'api_key', apiKey } });
      expect(fromOurs(mine)).toEqual(fromSdkMessage(theirs.choices[0]!.message, theirs.usage));
    });

    it(`${name}: streaming`, async () => {
      mock.enqueue(scenario, scenario);
      const stream = sdk.chat.completions.stream({ model: 'gpt-4.1-mini', messages, tools: sdkTools, stream_options: { include_usage: true } });
      let usage: OpenAI.CompletionUsage | undefined;
      stream.on('chunk', (chunk) => {
        if (chunk.usage) usage = chunk.usage;
      });
      const final = await stream.finalChatCompletion();
      const mine = await collectStream(ours.stream({ model: 'gpt-4.1-mini', messages, tools }, { credential: { type: 'api_key', apiKey } }));
      const theirs = fromSdkMessage(final.choices[0]!.message, usage);
      expect(theirs.text !== '' || theirs.toolCalls.length > 0).toBe(true);
      expect(fromOurs(mine)).toEqual(theirs);
    });
  }
});
