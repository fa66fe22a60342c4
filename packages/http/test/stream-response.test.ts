/**
 * Streaming responses: the status comes from the first part, SSE and UI message framing, keep-alive
 * comments on an injected timer, and the upstream call aborted when the client cancels.
 */
import { ByokError, type ByokStreamPart, type RouteTrace } from '@byok/core';
import { readUIMessageStream, uiMessageChunkSchema, parseJsonEventStream, type UIMessage, type UIMessageChunk } from 'ai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sseResponse, uiMessageStreamResponse } from '../src/stream/stream-response';
import { connectOpenAI, startFixture, type Fixture } from './fixtures';

const route = (requestId = 'req_1'): RouteTrace => ({ requestId, tenantId: 't', operation: 'stream', modelSource: 'request', attempts: [], excluded: {}, startedAt: 0, durationMs: 0 });

async function* parts(list: ByokStreamPart[]): AsyncGenerator<ByokStreamPart> {
  for (const part of list) yield part;
}

async function text(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}

describe('status from the first part', () => {
  it('a failure before content is a problem with the reason status, not a 200', async () => {
    const error = new ByokError('rate_limit', 'Slow down', { retryAfterMs: 2_500 });
    const response = await sseResponse(parts([{ type: 'error', error }, { type: 'route', route: route('req_9') }]));
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toMatchObject({ reason: 'rate_limit', status: 429, detail: 'Slow down', retryable: true, requestId: 'req_9' });
  });

  it.each([
    ['auth', 502],
    ['model_not_found', 404],
    ['invalid_request', 400],
    ['overloaded', 503],
    ['timeout', 504],
    ['budget_exceeded', 429],
  ] as const)('%s before content answers %i', async (reason, status) => {
    const response = await uiMessageStreamResponse(parts([{ type: 'error', error: new ByokError(reason, 'no') }, { type: 'route', route: route() }]));
    expect(response.status).toBe(status);
    expect((await response.json()).reason).toBe(reason);
  });

  it('a failure after content stays in the 200 stream as an error event', async () => {
    const response = await sseResponse(
      parts([{ type: 'text-delta', delta: 'Hel' }, { type: 'error', error: new ByokError('stream_cut', 'cut') }, { type: 'route', route: route() }]),
      { keepAliveMs: 0 },
    );
    expect(response.status).toBe(200);
    const body = await text(response);
    expect(body).toContain('event: text-delta\ndata: {"type":"text-delta","delta":"Hel"}\n\n');
    expect(body).toMatch(/event: error\ndata: \{"type":"error","error":\{[^\n]*"reason":"stream_cut"/);
    expect(body.trimEnd().split('\n\n').at(-1)).toMatch(/^event: route/);
  });
});

describe('UI message stream', () => {
  it("is read by the AI SDK's own parser and reader into one assistant message", async () => {
    const response = await uiMessageStreamResponse(
      parts([
        { type: 'start', model: 'm' },
        { type: 'reasoning-delta', delta: 'think' },
        { type: 'reasoning-end' },
        { type: 'text-delta', delta: 'Hello ' },
        { type: 'text-delta', delta: 'world' },
        { type: 'tool-call-start', id: 'c1', name: 'weather' },
        { type: 'tool-call-delta', id: 'c1', argumentsDelta: '{"city":' },
        { type: 'tool-call-delta', id: 'c1', argumentsDelta: '"Oslo"}' },
        { type: 'tool-call', id: 'c1', name: 'weather', arguments: { city: 'Oslo' }, rawArguments: '{"city":"Oslo"}' },
        { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 } },
        { type: 'route', route: { ...route('req_ui'), servedBy: { provider: 'openai', model: 'gpt-4.1-mini', billingSource: 'byok', connectionId: 'conn_1' } } },
      ]),
      { keepAliveMs: 0, messageId: 'msg_1' },
    );
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const chunks = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema() });
    const valid = chunks.pipeThrough(
      new TransformStream<{ success: true; value: UIMessageChunk } | { success: false; error: Error }, UIMessageChunk>({
        transform(result, controller) {
          if (!result.success) throw result.error;
          controller.enqueue(result.value);
        },
      }),
    );
    const last = await collectLast<UIMessage>(readUIMessageStream({ stream: valid }));
    expect(last?.id).toBe('msg_1');
    const partTypes = last?.parts.map((p) => p.type);
    expect(partTypes).toEqual(['step-start', 'reasoning', 'text', 'tool-weather']);
    expect(last?.parts.find((p) => p.type === 'text')).toMatchObject({ text: 'Hello world', state: 'done' });
    expect(last?.parts.find((p) => p.type === 'tool-weather')).toMatchObject({ toolCallId: 'c1', state: 'input-available', input: { city: 'Oslo' } });
    expect(last?.metadata).toMatchObject({ byok: { requestId: 'req_ui', provider: 'openai', connectionId: 'conn_1', billingSource: 'byok' } });
  });

  it('ends with [DONE]', async () => {
    const body = await text(await uiMessageStreamResponse(parts([{ type: 'text-delta', delta: 'x' }, { type: 'route', route: route() }]), { keepAliveMs: 0 }));
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});

async function collectLast<T>(stream: AsyncIterable<T>): Promise<T | undefined> {
  let last: T | undefined;
  for await (const value of stream) last = value;
  return last;
}

describe('keep-alive', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a comment each interval while the provider is silent, and stops at the end', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* slow(): AsyncGenerator<ByokStreamPart> {
      yield { type: 'text-delta', delta: 'a' };
      await gate;
      yield { type: 'route', route: route() };
    }
    const response = await sseResponse(slow(), { keepAliveMs: 1_000 });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toContain('text-delta');
    const pending = reader.read();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(decoder.decode((await pending).value)).toBe(': keep-alive\n\n');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(decoder.decode((await reader.read()).value)).toBe(': keep-alive\n\n');
    release();
    let rest = '';
    for (;;) {
      const step = await reader.read();
      if (step.done) break;
      rest += decoder.decode(step.value);
    }
    expect(rest).toContain('event: route');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('uses injected timers', async () => {
    const ticks: (() => void)[] = [];
    const timers = { setInterval: (cb: () => void) => ticks.push(cb), clearInterval: vi.fn() };
    const response = await sseResponse(parts([{ type: 'text-delta', delta: 'a' }, { type: 'route', route: route() }]), { keepAliveMs: 5, timers });
    expect(ticks).toHaveLength(1);
    await text(response);
    expect(timers.clearInterval).toHaveBeenCalledOnce();
  });
});

describe('over the runtime and the mock provider', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture();
    await connectOpenAI(f.byok);
  });
  afterEach(() => f.close());

  it('streams a reply', async () => {
    f.server.provider('openai').enqueue({ text: ['Hi ', 'there'] });
    const response = await uiMessageStreamResponse(f.byok.stream({ tenantId: 'org_acme', messages: [{ role: 'user', content: 'Hi' }] }), { keepAliveMs: 0 });
    expect(response.status).toBe(200);
    const body = await text(response);
    expect(body).toContain('"delta":"Hi "');
    expect(body).toContain('"finishReason":"stop"');
  });

  it('a provider refusing every candidate before content is a problem response with its status', async () => {
    f.server.provider('openai').enqueue({ error: { kind: 'model_not_found' } });
    const response = await sseResponse(f.byok.stream({ tenantId: 'org_acme', model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] }));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ reason: 'model_not_found' });
  });

  it('cancelling the body aborts the provider call', async () => {
    f.server.provider('openai').enqueue({ text: ['a', 'b', 'c', 'd', 'e', 'f'], chunkDelayMs: 200 });
    const abortController = new AbortController();
    const stream = f.byok.stream({ tenantId: 'org_acme', messages: [{ role: 'user', content: 'Hi' }], abortSignal: abortController.signal });
    const response = await sseResponse(stream, { abortController, keepAliveMs: 0 });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(abortController.signal.aborted).toBe(true);
  });

  it("the request's signal aborting aborts the provider call", async () => {
    f.server.provider('openai').enqueue({ text: ['a', 'b', 'c'], chunkDelayMs: 200 });
    const client = new AbortController();
    const abortController = new AbortController();
    const stream = f.byok.stream({ tenantId: 'org_acme', messages: [{ role: 'user', content: 'Hi' }], abortSignal: abortController.signal });
    const response = await sseResponse(stream, { abortController, signal: client.signal, keepAliveMs: 0 });
    expect(response.status).toBe(200);
    client.abort();
    expect(abortController.signal.aborted).toBe(true);
    const body = await text(response);
    expect(body).toMatch(/"reason":"aborted"/);
  });
});
