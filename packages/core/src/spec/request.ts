/**
 * @module The normalized request every adapter accepts: one message list, one tool
 * shape, one output-format switch, whatever the provider's wire protocol.
 */
import { z } from 'zod';
import { schemaInputSchema } from './json-schema';

const binary = z.union([
  z.instanceof(Uint8Array),
  z.string().min(1, 'base64 data must not be empty'),
]);

/** Plain text. */
export const textPartSchema = z.object({ type: z.literal('text'), text: z.string() });

/** An image by URL (http, https or data:) or by bytes (Uint8Array or base64) with its media type. */
export const imagePartSchema = z
  .object({
    type: z.literal('image'),
    url: z.string().url().optional(),
    data: binary.optional(),
    mediaType: z.string().regex(/^image\/[a-z0-9.+-]+$/i, 'mediaType must be an image/* type').optional(),
  })
  .superRefine((part, ctx) => {
    if ((part.url === undefined) === (part.data === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'an image part needs exactly one of url or data' });
    }
    if (part.data !== undefined && part.mediaType === undefined) {
      ctx.addIssue({ code: 'custom', path: ['mediaType'], message: 'image data needs its mediaType, e.g. "image/png"' });
    }
  });

/** Audio bytes (Uint8Array or base64) with their media type, e.g. `audio/wav` or `audio/mpeg`. */
export const audioPartSchema = z.object({
  type: z.literal('audio'),
  data: binary,
  mediaType: z.string().regex(/^audio\/[a-z0-9.+-]+$/i, 'mediaType must be an audio/* type'),
});

/** Model reasoning from an earlier turn; `signature` (Anthropic) or `redactedData` must be echoed unchanged. */
export const reasoningPartSchema = z.object({
  type: z.literal('reasoning'),
  text: z.string(),
  signature: z.string().optional(),
  redactedData: z.string().optional(),
});

/** A tool call the model made in an earlier turn. */
export const toolCallPartSchema = z.object({
  type: z.literal('tool-call'),
  id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.unknown(),
  /** Provider-specific data to echo back (e.g. Gemini's thought signature). */
  providerMetadata: z.record(z.string(), z.unknown()).optional(),
});

/** The result of running a tool, answering a tool call by id. */
export const toolResultPartSchema = z.object({
  type: z.literal('tool-result'),
  toolCallId: z.string().min(1),
  toolName: z.string().min(1),
  result: z.unknown(),
  isError: z.boolean().optional(),
});

/** A system instruction. Adapters move it where their protocol wants it. */
export const systemMessageSchema = z.object({ role: z.literal('system'), content: z.string() });
/** A user turn: text or parts (text, images, audio). */
export const userMessageSchema = z.object({
  role: z.literal('user'),
  content: z.union([
    z.string(),
    z.array(z.discriminatedUnion('type', [textPartSchema, imagePartSchema, audioPartSchema])).min(1),
  ]),
});
/** An assistant turn: text or parts (text, reasoning, tool calls). */
export const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.union([
    z.string(),
    z.array(z.discriminatedUnion('type', [textPartSchema, reasoningPartSchema, toolCallPartSchema])),
  ]),
});
/** Tool results, answering the previous assistant turn's tool calls. */
export const toolMessageSchema = z.object({
  role: z.literal('tool'),
  content: z.array(toolResultPartSchema).min(1),
});

/** Any message. */
export const messageSchema = z.discriminatedUnion('role', [
  systemMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
]);

/** A tool the model may call, its parameters as a zod schema or JSON Schema. */
export const toolSchema = z.object({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1-64 letters, digits, "_" or "-"'),
  description: z.string().max(4096).optional(),
  parameters: schemaInputSchema,
  /** Ask the provider to enforce the schema exactly, where it can. */
  strict: z.boolean().optional(),
});

/** Whether and which tool the model must call. */
export const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('tool'), name: z.string().min(1) }),
]);

/** Free text, or JSON (schema-constrained when a schema is given). */
export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({
    type: z.literal('json'),
    schema: schemaInputSchema.optional(),
    name: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'schema names are 1-64 letters, digits, "_" or "-"')
      .optional(),
    description: z.string().optional(),
  }),
]);

/** Reasoning controls for models that think before answering. */
export const reasoningOptionsSchema = z.object({
  effort: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
  /** Token budget for thinking, where the provider takes one. */
  budgetTokens: z.number().int().positive().optional(),
  /** Ask for the reasoning text back, where the provider can return it. */
  include: z.boolean().optional(),
});

/** Per-call options every request shares. */
const callOptionsShape = {
  /** Cancels the call; the error is `aborted`. */
  abortSignal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'expected an AbortSignal').optional(),
  /** Deadline for the response headers and, while streaming, the longest silence between chunks. */
  timeoutMs: z.number().int().positive().max(3_600_000).optional(),
  /** Extra request headers (never put secrets here: they belong to the credential). */
  headers: z.record(z.string(), z.string()).optional(),
  /** Options passed to one provider untouched, keyed by provider id. */
  providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
};

/** A generate or stream request. */
export const generateRequestSchema = z
  .object({
    model: z.string().min(1, 'model is required'),
    messages: z.array(messageSchema).min(1, 'at least one message is required'),
    tools: z.array(toolSchema).optional(),
    toolChoice: toolChoiceSchema.optional(),
    responseFormat: responseFormatSchema.optional(),
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().gt(0).max(1).optional(),
    maxTokens: z.number().int().positive().optional(),
    stop: z.array(z.string().min(1)).max(16).optional(),
    seed: z.number().int().optional(),
    reasoning: reasoningOptionsSchema.optional(),
    /** End-user id for the provider's abuse monitoring (never a secret). */
    user: z.string().max(256).optional(),
    ...callOptionsShape,
  })
  .superRefine((req, ctx) => {
    const names = new Set<string>();
    req.tools?.forEach((tool, i) => {
      if (names.has(tool.name)) {
        ctx.addIssue({ code: 'custom', path: ['tools', i, 'name'], message: `duplicate tool name "${tool.name}"` });
      }
      names.add(tool.name);
    });
    if (typeof req.toolChoice === 'object' && !names.has(req.toolChoice.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['toolChoice', 'name'],
        message: `toolChoice names "${req.toolChoice.name}", which is not in tools`,
      });
    }
    if (req.toolChoice === 'required' && names.size === 0) {
      ctx.addIssue({ code: 'custom', path: ['toolChoice'], message: 'toolChoice "required" needs at least one tool' });
    }
  });

/** A generate or stream request as the caller writes it. */
export type GenerateRequest = z.input<typeof generateRequestSchema>;
/** A validated generate request, as adapters receive it. */
export type ParsedGenerateRequest = z.output<typeof generateRequestSchema>;
/** Any message. */
export type Message = z.infer<typeof messageSchema>;
/** A system message. */
export type SystemMessage = z.infer<typeof systemMessageSchema>;
/** A user message. */
export type UserMessage = z.infer<typeof userMessageSchema>;
/** An assistant message. */
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;
/** A tool message. */
export type ToolMessage = z.infer<typeof toolMessageSchema>;
/** A text part. */
export type TextPart = z.infer<typeof textPartSchema>;
/** An image part. */
export type ImagePart = z.infer<typeof imagePartSchema>;
/** An audio part. */
export type AudioPart = z.infer<typeof audioPartSchema>;
/** A reasoning part. */
export type ReasoningPart = z.infer<typeof reasoningPartSchema>;
/** A tool call part. */
export type ToolCallPart = z.infer<typeof toolCallPartSchema>;
/** A tool result part. */
export type ToolResultPart = z.infer<typeof toolResultPartSchema>;
/** A tool definition. */
export type ToolDefinition = z.infer<typeof toolSchema>;
/** A tool choice. */
export type ToolChoice = z.infer<typeof toolChoiceSchema>;
/** A response format. */
export type ResponseFormat = z.infer<typeof responseFormatSchema>;
/** Reasoning options. */
export type ReasoningOptions = z.infer<typeof reasoningOptionsSchema>;

/** An embeddings request. */
export const embedRequestSchema = z.object({
  model: z.string().min(1, 'model is required'),
  input: z.union([z.string(), z.array(z.string()).min(1, 'input needs at least one string').max(2048)]),
  /** Output dimensions, where the model supports shortening. */
  dimensions: z.number().int().positive().optional(),
  ...callOptionsShape,
});
/** An embeddings request as the caller writes it. */
export type EmbedRequest = z.input<typeof embedRequestSchema>;
/** A validated embeddings request. */
export type ParsedEmbedRequest = z.output<typeof embedRequestSchema>;

/**
 * Audio input: all the bytes, or a stream of byte chunks (a web `ReadableStream` or any
 * async iterable) that the adapter gathers into one upload. Streams are read once.
 */
export const audioInputSchema = z.union([
  z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'audio must be a Uint8Array, a ReadableStream or an AsyncIterable of Uint8Array'),
  z.custom<ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>>(
    (value) =>
      (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream) ||
      (typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function'),
    'audio must be a Uint8Array, a ReadableStream or an AsyncIterable of Uint8Array',
  ),
]);
/** Audio input: bytes or a stream of byte chunks. */
export type AudioInput = z.infer<typeof audioInputSchema>;

/** Media types an audio upload may have (`video/mp4` and `video/webm` carry audio tracks providers accept). */
const audioMediaTypeSchema = z
  .string()
  .regex(/^(?:audio\/[a-z0-9.+-]+|video\/(?:mp4|webm|mpeg))$/i, 'mediaType must be an audio/* type, e.g. "audio/wav" or "audio/mpeg"');

/**
 * A speech-to-text request.
 *
 * @example
 * const request: TranscribeRequest = { model: 'whisper-1', audio: wavBytes, mediaType: 'audio/wav', language: 'en' };
 */
export const transcribeRequestSchema = z.object({
  model: z.string().min(1, 'model is required'),
  /** The recording: bytes, or a stream of byte chunks. */
  audio: audioInputSchema,
  /** The recording's media type, e.g. `audio/wav`, `audio/mpeg`, `audio/webm`. */
  mediaType: audioMediaTypeSchema,
  /** File name sent with the upload; providers infer the container from its extension. Default from the media type. */
  fileName: z
    .string()
    .regex(/^[^/\\\r\n"]{1,255}$/, 'fileName must be a plain file name (no slashes, quotes or line breaks)')
    .optional(),
  /** Spoken language hint, ISO 639-1 or 639-3 (`en`, `de`, `eng`). */
  language: z
    .string()
    .regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$/, 'language must be an ISO 639 code such as "en" or "en-US"')
    .optional(),
  /** Text that guides spelling and style (names, jargon), where the provider takes one. */
  prompt: z.string().max(8192).optional(),
  /** Timing detail wanted in `segments`. Default `segment`. */
  timestamps: z.enum(['none', 'segment', 'word']).optional(),
  ...callOptionsShape,
});
/** A speech-to-text request as the caller writes it. */
export type TranscribeRequest = z.input<typeof transcribeRequestSchema>;
/** A validated speech-to-text request, as adapters receive it. */
export type ParsedTranscribeRequest = z.output<typeof transcribeRequestSchema>;

/** Audio containers and encodings a speech request may ask for. Adapters map them to their own names. */
export const speechFormatSchema = z.enum(['mp3', 'wav', 'opus', 'pcm', 'aac', 'flac', 'ulaw', 'alaw']);
/** An audio output format. */
export type SpeechFormat = z.infer<typeof speechFormatSchema>;

/**
 * A text-to-speech request.
 *
 * @example
 * const request: SpeakRequest = { model: 'gpt-4o-mini-tts', text: 'Hello!', voice: 'coral', format: 'mp3', instructions: 'Warm and calm.' };
 */
export const speakRequestSchema = z.object({
  model: z.string().min(1, 'model is required'),
  /** What to say. Must contain something other than white space. */
  text: z
    .string()
    .max(100_000, 'text is longer than 100000 characters; split it into utterances')
    .refine((text) => text.trim().length > 0, 'text must contain something to say (it is empty or only white space)'),
  /** The provider's voice id or name (`coral`, `21m00Tcm4TlvDq8ikWAM`). */
  voice: z.string().min(1, 'voice is required').max(256),
  /** Output format. Default `mp3`. */
  format: speechFormatSchema.optional(),
  /** Sample rate in Hz, where the provider lets you pick one (ElevenLabs). */
  sampleRate: z.number().int().min(8000).max(48_000).optional(),
  /** Playback speed, 1 = normal. */
  speed: z.number().min(0.25).max(4).optional(),
  /** How to speak (tone, pace, accent), for models that take instructions (`gpt-4o-mini-tts`). */
  instructions: z.string().max(4096).optional(),
  /** Language of the text, ISO 639-1, where the provider takes a hint. */
  language: z
    .string()
    .regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$/, 'language must be an ISO 639 code such as "en" or "en-US"')
    .optional(),
  ...callOptionsShape,
});
/** A text-to-speech request as the caller writes it. */
export type SpeakRequest = z.input<typeof speakRequestSchema>;
/** A validated text-to-speech request, as adapters receive it. */
export type ParsedSpeakRequest = z.output<typeof speakRequestSchema>;
