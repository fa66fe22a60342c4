/**
 * @module The egress policy: which URLs a provider call may reach. Tenants type base URLs, so
 * every request of every adapter is checked here — scheme, userinfo, cloud metadata, and
 * loopback / private / link-local ranges unless the host allows them — first on the URL, then
 * (see `egress-dispatcher.ts`) on the address the name resolves to when the socket connects.
 */
import { ByokError } from '../errors/byok-error';
import {
  classifyAddress,
  formatAddress,
  inRange,
  parseIp,
  parseRange,
  type AddressClass,
  type AddressRange,
} from './ip-address';

/**
 * What a host allows beyond the public internet. Cloud metadata addresses are refused whatever
 * it says.
 *
 * @example
 * // A tenant's private vLLM endpoint, on a VPC range, and a sidecar on the same machine:
 * const call = { credential, baseUrl: 'http://10.0.3.7:8000/v1', egress: { allow: ['10.0.0.0/8', 'localhost'] } };
 */
export interface EgressPolicy {
  /**
   * Hosts and ranges that may be loopback, private (RFC 1918, CGNAT, ULA), link-local or
   * reserved: host names (`llm.internal`, `*.corp.example`), IP addresses, or CIDR ranges
   * (`10.0.0.0/8`, `fc00::/7`). A host name allows whatever it resolves to, except metadata.
   */
  allow?: readonly string[];
  /**
   * Check the address a name resolves to when the socket connects (default `true`), so a DNS
   * answer pointing at a refused range is refused too. Only the default fetch can do this; set
   * `false` when a proxy set with undici's `setGlobalDispatcher` must carry the requests.
   */
  checkResolvedAddress?: boolean;
}

/** Why the egress policy refused a URL. */
export type EgressRule =
  | 'invalid_url'
  | 'scheme'
  | 'userinfo'
  | 'base_url_query'
  | 'fragment'
  | 'metadata'
  | 'private_address';

/** An egress policy compiled for matching. */
export interface CompiledEgress {
  readonly hosts: ReadonlySet<string>;
  readonly suffixes: readonly string[];
  readonly ranges: readonly AddressRange[];
  readonly checkResolvedAddress: boolean;
  /** A canonical text of the allowances, for caching a connection pool per policy. */
  readonly key: string;
}

/** Host names of metadata services, refused whatever the allowlist says. */
const METADATA_HOSTS: ReadonlySet<string> = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);

const CLASS_TEXT: Record<Exclude<AddressClass, 'public' | 'metadata'>, string> = {
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private-network address',
  link_local: 'a link-local address',
  reserved: 'a reserved address',
};

const MAX_ALLOW_ENTRIES = 256;
const compiledCache = new WeakMap<EgressPolicy, CompiledEgress>();

/** The policy that allows nothing beyond the public internet. */
export const DEFAULT_EGRESS: CompiledEgress = Object.freeze({
  hosts: new Set<string>(),
  suffixes: [],
  ranges: [],
  checkResolvedAddress: true,
  key: '',
});

/**
 * Compiles and merges policies (adapter, host and call): allowances add up; the resolved
 * address is checked unless one of them turns it off. A malformed entry is an
 * `invalid_request` naming it.
 *
 * @example
 * const egress = compileEgress([{ allow: ['10.0.0.0/8'] }, call.egress]);
 */
export function compileEgress(policies: readonly (EgressPolicy | undefined)[], field = 'egress'): CompiledEgress {
  const present = policies.filter((p): p is EgressPolicy => p !== undefined && p !== null);
  if (present.length === 0) return DEFAULT_EGRESS;
  if (present.length === 1) {
    const cached = compiledCache.get(present[0] as EgressPolicy);
    if (cached) return cached;
  }
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  const ranges: AddressRange[] = [];
  const keys: string[] = [];
  let checkResolvedAddress = true;
  for (const policy of present) {
    if (typeof policy !== 'object') {
      throw new ByokError('invalid_request', `${field} must be an object like { allow: ['10.0.0.0/8'] }`, { field });
    }
    if (policy.checkResolvedAddress === false) checkResolvedAddress = false;
    const allow = policy.allow ?? [];
    if (!Array.isArray(allow) || allow.length > MAX_ALLOW_ENTRIES) {
      throw new ByokError('invalid_request', `${field}.allow must be an array of at most ${MAX_ALLOW_ENTRIES} hosts or CIDR ranges`, {
        field: `${field}.allow`,
      });
    }
    allow.forEach((entry: unknown, index: number) => {
      const where = `${field}.allow.${index}`;
      if (typeof entry !== 'string' || entry.length === 0 || entry.length > 253) {
        throw new ByokError('invalid_request', `${where} must be a host name, an IP address or a CIDR range`, { field: where });
      }
      const range = parseRange(entry.trim());
      if (range) {
        ranges.push(range);
        keys.push(`${formatAddress(range.base)}/${range.prefix}`);
        return;
      }
      const name = normalizeHost(entry.trim());
      const wildcard = name.startsWith('*.');
      const bare = wildcard ? name.slice(2) : name;
      if (entry.includes('/') || !/^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$/.test(bare)) {
        throw new ByokError('invalid_request', `${where} is neither a host name, an IP address nor a CIDR range`, { field: where });
      }
      if (wildcard) suffixes.push(`.${bare}`);
      else hosts.add(bare);
      keys.push(name);
    });
  }
  const compiled: CompiledEgress = {
    hosts,
    suffixes,
    ranges,
    checkResolvedAddress,
    key: `${checkResolvedAddress ? '' : 'no-dns;'}${[...new Set(keys)].sort().join(',')}`,
  };
  if (present.length === 1) compiledCache.set(present[0] as EgressPolicy, compiled);
  return compiled;
}

/** A host name lower-cased, without the trailing dots that make `metadata.google.internal.` a different string. */
export function normalizeHost(host: string): string {
  let end = host.length;
  while (end > 0 && host.charCodeAt(end - 1) === 46) end--;
  return host.slice(0, end).toLowerCase();
}

function hostAllowed(host: string, egress: CompiledEgress): boolean {
  if (egress.hosts.has(host)) return true;
  for (const suffix of egress.suffixes) if (host.endsWith(suffix)) return true;
  return false;
}

/** A refusal raised inside the connect hook, found again in the fetch failure's cause chain. */
export class EgressRefusal extends Error {
  override readonly name = 'EgressRefusal';
  constructor(
    readonly rule: EgressRule,
    readonly detail: string,
  ) {
    super(`egress policy refused the connection: ${detail}`);
  }
}

/**
 * The verdict on one address reached through `host`: undefined when allowed. Used on URL
 * literals and on every address a name resolves to.
 */
export function checkAddress(address: bigint, host: string, egress: CompiledEgress): EgressRefusal | undefined {
  const kind = classifyAddress(address);
  if (kind === 'public') return undefined;
  const shown = formatAddress(address);
  if (kind === 'metadata') return new EgressRefusal('metadata', `${shown} is a cloud metadata address, never reachable`);
  if (hostAllowed(host, egress)) return undefined;
  for (const range of egress.ranges) if (inRange(address, range)) return undefined;
  return new EgressRefusal('private_address', `${shown} is ${CLASS_TEXT[kind]}`);
}

/** Options of {@link checkEgressUrl}. */
export interface EgressCheckOptions {
  /** Provider id, for the message. */
  provider?: string;
  /** The field to name in the error (default `baseUrl`). */
  field?: string;
  /** A base URL: a query or a fragment is refused (it would swallow the path appended to it). */
  isBaseUrl?: boolean;
}

/**
 * Checks a URL against the policy before anything is sent: http(s) only, no userinfo, no
 * fragment (no query either in a base URL), metadata hosts refused, IP literals in refused
 * ranges refused unless allowed. Returns the parsed URL; throws `invalid_request` naming the
 * rule, and never echoes userinfo.
 *
 * @example
 * checkEgressUrl('http://169.254.169.254/latest', DEFAULT_EGRESS); // throws invalid_request (rule: metadata)
 */
export function checkEgressUrl(url: string | URL, egress: CompiledEgress, options: EgressCheckOptions = {}): URL {
  const field = options.field ?? 'baseUrl';
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    throw refusal(options, 'invalid_url', `${field} is not an absolute URL`, field);
  }
  const origin = `${parsed.protocol}//${parsed.host}`;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw refusal(options, 'scheme', `${field} must use http or https, not ${parsed.protocol.slice(0, 16)}`, field);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw refusal(options, 'userinfo', `${origin}: ${field} must not carry a user name or password (put credentials in the connection's credential)`, field);
  }
  if (options.isBaseUrl && (parsed.search !== '' || parsed.hash !== '' || hasBareMarker(url))) {
    throw refusal(options, 'base_url_query', `${origin}: ${field} must not have a query or a fragment`, field);
  }
  if (parsed.hash !== '') throw refusal(options, 'fragment', `${origin}: a request URL must not have a fragment`, field);
  const host = normalizeHost(parsed.hostname);
  if (METADATA_HOSTS.has(host)) {
    throw refusal(options, 'metadata', `${origin}: ${host} is a cloud metadata service, never reachable`, field);
  }
  const address = parseIp(host);
  if (address !== undefined) {
    const verdict = checkAddress(address, host, egress);
    if (verdict) throw refusalFrom(verdict, options, field);
  } else if ((host === 'localhost' || host.endsWith('.localhost')) && !hostAllowed(host, egress)) {
    throw refusal(options, 'private_address', `${origin}: ${host} is a loopback name`, field);
  }
  return parsed;
}

/** A `?` or `#` with nothing after it, which the URL parser drops but which still swallows a joined path. */
function hasBareMarker(url: string | URL): boolean {
  if (typeof url !== 'string') return false;
  return url.includes('?') || url.includes('#');
}

/** The `invalid_request` for a refusal raised by the connect hook. */
export function refusalFrom(verdict: EgressRefusal, options: EgressCheckOptions = {}, field = options.field ?? 'baseUrl'): ByokError {
  return refusal(options, verdict.rule, verdict.detail, field);
}

function refusal(options: EgressCheckOptions, rule: EgressRule, detail: string, field: string): ByokError {
  const fix =
    rule === 'private_address'
      ? ' Allow it with `egress: { allow: [host or CIDR] }` in the call context when the endpoint is meant to be private.'
      : '';
  return new ByokError('invalid_request', `${options.provider ?? 'call'}: egress policy refused the request (rule: ${rule}): ${detail}.${fix}`, {
    field,
    provider: options.provider,
  });
}

/** Finds an {@link EgressRefusal} in a fetch failure's cause chain. */
export function findEgressRefusal(error: unknown): EgressRefusal | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    if (current instanceof EgressRefusal) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The host of a base URL configured by the host in code (an adapter option), when it is in a
 * range the policy would otherwise refuse; such a base URL is trusted, unlike a tenant's.
 */
export function trustedAdapterHost(baseUrl: string | undefined): string | undefined {
  if (!baseUrl) return undefined;
  let host: string;
  try {
    host = normalizeHost(new URL(baseUrl).hostname);
  } catch {
    return undefined;
  }
  if (METADATA_HOSTS.has(host)) return undefined;
  const address = parseIp(host);
  if (address === undefined) return host;
  const kind = classifyAddress(address);
  return kind === 'public' || kind === 'metadata' ? undefined : host.startsWith('[') ? host.slice(1, -1) : host;
}
