/**
 * @module A small OpenTelemetry hook: one span per request and one per attempt, with the GenAI
 * semantic-convention attribute names (`gen_ai.operation.name`, `gen_ai.provider.name`,
 * `gen_ai.request.model`, `gen_ai.usage.input_tokens`, ...). Off unless the host passes a tracer.
 * The types are structural, so `@opentelemetry/api` is an optional peer: pass
 * `trace.getTracer('my-app')` and, for parent/child links, the api's `trace` and `context`.
 */

/** Attribute values OpenTelemetry accepts. */
export type SpanAttributeValue = string | number | boolean | string[] | number[];

/** The part of an OpenTelemetry `Span` the runtime uses. */
export interface SpanLike {
  setAttribute(key: string, value: SpanAttributeValue): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(endTime?: number): void;
}

/** The part of an OpenTelemetry `Tracer` the runtime uses. */
export interface TracerLike {
  startSpan(name: string, options?: { attributes?: Record<string, SpanAttributeValue>; kind?: number; startTime?: number }, context?: unknown): SpanLike;
}

/** Telemetry options of `createByok`. */
export interface TelemetryOptions {
  tracer: TracerLike;
  /** `@opentelemetry/api`'s `trace` and `context`, to make attempt spans children of the request span. */
  api?: { trace: { setSpan(context: unknown, span: SpanLike): unknown }; context: { active(): unknown } };
}

const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;
const OPERATION_NAMES: Record<string, string> = {
  generate: 'chat',
  stream: 'chat',
  embed: 'embeddings',
  transcribe: 'transcription',
  speak: 'speech',
};

/** Spans for one request; every method is a no-op without a tracer. */
export interface RequestTelemetry {
  attempt(info: { provider: string; model: string; connectionId?: string; attempt: number; billingSource: string }): AttemptTelemetry;
  end(outcome: { success: boolean; reason?: string }): void;
}

/** Spans for one attempt. */
export interface AttemptTelemetry {
  end(outcome: {
    success: boolean;
    reason?: string;
    responseModel?: string;
    inputTokens?: number;
    outputTokens?: number;
    finishReason?: string;
    timeToFirstTokenMs?: number;
  }): void;
}

const NOOP_ATTEMPT: AttemptTelemetry = { end: () => undefined };
const NOOP_REQUEST: RequestTelemetry = { attempt: () => NOOP_ATTEMPT, end: () => undefined };

/** Starts a request span (or nothing). */
export function startRequestTelemetry(
  options: TelemetryOptions | undefined,
  info: { operation: string; requestId: string; tenantId: string; model?: string },
): RequestTelemetry {
  if (!options) return NOOP_REQUEST;
  const { tracer, api } = options;
  const operation = OPERATION_NAMES[info.operation] ?? info.operation;
  const attributes: Record<string, SpanAttributeValue> = {
    'gen_ai.operation.name': operation,
    'byok.request_id': info.requestId,
    'byok.tenant_id': info.tenantId,
  };
  if (info.model) attributes['gen_ai.request.model'] = info.model;
  const span = safe(() => tracer.startSpan(`byok.${info.operation}`, { attributes, kind: SPAN_KIND_CLIENT }));
  const parent = span && api ? safe(() => api.trace.setSpan(api.context.active(), span)) : undefined;
  return {
    attempt(attempt) {
      const attrs: Record<string, SpanAttributeValue> = {
        'gen_ai.operation.name': operation,
        'gen_ai.provider.name': attempt.provider,
        'gen_ai.request.model': attempt.model,
        'byok.attempt': attempt.attempt,
        'byok.billing_source': attempt.billingSource,
      };
      if (attempt.connectionId) attrs['byok.connection_id'] = attempt.connectionId;
      const child = safe(() => tracer.startSpan(`${operation} ${attempt.model}`, { attributes: attrs, kind: SPAN_KIND_CLIENT }, parent));
      if (!child) return NOOP_ATTEMPT;
      return {
        end(outcome) {
          safe(() => {
            if (outcome.responseModel) child.setAttribute('gen_ai.response.model', outcome.responseModel);
            if (outcome.inputTokens !== undefined) child.setAttribute('gen_ai.usage.input_tokens', outcome.inputTokens);
            if (outcome.outputTokens !== undefined) child.setAttribute('gen_ai.usage.output_tokens', outcome.outputTokens);
            if (outcome.finishReason) child.setAttribute('gen_ai.response.finish_reasons', [outcome.finishReason]);
            if (outcome.timeToFirstTokenMs !== undefined) child.setAttribute('byok.time_to_first_token_ms', outcome.timeToFirstTokenMs);
            if (!outcome.success) {
              child.setAttribute('error.type', outcome.reason ?? 'unclassified');
              child.setStatus({ code: STATUS_ERROR, message: outcome.reason });
            }
            child.end();
          });
        },
      };
    },
    end(outcome) {
      if (!span) return;
      safe(() => {
        if (!outcome.success) {
          span.setAttribute('error.type', outcome.reason ?? 'unclassified');
          span.setStatus({ code: STATUS_ERROR, message: outcome.reason });
        }
        span.end();
      });
    },
  };
}

/** A tracer must never break a request. */
function safe<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}
