/** @module The runtime's public surface: `createByok` and the types and helpers around it. */
export * from './create-byok';
export * from './clock';
export * from './events';
export * from './trace';
export * from './route-error';
export * from './cooldowns';
export * from './decide';
export * from './policy';
export * from './request-schema';
export { exclusionReasonSchema, type ExclusionReason, type PlanCandidate, type PlanExclusion, type RoutePlan, type RuntimeOperation } from './plan';
export { type CredentialKeeper, type SealContext, type SealedCredential, SEAL_PURPOSE, envCredentialResolver } from './credentials';
export {
  connectInputSchema,
  rotateInputSchema,
  type ConnectInput,
  type RotateInput,
  type ConnectionRef,
  type ConnectionsApi,
  type ConnectionTestReport,
  type ConnectionView,
  type ProbeName,
  type ProbeResult,
} from './connections';
export * from './credential-ops-limit';
export { type ByokStreamPart, type RoutePart, isContentPart } from './stream-failover';
export { type ByokSpeakStreamPart, type ByokTranscribeStreamPart, type VoiceRoutePart } from './voice-stream';
export * from './structured-output';
export { type TelemetryOptions, type TracerLike, type SpanLike, type SpanAttributeValue } from './otel';
export * from './route-summary';
