/**
 * @module `UsageSink`: one usage record per attempt (success or failure), appended by the
 * runtime and optionally summarised. A failing or slow sink never fails or slows a request:
 * the runtime buffers, retries and counts what it had to drop.
 */
import { z } from 'zod';
import { actionClassSchema, billingSourceSchema } from '../taxonomy/billing';

/** One attempt's usage. Holds no prompt, no completion, no secret. */
export const usageRecordSchema = z.object({
  /** Unique per attempt: `${requestId}:${attempt}`; the idempotency key of the append. */
  id: z.string().min(1).max(256),
  requestId: z.string().min(1).max(128),
  attempt: z.number().int().nonnegative(),
  /** Epoch ms when the attempt started. */
  at: z.number().int().nonnegative(),
  tenantId: z.string().min(1).max(128),
  userId: z.string().max(128).optional(),
  agentId: z.string().max(128).optional(),
  sessionId: z.string().max(128).optional(),
  /** `generate`, `stream`, `embed`, `transcribe`, `speak`. */
  operation: z.string().min(1).max(32),
  actionClass: actionClassSchema,
  provider: z.string().min(1).max(64),
  model: z.string().max(256),
  connectionId: z.string().max(128).optional(),
  billingSource: billingSourceSchema,
  inputTokens: z.number().int().nonnegative().default(0),
  outputTokens: z.number().int().nonnegative().default(0),
  cachedInputTokens: z.number().int().nonnegative().default(0),
  reasoningTokens: z.number().int().nonnegative().default(0),
  audioSeconds: z.number().nonnegative().optional(),
  characters: z.number().int().nonnegative().optional(),
  /** Cost estimated from the pricing catalog in USD; absent when the model's price is unknown. */
  estimatedCostUsd: z.number().nonnegative().optional(),
  /** Cost the provider itself reported, in USD (OpenRouter, xAI). */
  providerCostUsd: z.number().nonnegative().optional(),
  /** Platform credits charged by the billing decision (0 for pass-through spend). */
  creditsCharged: z.number().nonnegative().default(0),
  latencyMs: z.number().nonnegative(),
  timeToFirstTokenMs: z.number().nonnegative().optional(),
  success: z.boolean(),
  /** The failure reason when `success` is false. */
  reason: z.string().max(64).optional(),
  /** The provider's request id, for support. */
  providerRequestId: z.string().max(256).optional(),
});
/** A usage record (input form: defaults may be omitted). */
export type UsageRecordInput = z.input<typeof usageRecordSchema>;
/** A usage record. */
export type UsageRecord = z.infer<typeof usageRecordSchema>;

/** What a summary groups by. */
export type UsageGroupKey = 'provider' | 'model' | 'agent' | 'operation' | 'day' | 'billingSource' | 'connection' | 'user';

/** A summary query: one tenant, a time range (epoch ms, `from` inclusive, `to` exclusive), grouping keys. */
export interface UsageQuery {
  tenantId: string;
  from?: number;
  to?: number;
  by: readonly UsageGroupKey[];
}

/** One group of a summary. */
export interface UsageSummaryRow {
  /** The group's key values, e.g. `{ provider: 'openai', model: 'gpt-4.1-mini' }`; `day` as `YYYY-MM-DD` (UTC). */
  key: Partial<Record<UsageGroupKey, string>>;
  requests: number;
  failures: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  audioSeconds: number;
  characters: number;
  /** Sum of known costs (provider-reported where present, else estimated), USD. */
  costUsd: number;
  /** Records whose cost is unknown (no price in the catalog and none reported). */
  unknownCostRecords: number;
  creditsCharged: number;
}

/** Appends usage records; optionally answers summaries (SQL stores compute them in the database). */
export interface UsageSink {
  /** Appends records; idempotent by `id`. */
  append(records: readonly UsageRecord[]): Promise<void>;
  /** Summarises a tenant's usage. */
  summarize?(query: UsageQuery): Promise<UsageSummaryRow[]>;
  /** Pages through raw records (for CSV export), oldest first. */
  list?(query: { tenantId: string; from?: number; to?: number; after?: string; limit: number }): Promise<UsageRecord[]>;
}
