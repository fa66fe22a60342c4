import { describe, expect, it } from 'vitest';
import { ByokError, defineAdapter, defineModels } from '../../src/index';
import { fakeProvider, hello, setup } from './helpers';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A voice provider: speech out (audio_out) and transcription (audio_in), failing for one key. */
function voiceProvider() {
  const calls: string[] = [];
  const adapter = defineAdapter({
    id: 'voicy',
    name: 'Voicy',
    baseUrl: 'https://voicy.invalid/v1',
    capabilities: { text: false, vision: false, audio_in: true, audio_out: true, tools: false, json: false, embeddings: false, reasoning: false },
    models: defineModels([
      { id: 'voicy-tts', provider: 'voicy', capabilities: { audio_out: true } },
      { id: 'voicy-stt', provider: 'voicy', capabilities: { audio_in: true } },
    ]),
    authTypes: ['api_key'],
    generate: async () => {
      throw new ByokError('bad_request', 'no text');
    },
    stream: () => {
      throw new ByokError('bad_request', 'no text');
    },
    listModels: async () => [],
    testAuth: async () => ({ ok: true, status: 'valid' }),
    async speak(request, call) {
      const key = call.credential.type === 'api_key' ? call.credential.apiKey : '';
      calls.push(`speak:${request.model}:${key}`);
      if (key.startsWith('down')) throw new ByokError('server_error', 'voicy is down');
      return { audio: new Uint8Array([1, 2, 3]), mediaType: 'audio/mpeg', characters: request.text.length, usage: { unit: 'characters', characters: request.text.length }, model: request.model, warnings: [] };
    },
    async transcribe(request, call) {
      const key = call.credential.type === 'api_key' ? call.credential.apiKey : '';
      calls.push(`transcribe:${request.model}:${key}`);
      return { text: 'hello', segments: [], usage: { unit: 'seconds', seconds: 2 }, durationSeconds: 2, model: request.model, warnings: [] };
    },
  });
  return Object.assign(Object.create(null) as object, adapter, { calls }) as typeof adapter & { calls: string[] };
}

describe('embed, transcribe and speak are routed like generate', () => {
  it('embed goes to a model with embeddings', async () => {
    const alpha = fakeProvider('alpha');
    const { byok } = setup([alpha], { defaultModels: { embed: { provider: 'alpha', model: 'fake-embed' } } });
    await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'key-0000001' });
    const r = await byok.embed({ tenantId: 't1', input: ['a', 'b'] });
    expect(r.embeddings).toHaveLength(2);
    expect(r.routedModel).toBe('fake-embed');
    expect(r.billingSource).toBe('byok');
    const plan = await byok.plan({ tenantId: 't1', model: 'fake-small', input: 'a', operation: 'embed' });
    expect(plan.excluded).toMatchObject([{ reason: 'capability' }]);
  });

  it('speak goes to an audio_out model and fails over between voice keys; transcribe to an audio_in model', async () => {
    const voicy = voiceProvider();
    const { byok } = setup([voicy], { defaultModels: { speak: { provider: 'voicy', model: 'voicy-tts' }, transcribe: { provider: 'voicy', model: 'voicy-stt' } }, retry: { maxAttempts: 1 } });
    await byok.connections.connect({ tenantId: 't1', provider: 'voicy', apiKey: 'down-key-0001', priority: 2 });
    await byok.connections.connect({ tenantId: 't1', provider: 'voicy', apiKey: 'good-key-0002' });
    const spoken = await byok.speak({ tenantId: 't1', text: 'Hello there', voice: 'nova' });
    expect(spoken.audio).toEqual(new Uint8Array([1, 2, 3]));
    expect(spoken.route.attempts.map((a) => a.outcome)).toEqual(['failure', 'success']);
    const heard = await byok.transcribe({ tenantId: 't1', audio: new Uint8Array([0, 1]), mediaType: 'audio/wav' });
    expect(heard.text).toBe('hello');
    expect(voicy.calls).toEqual(['speak:voicy-tts:down-key-0001', 'speak:voicy-tts:good-key-0002', 'transcribe:voicy-stt:good-key-0002']); // the down key cools after its failure
  });
});

describe('health from traffic', () => {
  it('a refused key is marked failing (health.changed) and healthy again after a success', async () => {
    let refuse = true;
    const alpha = fakeProvider('alpha', () => (refuse ? { kind: 'error', reason: 'auth', status: 401 } : { kind: 'text' }));
    const { byok, clock } = setup([alpha], { defaultModel: { provider: 'alpha', model: 'fake-small' } });
    const conn = await byok.connections.connect({ tenantId: 't1', provider: 'alpha', apiKey: 'key-0000001' });
    const changes: { from: string; to: string }[] = [];
    byok.events.on('health.changed', (e) => void changes.push({ from: e.from, to: e.to }));
    await expect(byok.generate({ tenantId: 't1', messages: hello })).rejects.toMatchObject({ reason: 'auth' });
    await flush();
    expect((await byok.connections.get('t1', conn.id))?.health).toMatchObject({ status: 'failing', reason: 'auth', consecutiveFailures: 1 });
    refuse = false;
    clock.advance(10 * 60_000);
    await byok.generate({ tenantId: 't1', messages: hello });
    await flush();
    expect((await byok.connections.get('t1', conn.id))?.health?.status).toBe('healthy');
    expect(changes).toEqual([
      { from: 'healthy', to: 'failing' },
      { from: 'failing', to: 'healthy' },
    ]);
  });
});
