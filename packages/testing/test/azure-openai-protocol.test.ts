import { describe, expect, it } from 'vitest';
import { fixture, renderReply } from './render-reply';

const DEPLOYMENT_PATH = '/deployments/chat-prod/chat/completions?api-version=2024-10-21';
const streamBody = {
  model: 'chat-prod',
  messages: [{ role: 'user', content: 'Weather in Oslo?' }],
  stream: true,
  stream_options: { include_usage: true },
};

function dataLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: {'))
    .map((frame) => JSON.parse(frame.slice(6)) as Record<string, unknown>);
}

describe('azure_openai protocol', () => {
  it('renders a text stream byte for byte like the fixture', async () => {
    const reply = await renderReply(
      'azure_openai',
      { text: ['Hello', ' there.'], usage: { inputTokens: 12, outputTokens: 3 } },
      { path: DEPLOYMENT_PATH, body: streamBody, headers: { 'api-key': 'azure-key' } },
    );
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(fixture('azure-openai-text.sse.txt', reply.text));
  });

  it('renders a tool-call stream byte for byte like the fixture', async () => {
    const reply = await renderReply(
      'azure_openai',
      {
        toolCalls: [{ id: 'call_Ab12Cd34Ef56Gh78Ij90Kl12', name: 'get_weather', arguments: { city: 'Oslo' } }],
        usage: { inputTokens: 81, outputTokens: 78, reasoningTokens: 64 },
      },
      { path: DEPLOYMENT_PATH, body: streamBody, headers: { 'api-key': 'azure-key' } },
    );
    expect(reply.text).toBe(fixture('azure-openai-tool-call.sse.txt', reply.text));
  });

  it('opens with the prompt-filter chunk, filters every choice and orders keys alphabetically', async () => {
    const { text } = await renderReply('azure_openai', { text: ['Hi'] }, { path: DEPLOYMENT_PATH, body: streamBody });
    const chunks = dataLines(text);
    expect(chunks[0]).toMatchObject({ choices: [], created: 0, id: '', model: '', object: '' });
    expect(chunks[0]?.prompt_filter_results).toBeDefined();
    const content = chunks.find((c) => (c.choices as { delta?: { content?: string } }[])[0]?.delta?.content === 'Hi');
    expect((content?.choices as Record<string, unknown>[])[0]?.content_filter_results).toHaveProperty('hate');
    for (const chunk of chunks) expect(Object.keys(chunk)).toEqual([...Object.keys(chunk)].sort());
  });

  it('serves the v1 path without api-version and 404s the dated path without it', async () => {
    const v1 = await renderReply('azure_openai', { text: 'ok' }, { path: '/v1/chat/completions', body: { ...streamBody, stream: false } });
    expect(v1.status).toBe(200);
    expect(JSON.parse(v1.text)).toMatchObject({ prompt_filter_results: expect.any(Array), choices: [{ content_filter_results: expect.any(Object) }] });
    const missing = await renderReply('azure_openai', { text: 'ok' }, { path: '/deployments/chat-prod/chat/completions', body: streamBody });
    expect(missing.status).toBe(404);
  });

  it('answers Azure error shapes', async () => {
    const auth = await renderReply('azure_openai', { error: { kind: 'auth' } }, { path: DEPLOYMENT_PATH, body: streamBody });
    expect(auth.status).toBe(401);
    expect(JSON.parse(auth.text)).toEqual({ error: { code: '401', message: expect.stringContaining('invalid subscription key') } });
    const missing = await renderReply('azure_openai', { error: { kind: 'model_not_found' } }, { path: DEPLOYMENT_PATH, body: streamBody });
    expect(JSON.parse(missing.text)).toMatchObject({ error: { code: 'DeploymentNotFound' } });
    const limited = await renderReply('azure_openai', { error: { kind: 'rate_limit' } }, { path: DEPLOYMENT_PATH, body: streamBody });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('6');
    expect(JSON.parse(limited.text)).toMatchObject({ error: { code: '429', message: expect.stringContaining('2024-10-21') } });
    const filtered = await renderReply('azure_openai', { error: { kind: 'content_filter' } }, { path: DEPLOYMENT_PATH, body: streamBody });
    expect(JSON.parse(filtered.text)).toMatchObject({ error: { code: 'content_filter', innererror: { code: 'ResponsibleAIPolicyViolation' } } });
  });
});
