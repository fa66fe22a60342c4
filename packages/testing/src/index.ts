/**
 * `@byok/testing` — mock AI providers for your tests. Script what a provider
 * answers (text, tool calls, JSON, reasoning, errors, cut streams, malformed chunks,
 * latency) once, and serve it in-process through msw or over a loopback HTTP server.
 *
 * @example
 * import { createMockProvider, mswHandlers } from '@byok/testing';
 * import { setupServer } from 'msw/node';
 *
 * const openai = createMockProvider('openai', { scenarios: [{ text: 'Hi!' }] });
 * const server = setupServer(...mswHandlers(openai));
 * server.listen();
 *
 * @packageDocumentation
 */
export * from './scenario';
export * from './protocol';
export * from './request-log';
export * from './mock-provider';
export * from './msw';
export * from './server';
export * from './protocols/registry';
export * from './protocols/chat-completions';
export * from './protocols/openai';
export * from './protocols/openrouter';
export * from './protocols/grok';
export * from './protocols/mistral';
export * from './protocols/kimi';
export * from './protocols/deepseek';
export * from './protocols/azure-openai';
export * from './protocols/openai-compatible';
export * from './protocols/anthropic';
export * from './protocols/gemini';
export * from './protocols/elevenlabs';
export * from './protocols/openai-audio';
export * from './protocols/audio-fixtures';
export * from './protocols/multipart-form';
export * from './canary';
export * from './assertions';
