/**
 * @module OpenRouter's model list → {@link ModelInfo}: `context_length`, input modalities,
 * prices (USD per token strings → per million tokens) and `supported_parameters` → capabilities.
 */
import type { ChatCompletionsContext } from '@byok/adapters-openai-compatible';
import type { ModelInfo } from '@byok/core';
import { openRouterModelListSchema, openRouterModelSchema } from './openrouter-api';

type Modality = NonNullable<ModelInfo['inputModalities']>[number];
const MODALITIES: ReadonlySet<string> = new Set(['text', 'image', 'audio', 'video', 'file']);

/** USD per token (a decimal string) → USD per million tokens; absent or invalid → undefined. */
export function perMTok(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  // `-1` marks a variable price (routers like openrouter/auto): unknown, not negative.
  if (!Number.isFinite(n) || n < 0) return undefined;
  return Math.round(n * 1e6 * 1e6) / 1e6;
}

/**
 * One OpenRouter model list entry as {@link ModelInfo}; undefined when the entry has no id.
 *
 * @example
 * parseOpenRouterModel({ id: 'openai/gpt-4o-mini', context_length: 128000, pricing: { prompt: '0.00000015', completion: '0.0000006' } });
 * // { id: 'openai/gpt-4o-mini', contextWindow: 128000, pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6 }, ... }
 */
export function parseOpenRouterModel(entry: unknown): ModelInfo | undefined {
  const parsed = openRouterModelSchema.safeParse(entry);
  if (!parsed.success) return undefined;
  const m = parsed.data;
  const params = new Set(m.supported_parameters ?? []);
  const input = (m.architecture?.input_modalities ?? ['text']).filter((x): x is Modality => MODALITIES.has(x));
  const info: ModelInfo = {
    id: m.id,
    provider: 'openrouter',
    capabilities: {
      text: true,
      vision: input.includes('image'),
      audio_in: input.includes('audio'),
      tools: params.has('tools'),
      json: params.has('response_format') || params.has('structured_outputs'),
      reasoning: params.has('reasoning') || params.has('include_reasoning'),
    },
    inputModalities: input,
    outputModalities: (m.architecture?.output_modalities ?? ['text']).filter((x): x is 'text' | 'image' | 'audio' => x === 'text' || x === 'image' || x === 'audio'),
  };
  if (m.name) info.name = m.name;
  if (typeof m.context_length === 'number' && m.context_length > 0) info.contextWindow = Math.round(m.context_length);
  const maxOut = m.top_provider?.max_completion_tokens;
  if (typeof maxOut === 'number' && maxOut > 0) info.maxOutputTokens = Math.round(maxOut);
  const input$ = perMTok(m.pricing?.prompt);
  const output$ = perMTok(m.pricing?.completion);
  if (input$ !== undefined && output$ !== undefined) {
    info.pricing = { inputPerMTok: input$, outputPerMTok: output$ };
    const cached = perMTok(m.pricing?.input_cache_read);
    if (cached !== undefined) info.pricing.cachedInputPerMTok = cached;
    const write = perMTok(m.pricing?.input_cache_write);
    if (write !== undefined) info.pricing.cacheWritePerMTok = write;
  }
  return info;
}

/** Lists OpenRouter's models with their live limits, modalities, prices and capabilities. */
export async function listOpenRouterModels(context: ChatCompletionsContext): Promise<ModelInfo[]> {
  const http = context.http();
  const { value } = await http.json('GET', context.url('/models'), undefined, context.headers);
  const parsed = openRouterModelListSchema.safeParse(value);
  if (!parsed.success) {
    throw http.error('server_error', 'openrouter returned a model list without its "data" array', { providerCode: 'malformed_response' });
  }
  return parsed.data.data.map(parseOpenRouterModel).filter((m): m is ModelInfo => m !== undefined);
}
