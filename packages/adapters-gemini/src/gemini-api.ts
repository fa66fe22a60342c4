/**
 * @module The Gemini wire shapes. Responses are zod schemas (the single source of the types
 * read from the wire, all lenient: unknown keys pass, every field optional); request bodies,
 * which we write rather than read, are plain interfaces.
 */
import { z } from 'zod';

/** One part of a response candidate's content. */
export const geminiPartSchema = z.looseObject({
  text: z.string().optional(),
  /** True for a thought summary (with `includeThoughts`). */
  thought: z.boolean().optional(),
  /** Opaque signature to echo back on the same part in the next turn. */
  thoughtSignature: z.string().optional(),
  functionCall: z
    .looseObject({
      id: z.string().optional(),
      name: z.string(),
      args: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  inlineData: z.looseObject({ mimeType: z.string().optional(), data: z.string().optional() }).optional(),
});
/** A response part. */
export type GeminiResponsePart = z.infer<typeof geminiPartSchema>;

/** `usageMetadata`: running totals on every stream chunk. */
export const geminiUsageSchema = z.looseObject({
  promptTokenCount: z.number().optional(),
  candidatesTokenCount: z.number().optional(),
  totalTokenCount: z.number().optional(),
  /** Thinking tokens, counted apart from (not inside) `candidatesTokenCount`. */
  thoughtsTokenCount: z.number().optional(),
  /** Prompt tokens served from the context cache (inside `promptTokenCount`). */
  cachedContentTokenCount: z.number().optional(),
  /** Tokens of tool results (search, code execution) fed back as prompt. */
  toolUsePromptTokenCount: z.number().optional(),
});
/** Gemini usage metadata. */
export type GeminiUsage = z.infer<typeof geminiUsageSchema>;

/** One candidate (the API returns one unless `candidateCount` asks for more). */
export const geminiCandidateSchema = z.looseObject({
  content: z
    .looseObject({ role: z.string().optional(), parts: z.array(geminiPartSchema).optional() })
    .optional(),
  finishReason: z.string().optional(),
  finishMessage: z.string().optional(),
  index: z.number().optional(),
});

/** `GenerateContentResponse`, also the shape of every stream chunk. */
export const geminiResponseSchema = z.looseObject({
  candidates: z.array(geminiCandidateSchema).optional(),
  promptFeedback: z
    .looseObject({ blockReason: z.string().optional(), blockReasonMessage: z.string().optional() })
    .optional(),
  usageMetadata: geminiUsageSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
});
/** A generateContent response or stream chunk. */
export type GeminiResponse = z.infer<typeof geminiResponseSchema>;

/** The Google RPC error body: `{"error":{"code","message","status","details":[…]}}`. */
export const geminiErrorSchema = z.looseObject({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.unknown()).optional(),
  }),
});
/** A Google RPC error body. */
export type GeminiErrorBody = z.infer<typeof geminiErrorSchema>;

/** One entry of `GET /models`. */
export const geminiModelSchema = z.looseObject({
  name: z.string(),
  baseModelId: z.string().optional(),
  version: z.string().optional(),
  displayName: z.string().optional(),
  description: z.string().optional(),
  inputTokenLimit: z.number().optional(),
  outputTokenLimit: z.number().optional(),
  supportedGenerationMethods: z.array(z.string()).optional(),
  thinking: z.boolean().optional(),
});
/** A listed model. */
export type GeminiModel = z.infer<typeof geminiModelSchema>;

/** A page of `GET /models`. */
export const geminiModelsPageSchema = z.looseObject({
  models: z.array(geminiModelSchema).optional(),
  nextPageToken: z.string().optional(),
});

/** `batchEmbedContents` response. */
export const geminiBatchEmbedResponseSchema = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
  usageMetadata: z.looseObject({ promptTokenCount: z.number().optional() }).optional(),
});

/** A request part, as we write it. */
export type GeminiRequestPart =
  | { text: string; thought?: true; thoughtSignature?: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { mimeType: string; fileUri: string } }
  | { functionCall: { name: string; args: Record<string, unknown>; id?: string }; thoughtSignature?: string }
  | { functionResponse: { name: string; response: Record<string, unknown>; id?: string } };

/** One turn of `contents`. */
export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiRequestPart[];
}

/** Gemini's OpenAPI-subset `Schema` (uppercase types), as used by `parameters` and `responseSchema`. */
export interface GeminiSchema {
  type?: 'STRING' | 'NUMBER' | 'INTEGER' | 'BOOLEAN' | 'ARRAY' | 'OBJECT' | 'NULL';
  format?: string;
  title?: string;
  description?: string;
  nullable?: boolean;
  enum?: string[];
  items?: GeminiSchema;
  minItems?: string | number;
  maxItems?: string | number;
  properties?: Record<string, GeminiSchema>;
  required?: string[];
  propertyOrdering?: string[];
  minProperties?: number;
  maxProperties?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  example?: unknown;
  anyOf?: GeminiSchema[];
}

/** A function the model may call. */
export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: GeminiSchema;
  parametersJsonSchema?: Record<string, unknown>;
}

/** `generationConfig`. */
export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  seed?: number;
  responseMimeType?: string;
  responseSchema?: GeminiSchema;
  responseJsonSchema?: Record<string, unknown>;
  thinkingConfig?: { thinkingBudget?: number; includeThoughts?: boolean; thinkingLevel?: string };
  [key: string]: unknown;
}

/** The body of `generateContent` / `streamGenerateContent`. */
export interface GeminiGenerateBody {
  contents: GeminiContent[];
  systemInstruction?: { parts: { text: string }[] };
  tools?: { functionDeclarations: GeminiFunctionDeclaration[] }[];
  toolConfig?: { functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] } };
  generationConfig?: GeminiGenerationConfig;
  safetySettings?: unknown[];
  cachedContent?: string;
  labels?: Record<string, string>;
}
