/**
 * @module Wire schemas of the chat-completions family, in zod: the single source of the
 * response types. Lenient on purpose: unknown fields pass, fields we do not need are
 * optional, so a provider adding a key never breaks a call.
 */
import { z } from 'zod';

/** A usage object; the detail blocks and the provider extras (DeepSeek, Kimi, xAI) are all optional. */
export const chatUsageSchema = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  total_tokens: z.number().nullish(),
  prompt_tokens_details: z
    .looseObject({ cached_tokens: z.number().nullish(), cache_write_tokens: z.number().nullish() })
    .nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
  /** DeepSeek. */
  prompt_cache_hit_tokens: z.number().nullish(),
  /** Kimi (Moonshot). */
  cached_tokens: z.number().nullish(),
});
/** A raw usage object. */
export type ChatUsage = z.infer<typeof chatUsageSchema>;

/** A function tool call as a whole message carries it. `index` is absent on most providers' non-stream calls. */
export const chatToolCallSchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  index: z.number().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }),
});
/** A raw tool call. */
export type ChatToolCall = z.infer<typeof chatToolCallSchema>;

/** Message content: a string, or (Mistral) an array of typed parts. */
export const chatContentSchema = z.union([z.string(), z.array(z.looseObject({ type: z.string().optional() })), z.null()]);

/** A non-streaming message. */
export const chatMessageSchema = z.looseObject({
  role: z.string().nullish(),
  content: chatContentSchema.optional(),
  refusal: z.string().nullish(),
  tool_calls: z.array(chatToolCallSchema).nullish(),
});

/** A non-streaming choice. */
export const chatChoiceSchema = z.looseObject({
  index: z.number().nullish(),
  message: chatMessageSchema,
  finish_reason: z.string().nullish(),
  usage: chatUsageSchema.nullish(),
});

/** `POST /chat/completions` without streaming. */
export const chatCompletionSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z.array(chatChoiceSchema),
  usage: chatUsageSchema.nullish(),
});
/** A raw chat completion. */
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;

/** A streamed tool-call fragment: only `index` is required by OpenAI, and Mistral omits even that. */
export const chatToolCallDeltaSchema = z.looseObject({
  index: z.number().nullish(),
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});
/** A raw tool-call fragment. */
export type ChatToolCallDelta = z.infer<typeof chatToolCallDeltaSchema>;

/** A streamed delta. */
export const chatDeltaSchema = z.looseObject({
  role: z.string().nullish(),
  content: chatContentSchema.optional(),
  tool_calls: z.array(chatToolCallDeltaSchema).nullish(),
});

/** A streamed choice; Kimi puts the usage inside it. */
export const chatChunkChoiceSchema = z.looseObject({
  index: z.number().nullish(),
  delta: chatDeltaSchema.nullish(),
  finish_reason: z.string().nullish(),
  usage: chatUsageSchema.nullish(),
});

/** One `data:` payload of a stream. `error` is an in-band failure after a 200. */
export const chatChunkSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z.array(chatChunkChoiceSchema).nullish(),
  usage: chatUsageSchema.nullish(),
  error: z.unknown().optional(),
});
/** A raw stream chunk. */
export type ChatChunk = z.infer<typeof chatChunkSchema>;
/** A raw streamed choice. */
export type ChatChunkChoice = z.infer<typeof chatChunkChoiceSchema>;

/** The OpenAI error envelope; `code` is a string on OpenAI, sometimes a number-like string on Azure. */
export const chatErrorSchema = z.looseObject({
  error: z.union([
    z.looseObject({
      message: z.string().nullish(),
      type: z.string().nullish(),
      code: z.union([z.string(), z.number()]).nullish(),
      param: z.string().nullish(),
    }),
    z.string(),
  ]),
});

/** `GET /models`. */
export const modelListSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), owned_by: z.string().nullish() })),
});

/** `POST /embeddings`. */
export const embeddingsResponseSchema = z.looseObject({
  data: z.array(z.looseObject({ index: z.number().nullish(), embedding: z.array(z.number()) })),
  model: z.string().nullish(),
  usage: z.looseObject({ prompt_tokens: z.number().nullish() }).nullish(),
});
