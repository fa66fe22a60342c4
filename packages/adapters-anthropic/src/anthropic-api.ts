/**
 * @module The Anthropic Messages API wire shapes, as zod schemas: the single source of
 * the types the adapter sends and reads. Response schemas are loose objects (unknown
 * fields pass) so a new field on the wire never breaks a call.
 */
import { z } from 'zod';

// ---------------------------------------------------------------- request

/** `image` source: by URL or base64 bytes. */
export const anthropicImageSourceSchema = z.union([
  z.object({ type: z.literal('url'), url: z.string() }),
  z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
]);

/** A content block the adapter sends. */
export const anthropicContentBlockParamSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('image'), source: anthropicImageSourceSchema }),
  z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) }),
  z.object({
    type: z.literal('tool_result'),
    tool_use_id: z.string(),
    content: z.string(),
    is_error: z.boolean().optional(),
  }),
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
]);
/** A content block the adapter sends. */
export type AnthropicContentBlockParam = z.infer<typeof anthropicContentBlockParamSchema>;

/** One turn. The API allows only `user` and `assistant`; the system prompt is top-level. */
export const anthropicMessageParamSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.array(anthropicContentBlockParamSchema),
});
/** One turn. */
export type AnthropicMessageParam = z.infer<typeof anthropicMessageParamSchema>;

/** A tool definition. */
export const anthropicToolSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  strict: z.boolean().optional(),
});
/** A tool definition. */
export type AnthropicTool = z.infer<typeof anthropicToolSchema>;

/** `tool_choice`. */
export const anthropicToolChoiceSchema = z.union([
  z.object({ type: z.enum(['auto', 'any']), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('none') }),
]);
/** `tool_choice`. */
export type AnthropicToolChoice = z.infer<typeof anthropicToolChoiceSchema>;

/** The body of `POST /v1/messages` as this adapter builds it. */
export const anthropicMessagesRequestSchema = z.object({
  model: z.string(),
  max_tokens: z.number().int().positive(),
  messages: z.array(anthropicMessageParamSchema),
  system: z.union([z.string(), z.array(z.object({ type: z.literal('text'), text: z.string() }))]).optional(),
  tools: z.array(anthropicToolSchema).optional(),
  tool_choice: anthropicToolChoiceSchema.optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().optional(),
  top_k: z.number().int().optional(),
  stop_sequences: z.array(z.string()).optional(),
  thinking: z
    .union([
      z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }),
      z.object({ type: z.literal('disabled') }),
    ])
    .optional(),
  output_config: z
    .object({ format: z.object({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }) })
    .optional(),
  metadata: z.object({ user_id: z.string() }).optional(),
  service_tier: z.enum(['auto', 'standard_only']).optional(),
  stream: z.boolean().optional(),
});
/** The body of `POST /v1/messages`. */
export type AnthropicMessagesRequest = z.infer<typeof anthropicMessagesRequestSchema>;

// ---------------------------------------------------------------- response

/** `usage` on a Message, `message_start` and (cumulative) `message_delta`. */
export const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});
/** Token usage as Anthropic reports it. */
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

/** A content block in a response; unknown block types (server tools, citations) pass through. */
export const anthropicResponseBlockSchema = z.union([
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() }),
  z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() }),
  z.looseObject({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() }),
  z.looseObject({ type: z.string() }),
]);
/** A response content block. */
export type AnthropicResponseBlock = z.infer<typeof anthropicResponseBlockSchema>;

/** A complete `Message` (non-streaming response, and `message_start.message`). */
export const anthropicMessageSchema = z.looseObject({
  id: z.string(),
  type: z.literal('message').optional(),
  role: z.literal('assistant').optional(),
  model: z.string().optional(),
  content: z.array(anthropicResponseBlockSchema),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: anthropicUsageSchema.nullish(),
});
/** A complete `Message`. */
export type AnthropicMessage = z.infer<typeof anthropicMessageSchema>;

/**
 * The stream events, documented here; the stream reader checks them with plain property
 * guards instead of parsing every chunk with zod (it is the hot path).
 */
export const anthropicStreamEventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('message_start'), message: anthropicMessageSchema }),
  z.looseObject({ type: z.literal('content_block_start'), index: z.number(), content_block: anthropicResponseBlockSchema }),
  z.looseObject({
    type: z.literal('content_block_delta'),
    index: z.number(),
    delta: z.union([
      z.looseObject({ type: z.literal('text_delta'), text: z.string() }),
      z.looseObject({ type: z.literal('input_json_delta'), partial_json: z.string() }),
      z.looseObject({ type: z.literal('thinking_delta'), thinking: z.string() }),
      z.looseObject({ type: z.literal('signature_delta'), signature: z.string() }),
      z.looseObject({ type: z.string() }),
    ]),
  }),
  z.looseObject({ type: z.literal('content_block_stop'), index: z.number() }),
  z.looseObject({
    type: z.literal('message_delta'),
    delta: z.looseObject({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }),
    usage: anthropicUsageSchema.nullish(),
  }),
  z.looseObject({ type: z.literal('message_stop') }),
  z.looseObject({ type: z.literal('ping') }),
  z.looseObject({ type: z.literal('error'), error: z.looseObject({ type: z.string(), message: z.string().optional() }) }),
]);
/** A stream event. */
export type AnthropicStreamEvent = z.infer<typeof anthropicStreamEventSchema>;

/** An error body: `{"type":"error","error":{"type","message","details"?},"request_id"}`. */
export const anthropicErrorSchema = z.looseObject({
  type: z.literal('error').optional(),
  error: z.looseObject({
    type: z.string(),
    message: z.string().optional(),
    details: z.looseObject({ error_code: z.string().optional() }).nullish(),
  }),
  request_id: z.string().nullish(),
});
/** An error body. */
export type AnthropicErrorBody = z.infer<typeof anthropicErrorSchema>;

/** One entry of `GET /v1/models`. */
export const anthropicModelSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  display_name: z.string().nullish(),
  created_at: z.string().nullish(),
  max_input_tokens: z.number().nullish(),
  max_tokens: z.number().nullish(),
});

/** A page of `GET /v1/models`. */
export const anthropicModelsPageSchema = z.looseObject({
  data: z.array(anthropicModelSchema),
  has_more: z.boolean().optional(),
  first_id: z.string().nullish(),
  last_id: z.string().nullish(),
});
/** A page of models. */
export type AnthropicModelsPage = z.infer<typeof anthropicModelsPageSchema>;
