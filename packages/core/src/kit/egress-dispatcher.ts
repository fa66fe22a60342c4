/**
 * @module The connect-time half of the egress policy, for Node's global fetch: an undici
 * `Agent` whose DNS lookup refuses an answer in a refused range, so a name that resolves (or
 * re-resolves, DNS rebinding) to a private or metadata address never gets a socket. One pool per
 * distinct policy: a connection opened under one tenant's allowances is never reused under
 * another's.
 *
 * The `Agent` is the one Node's own fetch is built on, where it can be had: npm undici's `Agent`
 * drives Node's fetch through a handler-compatibility layer that cost several percent of a whole
 * request. Node does not export its bundled undici, but its fetch module registers a default
 * `Agent` under undici's cross-version global symbol when it loads; that instance's constructor is
 * the bundled class. Anything else found there (a proxy agent, a mock, a host's own dispatcher)
 * is left alone and npm undici's `Agent` is used, as before.
 */
import type { LookupAddress, LookupOneOptions } from 'node:dns';
import { checkAddress, normalizeHost, type CompiledEgress } from './egress-policy';
import { parseIp } from './ip-address';

/** What fetch's `init.dispatcher` takes; opaque here so that core's types do not depend on undici's. */
export type EgressDispatcher = object;

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;
type Lookup = (hostname: string, options: LookupOneOptions & { all?: boolean }, callback: LookupCallback) => void;

interface NodeModules {
  Agent: new (options: { connect: { lookup: Lookup } }) => EgressDispatcher & { close(): Promise<void> };
  lookup: (hostname: string, options: object, callback: (error: Error | null, addresses: LookupAddress[]) => void) => void;
}

const MAX_POOLS = 32;
const pools = new Map<string, EgressDispatcher & { close(): Promise<void> }>();
let modules: Promise<NodeModules | undefined> | undefined;

function isNode(): boolean {
  const versions = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions;
  return typeof versions?.node === 'string';
}

/** undici's cross-version symbol for the process-wide dispatcher (Node's fetch and npm undici both use it). */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/**
 * The `Agent` class of the undici Node's fetch runs on, or undefined when the process-wide
 * dispatcher is not a plain `Agent` (someone installed their own).
 */
export function nodeFetchAgent(): NodeModules['Agent'] | undefined {
  // Touching a fetch global loads Node's undici, which registers its default Agent; no request is made.
  void globalThis.Headers;
  const current = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER];
  const constructor = typeof current === 'object' && current !== null ? (current as { constructor?: unknown }).constructor : undefined;
  if (typeof constructor !== 'function' || constructor.name !== 'Agent') return undefined;
  return constructor as NodeModules['Agent'];
}

function loadModules(): Promise<NodeModules | undefined> {
  modules ??= (async () => {
    const dns = await import('node:dns');
    const lookup = dns.lookup as unknown as NodeModules['lookup'];
    const Agent = nodeFetchAgent() ?? ((await import('undici')).Agent as unknown as NodeModules['Agent']);
    return { Agent, lookup };
  })().catch(() => undefined);
  return modules;
}

/**
 * The dispatcher that enforces `egress` on resolved addresses, or undefined where there is
 * none to make (not Node, or the policy turned the check off).
 */
export async function egressDispatcher(egress: CompiledEgress): Promise<EgressDispatcher | undefined> {
  if (!egress.checkResolvedAddress || !isNode()) return undefined;
  const existing = pools.get(egress.key);
  if (existing) return existing;
  const loaded = await loadModules();
  if (!loaded) return undefined;
  const again = pools.get(egress.key);
  if (again) return again;
  const agent = new loaded.Agent({ connect: { lookup: guardedLookup(egress, loaded.lookup) } });
  pools.set(egress.key, agent);
  if (pools.size > MAX_POOLS) {
    const [oldestKey, oldest] = pools.entries().next().value as [string, { close(): Promise<void> }];
    pools.delete(oldestKey);
    // close() lets requests in flight finish.
    oldest.close().catch(() => undefined);
  }
  return agent;
}

/** A DNS lookup that fails when any answer is in a range the policy refuses. */
export function guardedLookup(egress: CompiledEgress, lookup: NodeModules['lookup']): Lookup {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const host = normalizeHost(hostname);
      for (const answer of addresses) {
        const address = parseIp(answer.address);
        if (address === undefined) continue;
        const verdict = checkAddress(address, host, egress);
        if (verdict) return callback(verdict, []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`no address for ${hostname}`), []);
      return callback(null, first.address, first.family);
    });
  };
}
