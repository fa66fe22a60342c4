/** @module The protocol registry: every built-in provider protocol, and room for the host's own. */
import type { MockProtocol } from '../protocol';
import { anthropicProtocol } from './anthropic';
import { azureOpenaiProtocol } from './azure-openai';
import { deepseekProtocol } from './deepseek';
import { elevenlabsProtocol } from './elevenlabs';
import { geminiProtocol } from './gemini';
import { grokProtocol } from './grok';
import { kimiProtocol } from './kimi';
import { mistralProtocol } from './mistral';
import { openaiCompatibleProtocol } from './openai-compatible';
import { openaiProtocol } from './openai';
import { withOpenAIAudioRoutes } from './openai-audio';
import { openrouterProtocol } from './openrouter';

const factories = new Map<string, () => MockProtocol>([
  ['openai', () => withOpenAIAudioRoutes(openaiProtocol())],
  ['openrouter', openrouterProtocol],
  ['grok', grokProtocol],
  ['mistral', mistralProtocol],
  ['kimi', kimiProtocol],
  ['deepseek', deepseekProtocol],
  ['azure_openai', azureOpenaiProtocol],
  ['openai_compatible', openaiCompatibleProtocol],
  ['anthropic', anthropicProtocol],
  ['gemini', geminiProtocol],
  ['elevenlabs', elevenlabsProtocol],
]);

/**
 * Registers a protocol under its id (replacing a built-in one with the same id).
 *
 * @example
 * registerProtocol(() => chatCompletionsProtocol({ id: 'groq', baseUrl: 'https://api.groq.com/openai/v1', defaultModel: 'llama-3.3-70b' }));
 */
export function registerProtocol(factory: () => MockProtocol): void {
  factories.set(factory().id, factory);
}

/** A fresh protocol by provider id. */
export function getProtocol(id: string): MockProtocol {
  const factory = factories.get(id);
  if (!factory) {
    throw new Error(`@byok/testing: no mock protocol "${id}"; known: ${[...factories.keys()].join(', ')}`);
  }
  return factory();
}

/** Every registered protocol. */
export function listProtocols(): MockProtocol[] {
  return [...factories.values()].map((factory) => factory());
}
