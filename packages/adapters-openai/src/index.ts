/**
 * `@byok/adapters-openai` — OpenAI for `@byok`: chat completions (streaming, tools, JSON
 * output, images, audio input, reasoning models), embeddings, model listing and a key test.
 *
 * @example
 * import { openai, OPENAI_MODELS } from '@byok/adapters-openai';
 * const adapter = openai();
 *
 * @packageDocumentation
 */
export * from './openai-provider';
export * from './openai-models';
export * from './openai-key-test';
export * from './openai-audio';
export * from './openai-audio-models';
export * from './openai-audio-error';
export * from './openai-speech';
export * from './openai-transcription';
