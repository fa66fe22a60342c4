/**
 * @module IP address parsing and classification for the egress policy: every address is one
 * 128-bit number (IPv4 as `::ffff:a.b.c.d`), so ranges, CIDR allowlists and IPv4 addresses
 * embedded in IPv6 (mapped, compatible, NAT64, 6to4) are all checked the same way.
 */

/** What an address is, as the egress policy sees it. */
export type AddressClass = 'metadata' | 'unspecified' | 'loopback' | 'private' | 'link_local' | 'reserved' | 'public';

/** A CIDR range over the 128-bit space. */
export interface AddressRange {
  base: bigint;
  prefix: number;
}

const V4_MAPPED = 0xffff_0000_0000n;
const ALL = (1n << 128n) - 1n;

/**
 * Parses a strict dotted-quad IPv4 address (`10.0.0.1`; no octal, hex or short forms — the
 * WHATWG URL parser has already turned those into this canonical form for http(s) hosts).
 */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** Parses an IPv6 address (with `::` and a trailing dotted IPv4), without brackets or zone. */
export function parseIpv6(text: string): bigint | undefined {
  if (text.length === 0 || text.length > 45 || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const split = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const head: number[] = [];
  const tail: number[] = [];
  if (!pushWords(split(halves[0] as string), head, halves.length === 1)) return undefined;
  if (halves.length === 2) {
    if (!pushWords(split(halves[1] as string), tail, true)) return undefined;
    if (head.length + tail.length > 7) return undefined;
  } else if (head.length !== 8) {
    return undefined;
  }
  const words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  let value = 0n;
  for (const word of words) value = (value << 16n) | BigInt(word);
  return value;
}

/** Pushes the 16-bit words of `groups`; only the very last group may be a dotted IPv4. */
function pushWords(groups: readonly string[], into: number[], dottedLast: boolean): boolean {
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] as string;
    if (dottedLast && i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (v4 === undefined) return false;
      into.push(Math.floor(v4 / 65536), v4 % 65536);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
      into.push(parseInt(group, 16));
    } else {
      return false;
    }
  }
  return true;
}

/** Any IP literal (IPv4, IPv6, bracketed IPv6) as a 128-bit number; undefined for a name. */
export function parseIp(text: string): bigint | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIpv4(bare);
  if (v4 !== undefined) return V4_MAPPED | BigInt(v4);
  return bare.includes(':') ? parseIpv6(bare) : undefined;
}

/** Parses `10.0.0.0/8`, `fc00::/7`, or a single address (a /32 or /128). */
export function parseRange(text: string): AddressRange | undefined {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const isV4 = parseIpv4(addressText) !== undefined;
  const address = parseIp(addressText);
  if (address === undefined) return undefined;
  let prefix = 128;
  if (slash !== -1) {
    const bits = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bits)) return undefined;
    const n = Number(bits);
    if (n > (isV4 ? 32 : 128)) return undefined;
    prefix = isV4 ? 96 + n : n;
  }
  return { base: address & mask(prefix), prefix };
}

function mask(prefix: number): bigint {
  return prefix === 0 ? 0n : (ALL << BigInt(128 - prefix)) & ALL;
}

/** True when `address` lies in `range`. */
export function inRange(address: bigint, range: AddressRange): boolean {
  return (address & mask(range.prefix)) === range.base;
}

function v4Range(text: string): AddressRange {
  return parseRange(text) as AddressRange;
}

/** Cloud instance-metadata endpoints: refused whatever the allowlist says. */
const METADATA: readonly bigint[] = [
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean...
  '169.254.170.2', // AWS ECS task metadata
  '169.254.170.23', // AWS EKS pod identity
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud
  'fd00:ec2::254', // AWS over IPv6
  'fd00:ec2::23', // AWS EKS pod identity over IPv6
].map((text) => parseIp(text) as bigint);

const RANGES: readonly (readonly [AddressRange, AddressClass])[] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'private'], // carrier-grade NAT
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link_local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['224.0.0.0/4', 'reserved'], // multicast
  ['240.0.0.0/4', 'reserved'], // incl. broadcast
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link_local'],
  ['fec0::/10', 'private'], // site-local (deprecated)
  ['ff00::/8', 'reserved'],
  ['100::/64', 'reserved'],
  ['64:ff9b:1::/48', 'private'], // local-use NAT64
  ['2001:db8::/32', 'reserved'],
].map(([text, kind]) => [v4Range(text as string), kind as AddressClass] as const);

const MAPPED = v4Range('::ffff:0:0/96');
const COMPATIBLE = v4Range('::/96');
const NAT64 = v4Range('64:ff9b::/96');
const SIX_TO_FOUR = v4Range('2002::/16');

/**
 * The IPv4 address an IPv6 address carries (mapped, compatible, NAT64 or 6to4), as a mapped
 * address; the address itself otherwise. A resolver or a socket reaches that IPv4 address.
 */
export function embeddedIpv4(address: bigint): bigint {
  if (inRange(address, MAPPED)) return address;
  if (inRange(address, NAT64) || (inRange(address, COMPATIBLE) && address > 1n)) {
    return V4_MAPPED | (address & 0xffff_ffffn);
  }
  if (inRange(address, SIX_TO_FOUR)) return V4_MAPPED | ((address >> 80n) & 0xffff_ffffn);
  return address;
}

/** Classifies an address, looking through IPv6 forms that carry an IPv4 address. */
export function classifyAddress(address: bigint): AddressClass {
  const effective = embeddedIpv4(address);
  for (const candidate of effective === address ? [address] : [address, effective]) {
    if (METADATA.includes(candidate)) return 'metadata';
  }
  for (const candidate of effective === address ? [address] : [effective, address]) {
    for (const [range, kind] of RANGES) if (inRange(candidate, range)) return kind;
  }
  return 'public';
}

/** An address in its usual text form, for messages. */
export function formatAddress(address: bigint): string {
  if (inRange(address, MAPPED)) {
    const v4 = Number(address & 0xffff_ffffn);
    return [v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255].join('.');
  }
  const words: string[] = [];
  for (let i = 7; i >= 0; i--) words.push(((address >> BigInt(i * 16)) & 0xffffn).toString(16));
  return words.join(':');
}
