/**
 * @module The dated pricing snapshot `@byok` ships: the models the adapters know, with list prices
 * (USD), limits, capabilities, EU hosting, recommended flags and deprecation dates. Data only; the
 * host overrides any entry and refreshes it from the providers' lists (see `refreshCatalog`).
 */
import type { CatalogEntryInput } from './catalog';

/** The date the snapshot's prices were taken from the providers' published price lists. */
export const CATALOG_SNAPSHOT_DATE = '2025-11-01';

type Caps = CatalogEntryInput['capabilities'];
type Extra = Partial<Omit<CatalogEntryInput, 'id' | 'provider' | 'capabilities' | 'pricing'>>;

const CHAT: Caps = { text: true, tools: true, json: true };
const CHAT_VISION: Caps = { ...CHAT, vision: true };
const REASONING: Caps = { ...CHAT, reasoning: true };
const REASONING_VISION: Caps = { ...CHAT_VISION, reasoning: true };
const EMBED: Caps = { embeddings: true };

/** One entry: prices per million tokens as `[input, output, cachedInput?, cacheWrite?]`. */
function m(
  provider: string,
  id: string,
  name: string,
  contextWindow: number,
  maxOutputTokens: number | undefined,
  capabilities: Caps,
  prices: [number, number, number?, number?],
  extra: Extra = {},
): CatalogEntryInput {
  const [inputPerMTok, outputPerMTok, cachedInputPerMTok, cacheWritePerMTok] = prices;
  return {
    id,
    provider,
    name,
    contextWindow,
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    capabilities,
    pricing: {
      inputPerMTok,
      outputPerMTok,
      ...(cachedInputPerMTok === undefined ? {} : { cachedInputPerMTok }),
      ...(cacheWritePerMTok === undefined ? {} : { cacheWritePerMTok }),
    },
    pricesTakenAt: CATALOG_SNAPSHOT_DATE,
    ...extra,
  };
}

/**
 * Provider-prefixed ids (`openai/gpt-4o-mini`, as OpenRouter names models) whose prefix is not the
 * provider id: the prefix and the provider whose entries price it.
 */
export const PROVIDER_PREFIX_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  'x-ai': 'grok',
  xai: 'grok',
  google: 'gemini',
  mistralai: 'mistral',
  moonshotai: 'kimi',
});

/** The snapshot. */
export const CATALOG_SNAPSHOT: readonly CatalogEntryInput[] = [
  // OpenAI (standard tier)
  m('openai', 'gpt-5', 'GPT-5', 400_000, 128_000, REASONING_VISION, [1.25, 10, 0.125]),
  m('openai', 'gpt-5-mini', 'GPT-5 mini', 400_000, 128_000, REASONING_VISION, [0.25, 2, 0.025], { recommended: true }),
  m('openai', 'gpt-5-nano', 'GPT-5 nano', 400_000, 128_000, REASONING_VISION, [0.05, 0.4, 0.005]),
  m('openai', 'gpt-4.1', 'GPT-4.1', 1_047_576, 32_768, CHAT_VISION, [2, 8, 0.5]),
  m('openai', 'gpt-4.1-mini', 'GPT-4.1 mini', 1_047_576, 32_768, CHAT_VISION, [0.4, 1.6, 0.1], { recommended: true }),
  m('openai', 'gpt-4.1-nano', 'GPT-4.1 nano', 1_047_576, 32_768, CHAT_VISION, [0.1, 0.4, 0.025]),
  m('openai', 'gpt-4o', 'GPT-4o', 128_000, 16_384, CHAT_VISION, [2.5, 10, 1.25]),
  m('openai', 'gpt-4o-mini', 'GPT-4o mini', 128_000, 16_384, CHAT_VISION, [0.15, 0.6, 0.075]),
  m('openai', 'o3', 'o3', 200_000, 100_000, REASONING_VISION, [2, 8, 0.5]),
  m('openai', 'o4-mini', 'o4-mini', 200_000, 100_000, REASONING_VISION, [1.1, 4.4, 0.275]),
  m('openai', 'text-embedding-3-small', 'text-embedding-3-small', 8_191, undefined, EMBED, [0.02, 0]),
  m('openai', 'text-embedding-3-large', 'text-embedding-3-large', 8_191, undefined, EMBED, [0.13, 0]),
  {
    id: 'whisper-1', provider: 'openai', name: 'Whisper', capabilities: { audio_in: true },
    audioPricing: { perMinute: 0.006 }, pricesTakenAt: CATALOG_SNAPSHOT_DATE,
  },
  {
    id: 'gpt-4o-transcribe', provider: 'openai', name: 'GPT-4o Transcribe', capabilities: { audio_in: true },
    audioPricing: { perMinute: 0.006 }, pricesTakenAt: CATALOG_SNAPSHOT_DATE,
  },
  {
    id: 'gpt-4o-mini-transcribe', provider: 'openai', name: 'GPT-4o mini Transcribe', capabilities: { audio_in: true },
    audioPricing: { perMinute: 0.003 }, recommended: true, pricesTakenAt: CATALOG_SNAPSHOT_DATE,
  },
  {
    id: 'tts-1', provider: 'openai', name: 'TTS 1', capabilities: { audio_out: true },
    audioPricing: { perMCharacters: 15 }, pricesTakenAt: CATALOG_SNAPSHOT_DATE,
  },
  {
    id: 'tts-1-hd', provider: 'openai', name: 'TTS 1 HD', capabilities: { audio_out: true },
    audioPricing: { perMCharacters: 30 }, pricesTakenAt: CATALOG_SNAPSHOT_DATE,
  },

  // Anthropic (cache write = 5-minute ephemeral); the undated aliases resolve by dropping the date
  m('anthropic', 'claude-opus-4-5-20251101', 'Claude Opus 4.5', 200_000, 64_000, REASONING_VISION, [5, 25, 0.5, 6.25]),
  m('anthropic', 'claude-sonnet-4-5-20250929', 'Claude Sonnet 4.5', 200_000, 64_000, REASONING_VISION, [3, 15, 0.3, 3.75], { recommended: true }),
  m('anthropic', 'claude-haiku-4-5-20251001', 'Claude Haiku 4.5', 200_000, 64_000, REASONING_VISION, [1, 5, 0.1, 1.25], { recommended: true }),
  m('anthropic', 'claude-opus-4-1-20250805', 'Claude Opus 4.1', 200_000, 32_000, REASONING_VISION, [15, 75, 1.5, 18.75]),
  m('anthropic', 'claude-opus-4-20250514', 'Claude Opus 4', 200_000, 32_000, REASONING_VISION, [15, 75, 1.5, 18.75], { aliases: ['claude-opus-4-0'] }),
  m('anthropic', 'claude-sonnet-4-20250514', 'Claude Sonnet 4', 200_000, 64_000, REASONING_VISION, [3, 15, 0.3, 3.75], { aliases: ['claude-sonnet-4-0'] }),
  m('anthropic', 'claude-3-7-sonnet-20250219', 'Claude Sonnet 3.7', 200_000, 64_000, REASONING_VISION, [3, 15, 0.3, 3.75], { deprecated: true }),
  m('anthropic', 'claude-3-5-haiku-20241022', 'Claude Haiku 3.5', 200_000, 8_192, CHAT_VISION, [0.8, 4, 0.08, 1]),
  m('anthropic', 'claude-3-haiku-20240307', 'Claude Haiku 3', 200_000, 4_096, CHAT_VISION, [0.25, 1.25, 0.03, 0.3]),

  // Gemini (paid tier, prompts up to 200k tokens)
  m('gemini', 'gemini-2.5-pro', 'Gemini 2.5 Pro', 1_048_576, 65_536, { ...REASONING_VISION, audio_in: true }, [1.25, 10, 0.125]),
  m('gemini', 'gemini-2.5-flash', 'Gemini 2.5 Flash', 1_048_576, 65_536, { ...REASONING_VISION, audio_in: true }, [0.3, 2.5, 0.03], { recommended: true }),
  m('gemini', 'gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite', 1_048_576, 65_536, { ...REASONING_VISION, audio_in: true }, [0.1, 0.4, 0.01]),
  m('gemini', 'gemini-2.0-flash', 'Gemini 2.0 Flash', 1_048_576, 8_192, { ...CHAT_VISION, audio_in: true }, [0.1, 0.4, 0.025]),
  m('gemini', 'gemini-embedding-001', 'Gemini Embedding 001', 2_048, undefined, EMBED, [0.15, 0]),
  m('gemini', 'text-embedding-004', 'Text Embedding 004', 2_048, undefined, EMBED, [0, 0], { deprecated: true, deprecationDate: '2026-01-14' }),

  // Mistral (hosted in the EU)
  m('mistral', 'mistral-large-latest', 'Mistral Large', 131_072, undefined, CHAT, [2, 6], { euHosting: true }),
  m('mistral', 'mistral-medium-latest', 'Mistral Medium', 131_072, undefined, CHAT_VISION, [0.4, 2], { euHosting: true, recommended: true }),
  m('mistral', 'mistral-small-latest', 'Mistral Small', 131_072, undefined, CHAT_VISION, [0.1, 0.3], { euHosting: true, recommended: true }),
  m('mistral', 'magistral-medium-latest', 'Magistral Medium', 131_072, undefined, REASONING_VISION, [2, 5], { euHosting: true }),
  m('mistral', 'magistral-small-latest', 'Magistral Small', 131_072, undefined, REASONING_VISION, [0.5, 1.5], { euHosting: true }),
  m('mistral', 'codestral-latest', 'Codestral', 256_000, undefined, CHAT, [0.3, 0.9], { euHosting: true }),
  m('mistral', 'pixtral-large-latest', 'Pixtral Large', 131_072, undefined, CHAT_VISION, [2, 6], { euHosting: true }),
  m('mistral', 'ministral-8b-latest', 'Ministral 8B', 131_072, undefined, CHAT, [0.1, 0.1], { euHosting: true }),
  m('mistral', 'mistral-embed', 'Mistral Embed', 8_192, undefined, EMBED, [0.1, 0], { euHosting: true }),

  // DeepSeek (V3.2 behind both names; cache-miss input, output, cache-hit input)
  m('deepseek', 'deepseek-chat', 'DeepSeek Chat', 128_000, 8_192, CHAT, [0.28, 0.42, 0.028], { recommended: true }),
  m('deepseek', 'deepseek-reasoner', 'DeepSeek Reasoner', 128_000, 65_536, REASONING, [0.28, 0.42, 0.028]),

  // xAI Grok
  m('grok', 'grok-4', 'Grok 4', 256_000, 256_000, REASONING_VISION, [3, 15, 0.75], { aliases: ['grok-4-0709', 'grok-4-latest'] }),
  m('grok', 'grok-4-fast-reasoning', 'Grok 4 Fast (reasoning)', 2_000_000, 30_000, REASONING_VISION, [0.2, 0.5, 0.05], { recommended: true }),
  m('grok', 'grok-4-fast-non-reasoning', 'Grok 4 Fast (non-reasoning)', 2_000_000, 30_000, CHAT_VISION, [0.2, 0.5, 0.05]),
  m('grok', 'grok-code-fast-1', 'Grok Code Fast 1', 256_000, 10_000, REASONING, [0.2, 1.5, 0.02]),
  m('grok', 'grok-3', 'Grok 3', 131_072, 131_072, CHAT, [3, 15, 0.75]),
  m('grok', 'grok-3-mini', 'Grok 3 Mini', 131_072, 131_072, REASONING, [0.3, 0.5, 0.075]),
  m('grok', 'grok-2-vision-1212', 'Grok 2 Vision', 32_768, 32_768, CHAT_VISION, [2, 10]),

  // Moonshot Kimi (international platform, USD)
  m('kimi', 'kimi-k2-0905-preview', 'Kimi K2 (0905)', 262_144, undefined, CHAT, [0.6, 2.5, 0.15], { recommended: true }),
  m('kimi', 'kimi-k2-turbo-preview', 'Kimi K2 Turbo', 262_144, undefined, CHAT, [1.15, 8, 0.15]),
  m('kimi', 'kimi-k2-thinking', 'Kimi K2 Thinking', 262_144, undefined, REASONING, [0.6, 2.5, 0.15]),
  m('kimi', 'kimi-k2-thinking-turbo', 'Kimi K2 Thinking Turbo', 262_144, undefined, REASONING, [1.15, 8, 0.15]),
  m('kimi', 'moonshot-v1-8k', 'Moonshot v1 8K', 8_192, undefined, CHAT, [0.2, 2]),
  m('kimi', 'moonshot-v1-32k', 'Moonshot v1 32K', 32_768, undefined, CHAT, [1, 3]),
  m('kimi', 'moonshot-v1-128k', 'Moonshot v1 128K', 131_072, undefined, CHAT, [2, 5]),
  m('kimi', 'moonshot-v1-128k-vision-preview', 'Moonshot v1 128K Vision', 131_072, undefined, CHAT_VISION, [2, 5]),

  // OpenRouter: open-weight families (Llama, Qwen, Cohere) plus the routed models the adapter lists
  m('openrouter', 'meta-llama/llama-3.3-70b-instruct', 'Meta: Llama 3.3 70B Instruct', 131_072, 16_384, CHAT, [0.13, 0.39]),
  m('openrouter', 'meta-llama/llama-4-maverick', 'Meta: Llama 4 Maverick', 1_048_576, 16_384, CHAT_VISION, [0.15, 0.6], { recommended: true }),
  m('openrouter', 'meta-llama/llama-4-scout', 'Meta: Llama 4 Scout', 327_680, 16_384, CHAT_VISION, [0.08, 0.3]),
  m('openrouter', 'meta-llama/llama-3.1-8b-instruct', 'Meta: Llama 3.1 8B Instruct', 131_072, 16_384, CHAT, [0.02, 0.03]),
  m('openrouter', 'qwen/qwen3-235b-a22b', 'Qwen: Qwen3 235B A22B', 131_072, 32_768, REASONING, [0.18, 0.54]),
  m('openrouter', 'qwen/qwen3-32b', 'Qwen: Qwen3 32B', 131_072, 32_768, REASONING, [0.1, 0.3]),
  m('openrouter', 'qwen/qwen-2.5-72b-instruct', 'Qwen2.5 72B Instruct', 32_768, 16_384, CHAT, [0.12, 0.39]),
  m('openrouter', 'cohere/command-a', 'Cohere: Command A', 256_000, 8_192, CHAT, [2.5, 10]),
  m('openrouter', 'cohere/command-r-plus-08-2024', 'Cohere: Command R+ (08-2024)', 128_000, 4_000, CHAT, [2.5, 10]),
  m('openrouter', 'cohere/command-r-08-2024', 'Cohere: Command R (08-2024)', 128_000, 4_000, CHAT, [0.15, 0.6]),
  m('openrouter', 'openai/gpt-4o-mini', 'OpenAI: GPT-4o-mini', 128_000, 16_384, CHAT_VISION, [0.15, 0.6, 0.075]),
  m('openrouter', 'openai/gpt-4.1', 'OpenAI: GPT-4.1', 1_047_576, 32_768, CHAT_VISION, [2, 8, 0.5]),
  m('openrouter', 'anthropic/claude-sonnet-4.5', 'Anthropic: Claude Sonnet 4.5', 1_000_000, 64_000, REASONING_VISION, [3, 15, 0.3, 3.75]),
  m('openrouter', 'google/gemini-2.5-flash', 'Google: Gemini 2.5 Flash', 1_048_576, 65_535, { ...REASONING_VISION, audio_in: true }, [0.3, 2.5, 0.075]),
  m('openrouter', 'deepseek/deepseek-r1', 'DeepSeek: R1', 163_840, 163_840, { text: true, reasoning: true }, [0.4, 2]),
  m('openrouter', 'x-ai/grok-4', 'xAI: Grok 4', 256_000, 256_000, REASONING_VISION, [3, 15, 0.75]),
];
