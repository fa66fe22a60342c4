/**
 * @module Scenarios: provider-neutral scripts of what a mock provider answers.
 * Each protocol renders the same scenario in its own wire format.
 */
import { z } from 'zod';

/** Failures a scenario can ask for; each protocol renders its provider's real status, body and headers. */
export const mockErrorKindSchema = z.enum([
  'auth',
  'forbidden',
  'billing',
  'model_not_found',
  'context_length',
  'rate_limit',
  'server_error',
  'overloaded',
  'bad_request',
  'content_filter',
  'timeout',
]);
/** A failure kind. */
export type MockErrorKind = z.infer<typeof mockErrorKindSchema>;

/** A failure, before the response (an HTTP error) or inside a stream (an in-band error event). */
export const mockErrorSchema = z.object({
  kind: mockErrorKindSchema,
  /** Overrides the status the protocol would use for this kind. */
  status: z.number().int().min(400).max(599).optional(),
  /** Overrides the provider's message. */
  message: z.string().optional(),
  /** Sets `retry-after` (seconds). */
  retryAfterSeconds: z.number().nonnegative().optional(),
  /** Sets `retry-after-ms`. */
  retryAfterMs: z.number().nonnegative().optional(),
  /** Sets `retry-after` as an HTTP date this many seconds ahead. */
  retryAfterDateSeconds: z.number().nonnegative().optional(),
});
/** A scripted failure. */
export type MockError = z.infer<typeof mockErrorSchema>;

/** A tool call the mock model makes. */
export const mockToolCallSchema = z.object({
  id: z.string().optional(),
  name: z.string().min(1),
  /** An object (serialized by the protocol) or a raw JSON string. */
  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
});
/** A scripted tool call. */
export type MockToolCall = z.infer<typeof mockToolCallSchema>;

/** Token usage the mock reports. */
export const mockUsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative().optional(),
  cacheWriteTokens: z.number().int().nonnegative().optional(),
  reasoningTokens: z.number().int().nonnegative().optional(),
  /** Provider-reported cost in USD, where the protocol has one (OpenRouter). */
  cost: z.number().nonnegative().optional(),
});
/** Scripted usage. */
export type MockUsage = z.infer<typeof mockUsageSchema>;

/**
 * What the mock answers to one request.
 *
 * @example
 * { text: ['Hel', 'lo'] }                                   // two text chunks
 * { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] }
 * { error: { kind: 'rate_limit', retryAfterSeconds: 2 } }
 * { text: 'Hello there', cutAfterChunks: 2 }               // a stream cut midway
 */
export const scenarioSchema = z.object({
  /** Answer text; an array gives the stream's chunks. */
  text: z.union([z.string(), z.array(z.string())]).optional(),
  /** Reasoning text, where the protocol streams reasoning; an array gives chunks. */
  reasoning: z.union([z.string(), z.array(z.string())]).optional(),
  /** Reasoning signature to attach (Anthropic thinking blocks). */
  reasoningSignature: z.string().optional(),
  /** Tool calls. */
  toolCalls: z.array(mockToolCallSchema).optional(),
  /** Stream tool arguments in fragments (default) or whole in one chunk. */
  toolCallStyle: z.enum(['fragmented', 'whole']).optional(),
  /** A JSON answer; serialized as the text. */
  json: z.unknown().optional(),
  /** Finish reason, unified; the protocol maps it to its own. Default: inferred. */
  finishReason: z.enum(['stop', 'length', 'tool-calls', 'content-filter']).optional(),
  usage: mockUsageSchema.optional(),
  /** Model name the response reports. Default: the requested model. */
  model: z.string().optional(),
  /** Embedding vectors' dimension for embeddings requests. Default 8. */
  embeddingDimensions: z.number().int().positive().max(4096).optional(),
  /** Fail before the response. */
  error: mockErrorSchema.optional(),
  /** Fail inside the stream, after the content, with the protocol's in-band error. */
  midStreamError: mockErrorSchema.optional(),
  /** Close the stream after this many events, before the final one. */
  cutAfterChunks: z.number().int().nonnegative().optional(),
  /** Replace the event at this index with bytes that are not valid JSON. */
  malformedChunkAt: z.number().int().nonnegative().optional(),
  /** Delay before the response headers, in ms. */
  latencyMs: z.number().nonnegative().optional(),
  /** Delay between stream events, in ms. */
  chunkDelayMs: z.number().nonnegative().optional(),
  /** Extra response headers. */
  headers: z.record(z.string(), z.string()).optional(),
  /** The provider request id to report. Default: generated. */
  requestId: z.string().optional(),
  /**
   * Chat-completions protocols: answer with only the fields a client reads (ids, model, choices
   * with role/content/delta and finish reason, the three token counts) — no `system_fingerprint`,
   * `service_tier`, `logprobs`, `refusal`, `obfuscation` or usage details. The lean payload of the
   * benchmarks, which shows fixed per-request costs that heavy JSON parsing would hide.
   */
  lean: z.boolean().optional(),
  /**
   * Streams: send every event in one write instead of one write per event (ignored with
   * `chunkDelayMs` or a break-off). A client then reads the stream in as few network reads as its
   * socket allows, whatever the scheduling of the two processes — for benchmarks that count
   * instructions, whose per-read costs would otherwise vary from run to run.
   */
  burst: z.boolean().optional(),
});
/** A scenario as written by a test. */
export type Scenario = z.input<typeof scenarioSchema>;
/** A validated scenario. */
export type ParsedScenario = z.output<typeof scenarioSchema>;

/** The chunks of a string-or-chunks field. */
export function chunksOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : splitWords(value);
}

/** Joins a string-or-chunks field. */
export function joined(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join('') : value;
}

/** Splits text into word-sized stream chunks the way providers do ("Hello", " there", "."). */
export function splitWords(text: string): string[] {
  const parts = text.match(/\s*\S+|\s+$/g);
  return parts && parts.length > 0 ? parts : text === '' ? [] : [text];
}

/** Splits a JSON string into `n` roughly even fragments, as providers stream tool arguments. */
export function fragments(text: string, size = 6): string[] {
  if (text.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The scenario's text, with `json` serialized when given. */
export function answerText(scenario: ParsedScenario): string[] {
  if (scenario.json !== undefined) return fragments(JSON.stringify(scenario.json), 8);
  return chunksOf(scenario.text);
}

/** Tool-call arguments as the JSON string the wire carries. */
export function argumentsJson(call: MockToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}

/** The finish reason a scenario implies. */
export function impliedFinish(scenario: ParsedScenario): 'stop' | 'length' | 'tool-calls' | 'content-filter' {
  if (scenario.finishReason) return scenario.finishReason;
  return scenario.toolCalls && scenario.toolCalls.length > 0 ? 'tool-calls' : 'stop';
}

/** Usage the scenario reports, defaulting to plausible counts from the text lengths. */
export function usageOf(scenario: ParsedScenario, promptChars = 40): Required<Pick<z.infer<typeof mockUsageSchema>, 'inputTokens' | 'outputTokens'>> & z.infer<typeof mockUsageSchema> {
  if (scenario.usage) return scenario.usage;
  const out = answerText(scenario).join('').length + (scenario.toolCalls ?? []).map(argumentsJson).join('').length;
  return { inputTokens: Math.max(1, Math.ceil(promptChars / 4)), outputTokens: Math.max(1, Math.ceil(out / 4)) };
}
