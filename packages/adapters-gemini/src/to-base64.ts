/** @module Bytes → base64 without Node's Buffer, so the adapter runs on any fetch runtime. */

const CHUNK = 0x8000;

/** Base64 of `bytes`; a string is assumed to be base64 already and returned unchanged. */
export function toBase64(data: Uint8Array | string): string {
  if (typeof data === 'string') return data;
  const buffer = (globalThis as { Buffer?: { from(bytes: Uint8Array): { toString(encoding: 'base64'): string } } }).Buffer;
  if (buffer) return buffer.from(data).toString('base64');
  let binary = '';
  // Chunked so String.fromCharCode never gets more arguments than the engine allows.
  for (let i = 0; i < data.length; i += CHUNK) binary += String.fromCharCode(...data.subarray(i, i + CHUNK));
  return btoa(binary);
}
