/**
 * `@byok/voice` — voice turns over `@byok`: speech to text, the agent's streamed reply, and text
 * to speech sentence by sentence while the reply is still being written, on the same
 * connections, routing, failover and metering as text.
 *
 * @example
 * import { runVoiceTurn } from '@byok/voice';
 * for await (const part of runVoiceTurn(byok, { tenantId, audio, mediaType: 'audio/wav', voices: [{ provider: 'openai', voice: 'coral' }] })) {
 *   if (part.type === 'audio') play(part.data);
 * }
 *
 * @packageDocumentation
 */
export * from './voice-turn';
export * from './voice-runtime';
export * from './voice-events';
export * from './voice-usage';
export * from './voice-retry';
export * from './sentence-chunker';
export * from './safe-error';
export * from './join-wav';
