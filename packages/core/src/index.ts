/**
 * `@byok/core` — the taxonomy, the adapter spec, errors, redaction and the
 * adapter kit that every other `@byok` package builds on.
 *
 * @example
 * import { isByokError, type ProviderAdapter } from '@byok/core';
 *
 * @packageDocumentation
 */
export * from './taxonomy/provider-id';
export * from './taxonomy/capabilities';
export * from './taxonomy/billing';
export * from './taxonomy/connection';

export * from './errors/reasons';
export * from './errors/byok-error';
export * from './errors/invalid-request';

export * from './redaction/redact';

export * from './spec/json-schema';
export * from './spec/request';
export * from './spec/result';
export * from './spec/model';
export * from './spec/voice';
export * from './spec/credential';
export * from './spec/adapter';
export * from './spec/collect-stream';
export * from './spec/text-stream';

export * from './kit/retry-after';
export * from './kit/status-reasons';
export * from './kit/headers';
export * from './kit/parse-json';
export * from './kit/path';
export * from './kit/classify-text';
export * from './kit/sse';
export * from './kit/http-call';
export * from './kit/part-stream';
export * from './kit/define-adapter';
export * from './kit/guard-part-stream';
export * from './kit/audio-input';

export * from './stores/index';
export * from './money/metering-hook';
export * from './money/billing-policy';
export * from './stores/memory-state-store';
export * from './stores/memory-connection-store';
export * from './stores/memory-audit-sink';
export * from './money/catalog';
export * from './money/catalog-snapshot';
export * from './money/ledger';
export * from './money/usage';
export * from './money/memory-usage-sink';
export * from './money/usage-writer';
export * from './runtime/index';
export * from './kit/egress-policy';
export * from './kit/read-limits';
export * from './kit/usage-guard';
export { resolveStreamTimeouts, type StreamTimeouts, type DeadlineKind } from './kit/deadline';
export * from './money/metering';
