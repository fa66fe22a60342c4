/**
 * @module The redaction boundary: everything that becomes an error message, event,
 * log line or snapshot passes through {@link redact} first.
 *
 * Two nets catch a secret. Exact values known to the call (the transport passes the call's
 * credential with every error it makes; nothing is kept in a process-wide list), matched whole,
 * trimmed, line by line, and by any 8-character window (so a key cut at a boundary or echoed
 * after a line break still goes); and key-shaped patterns for the secrets nobody passed:
 * provider key prefixes, bearer tokens, secret-named fields and headers (`"api_key": …`,
 * `OPENAI_API_KEY=…`, `x-api-key: …`), secret query parameters, and the masked echoes
 * providers put into 401 bodies (`sk-proj-****…ab12`).
 *
 * Every pattern here is linear (no nested quantifiers, no `.*` between literals), and
 * {@link redact} reads a bounded prefix of its input.
 */

/** What replaces a secret. */
export const REDACTED = '[REDACTED]';

/** Shortest secret scrubbed by value: 3-character secrets exist (test tokens, PINs). */
const MIN_SECRET_LENGTH = 3;
/** Secrets of this length or more are also scrubbed by any window of this many characters. */
const FRAGMENT_LENGTH = 8;
/**
 * Most characters {@link redact} reads; the rest is replaced by a marker. Bounds the work on
 * a hostile megabyte-long provider message (error texts are cut far shorter anyway).
 */
export const MAX_REDACT_INPUT = 64 * 1024;

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
/**
 * `name: value`, `name=value`, `"name": "value"`, where the name ends in a secret word
 * (`api_key`, `apiKey`, `OPENAI_API_KEY`, `x-api-key`, `xi-api-key`, `Ocp-Apim-Subscription-Key`,
 * `Authorization`...), an optional auth scheme, then the value. Anchored on the word itself
 * (whatever precedes it stays), so the pattern is linear.
 */
const ASSIGNMENT =
  /((?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|secret[_-]?key|subscription[_-]?key|private[_-]?key|password|passwd|authorization|token|secret|cookie)["']?[ \t]{0,8}[:=][ \t]{0,8}["']?)((?:Bearer|Basic|Token)[ \t]{1,8})?[^"'\s,;}&<>]{3,}/gi;

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
 * Scrubs secrets from `text`: the `secrets` given (the call's credential, exactly and by
 * fragment) and key-shaped strings. Input past {@link MAX_REDACT_INPUT} characters is dropped.
 *
 * @example
 * redact('Incorrect API key provided: sk-proj-****abcd'); // 'Incorrect API key provided: [REDACTED]'
 * redact('tenant key 4f1a9c2e77 refused', ['4f1a9c2e77']); // 'tenant key [REDACTED] refused'
 */
export function redact(text: string, secrets?: Iterable<string | undefined | null>): string {
  let out = typeof text === 'string' ? text : String(text);
  if (out.length > MAX_REDACT_INPUT) out = `${out.slice(0, MAX_REDACT_INPUT)}…[truncated]`;
  if (secrets) out = scrubSecrets(out, secrets);
  out = out.replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(QUERY_SECRET, (_m, prefix: string) => `${prefix}${REDACTED}`);
  out = out.replace(ASSIGNMENT, (_m, name: string, scheme: string | undefined) => `${name}${scheme ?? ''}${REDACTED}`);
  for (const pattern of KEY_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

/**
 * Redacts `text`, then cuts it to `max` characters — in that order, so a secret that straddles
 * the cut is still recognized whole. Only a bounded prefix is read.
 *
 * @example
 * clipRedacted(providerText, 300, [apiKey]);
 */
export function clipRedacted(text: string, max: number, secrets?: Iterable<string | undefined | null>): string {
  // Read a margin past the cut so that a key starting just before it is seen whole.
  const head = text.length > max + 1024 ? text.slice(0, max + 1024) : text;
  const clean = redact(head, secrets);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Every form of the given secrets: exact, trimmed, each line, and any 8-character window. */
function scrubSecrets(text: string, secrets: Iterable<string | undefined | null>): string {
  const exact: string[] = [];
  const windows = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string') continue;
    for (const variant of variantsOf(secret)) {
      if (variant.length < MIN_SECRET_LENGTH) continue;
      exact.push(variant);
      if (variant.length >= FRAGMENT_LENGTH) {
        for (let i = 0; i + FRAGMENT_LENGTH <= variant.length; i++) windows.add(variant.slice(i, i + FRAGMENT_LENGTH));
      }
    }
  }
  let out = text;
  // Longest first, so a secret that contains another is removed whole.
  exact.sort((a, b) => b.length - a.length);
  for (const value of exact) if (out.includes(value)) out = out.split(value).join(REDACTED);
  return windows.size === 0 ? out : scrubWindows(out, windows);
}

/** The secret, trimmed, and each of its lines trimmed (a header echo keeps only one line of it). */
function variantsOf(secret: string): string[] {
  const variants = [secret, secret.trim()];
  if (/[\r\n]/.test(secret)) for (const line of secret.split(/\r\n|\r|\n/)) variants.push(line.trim());
  return [...new Set(variants)];
}

/** Replaces every run of text covered by 8-character windows of a secret. Linear in `text`. */
function scrubWindows(text: string, windows: ReadonlySet<string>): string {
  let out = '';
  let copiedTo = 0;
  let runEnd = -1;
  let runStart = -1;
  for (let i = 0; i + FRAGMENT_LENGTH <= text.length; i++) {
    if (!windows.has(text.slice(i, i + FRAGMENT_LENGTH))) continue;
    if (i <= runEnd) {
      runEnd = i + FRAGMENT_LENGTH;
    } else {
      if (runStart !== -1) {
        out += text.slice(copiedTo, runStart) + REDACTED;
        copiedTo = runEnd;
      }
      runStart = i;
      runEnd = i + FRAGMENT_LENGTH;
    }
  }
  if (runStart === -1) return text;
  out += text.slice(copiedTo, runStart) + REDACTED + text.slice(runEnd);
  return out;
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

/**
 * A URL with userinfo and secret query parameters removed, safe for an error or a log line.
 * Never throws, whatever `url` is; an unparseable URL has everything up to its last `@`
 * before the path removed too.
 *
 * @example
 * redactUrl('https://user:pass@example.test/v1?key=abc'); // 'https://[REDACTED]@example.test/v1?key=[REDACTED]'
 */
export function redactUrl(url: string | URL, secrets?: Iterable<string | undefined | null>): string {
  let text: string;
  try {
    text = typeof url === 'string' ? url : url.toString();
  } catch {
    return REDACTED;
  }
  try {
    const parsed = new URL(text);
    if (parsed.username !== '' || parsed.password !== '') {
      parsed.username = '';
      parsed.password = '';
      text = parsed.toString().replace('//', `//${REDACTED}@`);
    }
  } catch {
    // Not parseable: cut any authority userinfo by hand (the last '@' before the path wins).
    const scheme = text.indexOf('//');
    if (scheme !== -1) {
      const pathStart = text.indexOf('/', scheme + 2);
      const authority = pathStart === -1 ? text.slice(scheme + 2) : text.slice(scheme + 2, pathStart);
      const at = authority.lastIndexOf('@');
      if (at !== -1) text = `${text.slice(0, scheme + 2)}${REDACTED}@${text.slice(scheme + 2 + at + 1)}`;
    }
  }
  return redact(text, secrets);
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
