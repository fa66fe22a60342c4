/**
 * @module The redaction boundary: everything that becomes an error message, event,
 * log line or snapshot passes through {@link redact} first.
 *
 * Two nets catch a secret. Exact values registered for the duration of a call
 * (the transport does this with the call's credential), and key-shaped patterns
 * for the secrets nobody registered: provider key prefixes, bearer tokens,
 * secret-looking query parameters, and the masked echoes providers put into
 * 401 bodies (`sk-proj-****…ab12`).
 */

/** What replaces a secret. */
export const REDACTED = '[REDACTED]';

/** Shortest registered secret that is scrubbed by value; shorter strings would scrub ordinary words. */
const MIN_SECRET_LENGTH = 6;
/** Registered secrets kept at once; the oldest go first when a host forgets to unregister. */
const MAX_REGISTERED = 10_000;

const registered = new Map<string, number>();

const KEY_PATTERNS: readonly RegExp[] = [
  // Provider key prefixes, including masked echoes like "sk-proj-****…ab12".
  /\b(?:sk|rk|pk)-(?:proj-|ant-(?:api\d\d-|admin\d\d-)?|or-v1-|svcacct-|live-|test-)?[A-Za-z0-9_\-*.…]{6,}/g,
  /\bAIza[0-9A-Za-z_\-*.…]{10,}/g,
  /\bxai-[A-Za-z0-9_\-*.…]{6,}/g,
  /\bgsk_[A-Za-z0-9_\-*.…]{6,}/g,
  /\bhf_[A-Za-z0-9_\-*.…]{6,}/g,
  /\bya29\.[A-Za-z0-9_\-.]{10,}/g,
  // A masked key in any other form: a run of asterisks inside a token.
  /[A-Za-z0-9_\-.]{0,24}\*{3,}[A-Za-z0-9_\-*.…]*/g,
];

const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=\-]{4,}/gi;
const QUERY_SECRET =
  /([?&;](?:key|api[_-]?key|apikey|token|access[_-]?token|auth|secret|sig|signature|password|client[_-]?secret)=)[^&#\s"'<>]+/gi;
const HEADER_LINE =
  /\b(authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key|cookie|set-cookie)(["']?\s*[:=]\s*["']?)[^"'\r\n,}]+/gi;

/** Header names whose values are always secret. */
export const SECRET_HEADER_NAMES: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
  'set-cookie',
  'ocp-apim-subscription-key',
  'xi-api-key',
]);

/**
 * Registers an exact secret value so that {@link redact} scrubs it wherever it appears.
 * Registration is counted: every call must be paired with the returned `release`.
 *
 * @example
 * const release = registerSecret(apiKey);
 * try { await call(); } finally { release(); }
 */
export function registerSecret(value: string | undefined | null): () => void {
  if (!value || value.length < MIN_SECRET_LENGTH) return noop;
  registered.set(value, (registered.get(value) ?? 0) + 1);
  if (registered.size > MAX_REGISTERED) {
    const oldest = registered.keys().next().value;
    if (oldest !== undefined) registered.delete(oldest);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const count = registered.get(value);
    if (count === undefined) return;
    if (count <= 1) registered.delete(value);
    else registered.set(value, count - 1);
  };
}

function noop(): void {}

/**
 * Scrubs secrets from `text`: registered values, `extraSecrets`, and key-shaped strings.
 *
 * @example
 * redact('Incorrect API key provided: sk-proj-****abcd'); // 'Incorrect API key provided: [REDACTED]'
 */
export function redact(text: string, extraSecrets?: Iterable<string | undefined>): string {
  let out = text;
  if (extraSecrets) {
    for (const secret of extraSecrets) out = scrubValue(out, secret);
  }
  for (const secret of registered.keys()) out = scrubValue(out, secret);
  out = out.replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(QUERY_SECRET, (_m, prefix: string) => `${prefix}${REDACTED}`);
  out = out.replace(HEADER_LINE, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  for (const pattern of KEY_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

function scrubValue(text: string, secret: string | undefined): string {
  if (!secret || secret.length < MIN_SECRET_LENGTH || !text.includes(secret)) return text;
  return text.split(secret).join(REDACTED);
}

/** A copy of `headers` with every secret header's value replaced. */
export function redactHeaders(
  headers: Headers | Record<string, string | undefined> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const entries: Iterable<[string, string | undefined]> =
    headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADER_NAMES.has(name.toLowerCase()) ? REDACTED : redact(value);
  }
  return out;
}

/** A URL with secret query parameters and userinfo removed, safe for an error or a log line. */
export function redactUrl(url: string | URL): string {
  const text = typeof url === 'string' ? url : url.toString();
  return redact(text.replace(/\/\/[^/@\s]+@/, `//${REDACTED}@`));
}

/**
 * Walks a JSON-like value and redacts every string and every secret-named key.
 * Used for anything structured that leaves the SDK (events, usage records, snapshots).
 */
export function redactValue<T>(value: T, extraSecrets?: readonly string[]): T {
  return walk(value, extraSecrets, 0) as T;
}

function walk(value: unknown, extra: readonly string[] | undefined, depth: number): unknown {
  if (depth > 32) return '[Truncated]';
  if (typeof value === 'string') return redact(value, extra);
  if (Array.isArray(value)) return value.map((item) => walk(item, extra, depth + 1));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEY_NAMES.test(key) ? REDACTED : walk(inner, extra, depth + 1);
    }
    return out;
  }
  return value;
}

const SECRET_KEY_NAMES = /^(api[_-]?key|apikey|secret|password|token|access[_-]?token|refresh[_-]?token|authorization|x-api-key|api-key|x-goog-api-key|client[_-]?secret|private[_-]?key)$/i;
