import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateRequestSchema, isByokError, parseOrThrow, toJsonSchema } from '../src/index';

function reject(request: unknown) {
  try {
    parseOrThrow(generateRequestSchema, request, 'request');
  } catch (error) {
    if (isByokError(error)) return error;
    throw error;
  }
  throw new Error('expected the request to be rejected');
}

const user = { role: 'user', content: 'hi' } as const;

describe('generate request validation', () => {
  it('accepts a full request', () => {
    const parsed = parseOrThrow(generateRequestSchema, {
      model: 'gpt-4.1-mini',
      messages: [
        { role: 'system', content: 'be terse' },
        { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', url: 'https://example.test/cat.png' }, { type: 'image', data: new Uint8Array([1, 2]), mediaType: 'image/png' }] },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'c1', name: 'get_weather', arguments: { city: 'Oslo' } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'get_weather', result: { tempC: 4 } }] },
      ],
      tools: [{ name: 'get_weather', parameters: z.object({ city: z.string() }) }],
      toolChoice: { type: 'tool', name: 'get_weather' },
      responseFormat: { type: 'json', schema: { type: 'object' } },
      temperature: 2,
      maxTokens: 100,
      stop: ['END'],
      seed: 7,
    }, 'request');
    expect(parsed.messages).toHaveLength(4);
  });

  it.each([
    [{ messages: [user] }, 'model'],
    [{ model: 'm', messages: [] }, 'messages'],
    [{ model: 'm', messages: [user], temperature: 2.5 }, 'temperature'],
    [{ model: 'm', messages: [user], maxTokens: 0 }, 'maxTokens'],
    [{ model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages.0.role'],
    [{ model: 'm', messages: [{ role: 'user', content: [{ type: 'image' }] }] }, 'messages.0.content.0.url'],
    [{ model: 'm', messages: [{ role: 'user', content: [{ type: 'image', data: 'AAAA' }] }] }, 'messages.0.content.0.mediaType'],
    [{ model: 'm', messages: [user], tools: [{ name: 'bad name!', parameters: {} }] }, 'tools.0.name'],
    [{ model: 'm', messages: [user], tools: [{ name: 'a', parameters: {} }, { name: 'a', parameters: {} }] }, 'tools.1.name'],
    [{ model: 'm', messages: [user], toolChoice: { type: 'tool', name: 'missing' } }, 'toolChoice.name'],
    [{ model: 'm', messages: [user], toolChoice: 'required' }, 'toolChoice'],
    [{ model: 'm', messages: [user], abortSignal: 'nope' }, 'abortSignal'],
  ])('rejects %j naming the field %s', (request, field) => {
    const error = reject(request);
    expect(error.reason).toBe('invalid_request');
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });
});

describe('toJsonSchema', () => {
  it('converts zod and passes JSON Schema through', () => {
    expect(toJsonSchema(z.object({ city: z.string() }))).toMatchObject({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] });
    const json = { type: 'object', properties: {} };
    expect(toJsonSchema(json)).toBe(json);
  });
});
