/** @module The store interfaces core's runtime runs on; the host supplies implementations. */
export * from './state-store';
export * from './connection-store';
export * from './usage-sink';
export * from './audit-sink';
