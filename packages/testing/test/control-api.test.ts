import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenarioJson } from '../src/control-api';
import { startMockServer, type MockServer } from '../src/index';

describe('scenarios written as JSON', () => {
  it('accepts every documented field', () => {
    const scenario = {
      text: ['Hel', 'lo'],
      toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }],
      usage: { inputTokens: 3, outputTokens: 2 },
      midStreamError: { kind: 'overloaded', retryAfterMs: 10 },
      chunkDelayMs: 5,
    };
    expect(parseScenarioJson(scenario)).toMatchObject(scenario);
  });

  it('names every unknown field, at any depth, with the fields it knows', () => {
    const call = () =>
      parseScenarioJson({ txt: 'x', toolCalls: [{ name: 'f', arguments: {}, args: {} }], usage: { inputTokens: 1, outputTokens: 1, costUsd: 1 } });
    expect(call).toThrow(/unknown field "txt" \(known: text, reasoning/);
    expect(call).toThrow(/toolCalls\.0: unknown field "args" \(known: id, name, arguments\)/);
    expect(call).toThrow(/usage: unknown field "costUsd" \(known: inputTokens, outputTokens/);
  });

  it('reports a wrong value with its path', () => {
    expect(() => parseScenarioJson({ error: { kind: 'rate-limit' } })).toThrow(/error\.kind: /);
    expect(() => parseScenarioJson('Hello')).toThrow(/invalid scenario/);
  });
});

describe('startMockServer control URL', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ providers: ['openai'] });
  });
  afterAll(() => server.close());

  it('is served in-process too, and queues on the same mock the test holds', async () => {
    expect(server.controlUrl).toBe(`${server.url}/__byok`);
    const response = await fetch(`${server.controlUrl}/providers/openai/scenarios`, { method: 'POST', body: '{"text":"Hi"}' });
    expect(await response.json()).toEqual({ provider: 'openai', pending: 1 });
    expect(server.provider('openai').pending).toBe(1);
    expect((await fetch(`${server.controlUrl}/providers/anthropic/scenarios`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
