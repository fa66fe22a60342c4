import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMockProvider, type MockRequest, type Scenario } from '../src/index';

const fixture = (name: string) => readFileSync(new URL(`../src/protocols/__fixtures__/${name}.sse.txt`, import.meta.url), 'utf8');

/** The scenarios the fixtures were rendered from. */
const FIXTURES: Record<string, Scenario> = {
  'anthropic-text': { text: ['Hi', ' there!'], usage: { inputTokens: 12, outputTokens: 6 }, requestId: 'req_011CMockText000000000000' },
  'anthropic-tool-call': {
    text: ["I'll check the weather in Oslo."],
    toolCalls: [{ id: 'toolu_01MockStUvWxYz0123456789', name: 'get_weather', arguments: { city: 'Oslo', unit: 'celsius' } }],
    usage: { inputTokens: 402, outputTokens: 58 },
    requestId: 'req_011CMockTool000000000000',
  },
  'anthropic-thinking': {
    reasoning: ['The user wants 17 × 23.', ' 17 × 20 = 340, 17 × 3 = 51, so 391.'],
    reasoningSignature: 'EqQBCkYIBxgCKkBMockSignatureAbCdEfGhIjKlMnOpQrStUvWxYz0123456789==',
    text: ['17 × 23 = ', '391.'],
    usage: { inputTokens: 1536, outputTokens: 120, cachedInputTokens: 1024, cacheWriteTokens: 0 },
    requestId: 'req_011CMockThink00000000000',
  },
};

function request(body: Record<string, unknown> | undefined, init: { method?: string; path?: string; query?: string; headers?: Record<string, string> } = {}): MockRequest {
  const path = init.path ?? '/messages';
  const rawBody = body === undefined ? '' : JSON.stringify(body);
  return {
    method: init.method ?? 'POST',
    url: new URL(`https://api.anthropic.com/v1${path}${init.query ?? ''}`),
    path,
    headers: new Headers({ 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant-test', ...init.headers }),
    body,
    rawBody,
  };
}

const streamBody = { model: 'claude-sonnet-4-5-20250929', max_tokens: 1024, stream: true, messages: [{ role: 'user', content: 'Hi' }] };

async function render(scenario: Scenario, body: Record<string, unknown> | undefined = streamBody, init?: Parameters<typeof request>[1]) {
  const mock = createMockProvider('anthropic').enqueue(scenario);
  return mock.handle(request(body, init));
}

describe('anthropic mock protocol', () => {
  for (const name of Object.keys(FIXTURES)) {
    it(`renders ${name} byte for byte`, async () => {
      const response = await render(FIXTURES[name] as Scenario);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      expect(response.headers.get('request-id')).toBe(FIXTURES[name]?.requestId);
      expect(await response.text()).toBe(fixture(name));
    });
  }

  it('gives every frame an event line equal to its JSON type, ending with message_stop', async () => {
    const text = await (await render(FIXTURES['anthropic-tool-call'] as Scenario)).text();
    const frames = text.trim().split('\n\n');
    for (const frame of frames) {
      const [eventLine, dataLine] = frame.split('\n');
      expect(eventLine?.slice('event: '.length)).toBe((JSON.parse(dataLine?.slice('data: '.length) ?? '') as { type: string }).type);
    }
    expect(frames.at(-1)).toBe('event: message_stop\ndata: {"type":"message_stop"}');
  });

  it('renders a non-streaming Message', async () => {
    const response = await render(FIXTURES['anthropic-tool-call'] as Scenario, { ...streamBody, stream: false });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      stop_reason: 'tool_use',
      stop_sequence: null,
      content: [
        { type: 'text', text: "I'll check the weather in Oslo." },
        { type: 'tool_use', id: 'toolu_01MockStUvWxYz0123456789', name: 'get_weather', input: { city: 'Oslo', unit: 'celsius' } },
      ],
      usage: { input_tokens: 402, output_tokens: 58, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(body.id).toMatch(/^msg_01/);
  });

  it('ends a mid-stream error with event: error and no message_stop', async () => {
    const text = await (await render({ text: 'Hi', midStreamError: { kind: 'overloaded' } })).text();
    expect(text.endsWith('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n')).toBe(true);
    expect(text).not.toContain('message_stop');
  });

  it('renders a malformed frame with its event line', async () => {
    const text = await (await render({ text: ['a', 'b'], malformedChunkAt: 3 })).text();
    expect(text).toContain('event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tr\n\n');
  });

  it.each([
    [{ kind: 'auth' }, 401, 'authentication_error', 'invalid x-api-key'],
    [{ kind: 'forbidden' }, 403, 'permission_error', undefined],
    [{ kind: 'model_not_found' }, 404, 'not_found_error', 'model: claude-sonnet-4-5-20250929'],
    [{ kind: 'context_length' }, 400, 'invalid_request_error', 'prompt is too long: 208656 tokens > 200000 maximum'],
    [{ kind: 'billing' }, 402, 'billing_error', undefined],
    [{ kind: 'server_error' }, 500, 'api_error', undefined],
    [{ kind: 'overloaded' }, 529, 'overloaded_error', 'Overloaded'],
    [{ kind: 'timeout' }, 504, 'timeout_error', undefined],
  ] as const)('renders %o as %i %s', async (error, status, type, message) => {
    const response = await render({ error });
    expect(response.status).toBe(status);
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    const body = (await response.json()) as { type: string; error: { type: string; message: string }; request_id: string };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe(type);
    if (message) expect(body.error.message).toBe(message);
    expect(body.request_id).toBe(response.headers.get('request-id'));
  });

  it('renders a 429 with retry-after and anthropic-ratelimit headers', async () => {
    const response = await render({ error: { kind: 'rate_limit', retryAfterSeconds: 7 } });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(response.headers.get('anthropic-ratelimit-tokens-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('rate_limit_error');
  });

  it('renders the spend-limit 429 with its error code and no retry-after', async () => {
    const response = await render({ error: { kind: 'billing', status: 429, retryAfterSeconds: 3 } });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await response.json()).toMatchObject({ error: { type: 'rate_limit_error', details: { error_code: 'enforced_spend_limit_reached' } } });
  });

  it('extracts x-api-key (and bearer tokens) for acceptKeys', async () => {
    const mock = createMockProvider('anthropic', { acceptKeys: ['sk-ant-good'] });
    expect((await mock.handle(request(streamBody, { headers: { 'x-api-key': 'sk-ant-bad' } }))).status).toBe(401);
    expect((await mock.handle(request(streamBody, { headers: { 'x-api-key': 'sk-ant-good' } }))).status).toBe(200);
    const bearer = request(streamBody, { headers: { authorization: 'Bearer sk-ant-good' } });
    bearer.headers.delete('x-api-key');
    expect((await mock.handle(bearer)).status).toBe(200);
  });

  it('refuses a call without anthropic-version like the real API', async () => {
    const mock = createMockProvider('anthropic');
    const req = request(streamBody);
    req.headers.delete('anthropic-version');
    const response = await mock.handle(req);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' } });
  });

  it('pages the models list with after_id and has_more', async () => {
    const mock = createMockProvider('anthropic');
    const first = (await (await mock.handle(request(undefined, { method: 'GET', path: '/models', query: '?limit=4' }))).json()) as {
      data: { id: string; type: string }[];
      has_more: boolean;
      last_id: string;
    };
    expect(first.data).toHaveLength(4);
    expect(first.data[0]).toMatchObject({ type: 'model', id: 'claude-opus-4-5-20251101' });
    expect(first.has_more).toBe(true);
    const rest = (await (await mock.handle(request(undefined, { method: 'GET', path: '/models', query: `?limit=100&after_id=${first.last_id}` }))).json()) as {
      data: { id: string }[];
      has_more: boolean;
    };
    expect(rest.has_more).toBe(false);
    expect(new Set([...first.data, ...rest.data].map((m) => m.id)).size).toBe(first.data.length + rest.data.length);
  });
});
