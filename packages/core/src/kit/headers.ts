/** @module Header helpers: merging connection, request and auth headers safely, and joining URLs. */
import { ByokError } from '../errors/byok-error';

/**
 * Headers the transport owns: hop-by-hop and framing headers. A caller's or a connection's
 * value for one of them would let a tenant desynchronize the request (`content-length`,
 * `transfer-encoding`), stall it (`expect`) or retarget it (`host`), so they are dropped.
 */
export const TRANSPORT_OWNED_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'http2-settings',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** An RFC 9110 token: what a header name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Merges header records left to right; later values win (names compare case-insensitively),
 * `undefined` values are dropped, and so are the {@link TRANSPORT_OWNED_HEADERS}. A name that is
 * not a token, or a value with a control character (CR, LF, NUL...) or a character outside
 * Latin-1, is a caller error (`invalid_request` naming the header), found before anything is
 * sent rather than failing later as a retryable `network` error.
 *
 * @example
 * combineHeaders({ 'x-team': 'a' }, { 'X-Team': 'b', 'content-length': '1' }); // { 'X-Team': 'b' }
 */
export function combineHeaders(...sources: (Record<string, string | undefined> | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const source of sources) {
    if (!source) continue;
    for (const [name, value] of Object.entries(source)) {
      if (value === undefined) continue;
      const lower = name.toLowerCase();
      assertHeader(name, value);
      if (TRANSPORT_OWNED_HEADERS.has(lower)) continue;
      const existing = names.get(lower);
      if (existing !== undefined) delete out[existing];
      names.set(lower, name);
      out[name] = value;
    }
  }
  return out;
}

/** Throws `invalid_request` for a header that cannot go on the wire as given. Never echoes the value. */
export function assertHeader(name: string, value: unknown): void {
  if (!TOKEN.test(name) || name.length > 256) {
    throw new ByokError('invalid_request', `header name ${JSON.stringify(name.slice(0, 40))} is not a valid HTTP header name`, {
      field: 'headers',
    });
  }
  if (typeof value !== 'string') {
    throw new ByokError('invalid_request', `header "${name}" must be a string`, { field: `headers.${name}` });
  }
  if (!isValidHeaderValue(value)) {
    throw new ByokError(
      'invalid_request',
      `header "${name}" has a control character (CR, LF, NUL...) or a character outside Latin-1 in its value; if it carries a key, check the key for a stray line break`,
      { field: `headers.${name}` },
    );
  }
}

/** True when `value` has only HTAB, visible ASCII, space and Latin-1 characters. */
export function isValidHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f || code > 0xff) return false;
  }
  return true;
}

/**
 * Joins a base URL and a path with exactly one slash between them. A base URL with a query or a
 * fragment is refused (`invalid_request`): the path would land inside it, and a tenant could pick
 * the exact endpoint with a trailing `?` or `#`.
 *
 * @example
 * joinUrl('https://api.example.com/v1/', '/models'); // 'https://api.example.com/v1/models'
 */
export function joinUrl(baseUrl: string, path: string): string {
  if (baseUrl.includes('?') || baseUrl.includes('#')) {
    throw new ByokError('invalid_request', 'the base URL must not have a query or a fragment (rule: base_url_query)', {
      field: 'baseUrl',
    });
  }
  return `${trimEnd(baseUrl)}/${trimStart(path)}`;
}

function trimEnd(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 47) end--;
  return text.slice(0, end);
}

function trimStart(text: string): string {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) === 47) start++;
  return text.slice(start);
}
