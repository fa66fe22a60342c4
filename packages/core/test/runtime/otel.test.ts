import { describe, expect, it } from 'vitest';
import type { SpanAttributeValue, TracerLike } from '../../src/index';
import { fakeProvider, hello, setup } from './helpers';

interface RecordedSpan {
  name: string;
  attributes: Record<string, SpanAttributeValue>;
  status?: { code: number; message?: string };
  ended: boolean;
  parent: unknown;
}

function recordingTracer(): TracerLike & { spans: RecordedSpan[] } {
  const spans: RecordedSpan[] = [];
  return {
    spans,
    startSpan(name, options, context) {
      const span: RecordedSpan = { name, attributes: { ...options?.attributes }, ended: false, parent: context };
      spans.push(span);
      return {
        setAttribute(key, value) {
          span.attributes[key] = value;
        },
        setStatus(status) {
          span.status = status;
        },
        end() {
          span.ended = true;
        },
      };
    },
  };
}

describe('OpenTelemetry hook', () => {
  it('one span per request and per attempt, with GenAI semantic-convention attributes', async () => {
    const tracer = recordingTracer();
    const alpha = fakeProvider('alpha', (c) => (c.key === 'primary-key-0001' ? { kind: 'error', reason: 'rate_limit' } : { kind: 'text' }));
    const { byok } = setup([alpha], { defaultModel: { provider: 'alpha', model: 'fake-small' } }, {
      telemetry: { tracer, api: { trace: { setSpan: (_ctx, span) => ({ parentSpan: span }) }, context: { active: () => ({}) } } },
    });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'primary-key-0001', priority: 2 });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'second-key-0002' });
    await byok.generate({ tenantId: 't1', messages: hello });
    expect(tracer.spans.map((s) => s.name)).toEqual(['byok.generate', 'chat fake-small', 'chat fake-small']);
    const [request, failed, ok] = tracer.spans as [RecordedSpan, RecordedSpan, RecordedSpan];
    expect(request.attributes['gen_ai.operation.name']).toBe('chat');
    expect(failed.attributes).toMatchObject({ 'gen_ai.provider.name': 'alpha', 'gen_ai.request.model': 'fake-small', 'error.type': 'rate_limit' });
    expect(failed.status?.code).toBe(2);
    expect(ok.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5, 'gen_ai.response.model': 'fake-small', 'gen_ai.response.finish_reasons': ['stop'] });
    expect(ok.parent).toEqual({ parentSpan: expect.anything() });
    expect(tracer.spans.every((s) => s.ended)).toBe(true);
  });

  it('is off without a tracer, and a throwing tracer never breaks a request', async () => {
    const broken: TracerLike = {
      startSpan() {
        throw new Error('tracer down');
      },
    };
    const { byok } = setup([fakeProvider('alpha')], { defaultModel: { provider: 'alpha', model: 'fake-small' } }, { telemetry: { tracer: broken } });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'key-0000001' });
    await expect(byok.generate({ tenantId: 't1', messages: hello })).resolves.toMatchObject({ text: 'Hello' });
  });
});
