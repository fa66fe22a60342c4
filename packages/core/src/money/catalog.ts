/**
 * @module The pricing catalog: per-model prices, limits, capabilities, EU hosting, recommended and
 * deprecation flags; id resolution (dated, aliased, provider-prefixed), cost of a usage, a model
 * browser's filters and per-choice estimates, host overrides and refresh from the providers' lists.
 */
import { z } from 'zod';
import { isByokError } from '../errors/byok-error';
import { parseOrThrow } from '../errors/invalid-request';
import { redact } from '../redaction/redact';
import type { CallContext } from '../spec/adapter';
import { modelInfoSchema, type ModelInfo } from '../spec/model';
import { capabilitySchema } from '../taxonomy/capabilities';
import { CATALOG_SNAPSHOT, CATALOG_SNAPSHOT_DATE, PROVIDER_PREFIX_ALIASES } from './catalog-snapshot';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** One model in the catalog: the adapters' `ModelInfo` plus what a model browser and the ledger need. */
export const catalogEntrySchema = modelInfoSchema.extend({
  /** Other ids the provider accepts for this model (besides the undated form, which resolves by itself). */
  aliases: z.array(z.string().min(1).max(256)).default([]),
  /** Served from EU data centres by default. */
  euHosting: z.boolean().default(false),
  /** Suggested in a model browser. */
  recommended: z.boolean().default(false),
  /** The day the provider retires (or retired) the model, UTC. */
  deprecationDate: isoDate.optional(),
  /** The day the prices were taken. */
  pricesTakenAt: isoDate,
});
/** A catalog entry. */
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;
/** A catalog entry (input form: defaults may be omitted). */
export type CatalogEntryInput = z.input<typeof catalogEntrySchema>;

/** A host override: the entry's provider and id, and the fields to replace (pricing is merged field by field). */
export type CatalogOverride = Pick<CatalogEntryInput, 'id' | 'provider'> & Partial<Omit<CatalogEntryInput, 'id' | 'provider'>>;

/** What a call consumed, for pricing. `inputTokens` includes cached and cache-write tokens. */
export interface CostUsage {
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  /** Seconds of audio transcribed. */
  audioSeconds?: number;
  /** Characters synthesized. */
  characters?: number;
}

/** A cost estimate; `costUsd` is undefined (never 0) when a needed price is unknown. */
export interface CostEstimate {
  costUsd?: number;
  /** The entry that priced the call. */
  entry?: CatalogEntry;
  warnings: string[];
}

/** Filters of a model browser. Every field narrows; none is required. */
export const catalogFilterSchema = z.object({
  provider: z.union([z.string(), z.array(z.string())]).optional(),
  /** Capabilities the model must all have. */
  capabilities: z.array(capabilitySchema).optional(),
  euHosting: z.boolean().optional(),
  recommended: z.boolean().optional(),
  /** Highest input price, USD per million tokens (models without a token price are excluded). */
  maxInputPerMTok: z.number().nonnegative().optional(),
  maxOutputPerMTok: z.number().nonnegative().optional(),
  /** Smallest context window, tokens. */
  minContextWindow: z.number().int().nonnegative().optional(),
  /** Case-insensitive substring of the id, name or an alias. */
  search: z.string().max(256).optional(),
  /** Include deprecated models and those past their deprecation date. Default false. */
  includeDeprecated: z.boolean().optional(),
});
/** Model browser filters. */
export type CatalogFilter = z.infer<typeof catalogFilterSchema>;

/** One choice of {@link Catalog.estimateChoices}. */
export interface PromptEstimate {
  entry: CatalogEntry;
  /** USD for the prompt on this model; undefined when its price is unknown. */
  costUsd?: number;
}

/** Read access to the catalog; immutable (changes return a new catalog). */
export interface Catalog {
  /** Every entry, in order. */
  readonly entries: readonly CatalogEntry[];
  /**
   * The entry behind a model id: exact, alias, undated (`claude-sonnet-4-5`), dated
   * (`gpt-4.1-mini-2025-04-14`) or provider-prefixed (`openai/gpt-4o-mini`); the `provider`'s own
   * entries win. Undefined when unknown.
   */
  resolve(model: string, provider?: string): CatalogEntry | undefined;
  /** The cost of a usage on a model; unknown model or price → `costUsd` undefined plus a warning. */
  cost(model: string, provider: string | undefined, usage: CostUsage): CostEstimate;
  /** Entries matching a model browser's filters, recommended first, then by provider and id. */
  search(filter?: CatalogFilter): CatalogEntry[];
  /** The cost of one prompt under each matching model, cheapest first, unknown prices last. */
  estimateChoices(prompt: { inputTokens: number; outputTokens: number; cachedInputTokens?: number }, filter?: CatalogFilter): PromptEstimate[];
  /** A new catalog with `overrides` applied (an override of an unknown entry adds it). */
  withOverrides(overrides: readonly CatalogOverride[]): Catalog;
  /**
   * A new catalog with `models` (an adapter's table or `listModels` answer) merged in by provider
   * and id: their prices and limits win, the catalog's aliases, EU, recommended and dates stay.
   */
  merge(models: readonly ModelInfo[], pricesTakenAt: string): Catalog;
}

/** Options of {@link createCatalog}. */
export interface CatalogOptions {
  /** The base entries. Default: the shipped snapshot ({@link CATALOG_SNAPSHOT}). */
  entries?: readonly CatalogEntryInput[];
  /**
   * Known-model tables to merge over the base, e.g. `[openai().models, anthropic().models]`:
   * prices and limits from the adapters win over the snapshot's.
   */
  models?: readonly (readonly ModelInfo[])[];
  /** Host overrides, applied last. */
  overrides?: readonly CatalogOverride[];
  /** The clock for "deprecated by now" in searches. Default `Date.now`. */
  now?: () => number;
}

/**
 * Creates a catalog: the dated snapshot, merged with adapters' tables and host overrides.
 *
 * @example
 * const catalog = createCatalog({ overrides: [{ provider: 'openai', id: 'gpt-4o-mini', pricing: { inputPerMTok: 0.1, outputPerMTok: 0.5 } }] });
 * catalog.resolve('gpt-4.1-mini-2025-04-14')?.id;           // 'gpt-4.1-mini'
 * catalog.cost('claude-sonnet-4-5', 'anthropic', { inputTokens: 1000, outputTokens: 500 }).costUsd; // 0.0105
 */
export function createCatalog(options: CatalogOptions = {}): Catalog {
  const base = (options.entries ?? CATALOG_SNAPSHOT).map((entry, i) => parseOrThrow(catalogEntrySchema, entry, 'catalog entry', `entries.${i}`));
  let entries = base;
  for (const table of options.models ?? []) entries = upsert(entries, table.map((model) => fromModelInfo(model, CATALOG_SNAPSHOT_DATE)), true);
  if (options.overrides) entries = applyOverrides(entries, options.overrides);
  return buildCatalog(entries, options.now ?? Date.now);
}

/** A `ModelInfo` (an adapter's table or `listModels`) as a catalog entry taken on `pricesTakenAt`. */
export function fromModelInfo(model: ModelInfo, pricesTakenAt: string): CatalogEntry {
  return catalogEntrySchema.parse({ ...model, pricesTakenAt });
}

function keyOf(provider: string, id: string): string {
  return `${provider}\u0000${id.toLowerCase()}`;
}

/** Merges `incoming` into `entries` by provider + id; `keepExtras` keeps aliases, EU, recommended, dates the incoming lacks. */
function upsert(entries: readonly CatalogEntry[], incoming: readonly CatalogEntry[], keepExtras: boolean): CatalogEntry[] {
  const out = [...entries];
  const index = new Map(out.map((entry, i) => [keyOf(entry.provider, entry.id), i]));
  for (const entry of incoming) {
    const at = index.get(keyOf(entry.provider, entry.id));
    if (at === undefined) {
      index.set(keyOf(entry.provider, entry.id), out.length);
      out.push(entry);
      continue;
    }
    const old = out[at]!;
    out[at] = keepExtras
      ? {
          ...old,
          ...entry,
          pricing: entry.pricing ?? old.pricing,
          audioPricing: entry.audioPricing ?? old.audioPricing,
          aliases: old.aliases,
          euHosting: old.euHosting,
          recommended: old.recommended,
          deprecationDate: old.deprecationDate,
          deprecated: entry.deprecated ?? old.deprecated,
          contextWindow: entry.contextWindow ?? old.contextWindow,
          maxOutputTokens: entry.maxOutputTokens ?? old.maxOutputTokens,
          name: entry.name ?? old.name,
          pricesTakenAt: entry.pricing || entry.audioPricing ? entry.pricesTakenAt : old.pricesTakenAt,
        }
      : entry;
  }
  return out;
}

function applyOverrides(entries: readonly CatalogEntry[], overrides: readonly CatalogOverride[]): CatalogEntry[] {
  const out = [...entries];
  const index = new Map(out.map((entry, i) => [keyOf(entry.provider, entry.id), i]));
  overrides.forEach((override, i) => {
    const at = index.get(keyOf(override.provider, override.id));
    const old = at === undefined ? undefined : out[at];
    const merged = {
      ...old,
      ...override,
      pricing: override.pricing ? { ...old?.pricing, ...override.pricing } : old?.pricing,
      audioPricing: override.audioPricing ? { ...old?.audioPricing, ...override.audioPricing } : old?.audioPricing,
      capabilities: override.capabilities ?? old?.capabilities ?? {},
      pricesTakenAt: override.pricesTakenAt ?? old?.pricesTakenAt ?? CATALOG_SNAPSHOT_DATE,
    };
    const entry = parseOrThrow(catalogEntrySchema, merged, 'catalog override', `overrides.${i}`);
    if (at === undefined) {
      index.set(keyOf(entry.provider, entry.id), out.length);
      out.push(entry);
    } else out[at] = entry;
  });
  return out;
}

const MAX_ID = 256;

function isDigits(s: string, from: number, to: number): boolean {
  if (from < 0 || to > s.length || from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Drops one version suffix: `-latest`, `@anything` (Vertex), `-YYYY-MM-DD`, or `-` and 3, 4, 6 or 8
 * digits (`-20250929`, `-2411`, `-001`). Character checks only: linear, nothing to backtrack.
 */
export function stripModelVersion(id: string): string | undefined {
  const at = id.indexOf('@');
  if (at > 0) return id.slice(0, at);
  if (id.endsWith('-latest')) return id.slice(0, -7);
  const n = id.length;
  if (n > 11 && id[n - 11] === '-' && isDigits(id, n - 10, n - 6) && id[n - 6] === '-' && isDigits(id, n - 5, n - 3) && id[n - 3] === '-' && isDigits(id, n - 2, n)) {
    return id.slice(0, n - 11);
  }
  const dash = id.lastIndexOf('-');
  if (dash > 0) {
    const digits = n - dash - 1;
    if ((digits === 3 || digits === 4 || digits === 6 || digits === 8) && isDigits(id, dash + 1, n)) return id.slice(0, dash);
  }
  return undefined;
}

/** Every stripped form of an id, shortest last (at most two suffixes: `-2024-08-06` then `-latest` etc.). */
function undatedForms(id: string): string[] {
  const forms: string[] = [];
  let current: string | undefined = id;
  for (let i = 0; i < 2; i++) {
    current = stripModelVersion(current);
    if (current === undefined || current.length === 0) break;
    forms.push(current);
  }
  return forms;
}

interface Index {
  exact: Map<string, CatalogEntry>;
  undated: Map<string, CatalogEntry>;
}

function newIndex(): Index {
  return { exact: new Map(), undated: new Map() };
}

function addToIndex(index: Index, entry: CatalogEntry): void {
  const id = entry.id.toLowerCase();
  if (!index.exact.has(id)) index.exact.set(id, entry);
  for (const alias of entry.aliases) if (!index.exact.has(alias.toLowerCase())) index.exact.set(alias.toLowerCase(), entry);
  for (const form of [...undatedForms(id), dotless(id)]) if (!index.undated.has(form)) index.undated.set(form, entry);
}

function dotless(id: string): string {
  return id.split('.').join('-');
}

function lookup(index: Index | undefined, id: string): CatalogEntry | undefined {
  if (!index) return undefined;
  const exact = index.exact.get(id);
  if (exact) return exact;
  for (const form of [id, ...undatedForms(id)]) {
    const hit = index.exact.get(form) ?? index.undated.get(form) ?? index.undated.get(dotless(form));
    if (hit) return hit;
  }
  return undefined;
}

function buildCatalog(entries: readonly CatalogEntry[], now: () => number): Catalog {
  const frozen = Object.freeze(entries.map((entry) => Object.freeze(entry)));
  const global = newIndex();
  const byProvider = new Map<string, Index>();
  for (const entry of frozen) {
    addToIndex(global, entry);
    let index = byProvider.get(entry.provider);
    if (!index) byProvider.set(entry.provider, (index = newIndex()));
    addToIndex(index, entry);
  }

  function resolve(model: string, provider?: string): CatalogEntry | undefined {
    if (typeof model !== 'string') return undefined;
    const id = model.trim().toLowerCase();
    if (id.length === 0 || id.length > MAX_ID) return undefined;
    const own = provider === undefined ? undefined : byProvider.get(provider);
    const direct = own ? lookup(own, id) : global.exact.get(id);
    if (direct) return direct;
    const slash = id.indexOf('/');
    if (slash > 0) {
      const prefix = id.slice(0, slash);
      const rest = id.slice(slash + 1);
      const prefixed = lookup(byProvider.get(PROVIDER_PREFIX_ALIASES[prefix] ?? prefix), rest);
      if (prefixed) return prefixed;
    }
    return lookup(global, id);
  }

  function cost(model: string, provider: string | undefined, usage: CostUsage): CostEstimate {
    const entry = resolve(model, provider);
    if (!entry) {
      return { warnings: [`No price for model "${model.slice(0, MAX_ID)}"${provider ? ` (${provider})` : ''} in the catalog: cost unknown.`] };
    }
    const priced = costOf(entry, usage);
    return priced === undefined
      ? { entry, warnings: [`The catalog has no price for part of the usage of "${entry.id}": cost unknown.`] }
      : { entry, costUsd: priced, warnings: [] };
  }

  function isRetired(entry: CatalogEntry, today: string): boolean {
    return entry.deprecated === true || (entry.deprecationDate !== undefined && entry.deprecationDate <= today);
  }

  function search(filterInput: CatalogFilter = {}): CatalogEntry[] {
    const filter = parseOrThrow(catalogFilterSchema, filterInput, 'catalog filter');
    const providers = filter.provider === undefined ? undefined : new Set(Array.isArray(filter.provider) ? filter.provider : [filter.provider]);
    const text = filter.search?.trim().toLowerCase();
    const today = new Date(now()).toISOString().slice(0, 10);
    const hits = frozen.filter((entry) => {
      if (providers && !providers.has(entry.provider)) return false;
      if (filter.capabilities && !filter.capabilities.every((c) => entry.capabilities[c] === true)) return false;
      if (filter.euHosting !== undefined && entry.euHosting !== filter.euHosting) return false;
      if (filter.recommended !== undefined && entry.recommended !== filter.recommended) return false;
      if (filter.maxInputPerMTok !== undefined && !(entry.pricing && entry.pricing.inputPerMTok <= filter.maxInputPerMTok)) return false;
      if (filter.maxOutputPerMTok !== undefined && !(entry.pricing && entry.pricing.outputPerMTok <= filter.maxOutputPerMTok)) return false;
      if (filter.minContextWindow !== undefined && !((entry.contextWindow ?? 0) >= filter.minContextWindow)) return false;
      if (!filter.includeDeprecated && isRetired(entry, today)) return false;
      if (text) {
        const hay = [entry.id, entry.name ?? '', ...entry.aliases].map((s) => s.toLowerCase());
        if (!hay.some((s) => s.includes(text))) return false;
      }
      return true;
    });
    return hits.sort(
      (a, b) => Number(b.recommended) - Number(a.recommended) || a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id),
    );
  }

  function estimateChoices(
    prompt: { inputTokens: number; outputTokens: number; cachedInputTokens?: number },
    filter?: CatalogFilter,
  ): PromptEstimate[] {
    const out: PromptEstimate[] = search(filter).map((entry) => {
      const costUsd = costOf(entry, prompt);
      return costUsd === undefined ? { entry } : { entry, costUsd };
    });
    return out.sort((a, b) => (a.costUsd ?? Infinity) - (b.costUsd ?? Infinity));
  }

  return {
    entries: frozen,
    resolve,
    cost,
    search,
    estimateChoices,
    withOverrides: (overrides) => buildCatalog(applyOverrides(frozen, overrides), now),
    merge: (models, pricesTakenAt) => buildCatalog(upsert(frozen, models.map((model) => fromModelInfo(model, pricesTakenAt)), true), now),
  };
}

/** USD for `usage` on `entry`; undefined when a part of the usage has no price. */
export function costOf(entry: CatalogEntry, usage: CostUsage): number | undefined {
  let total = 0;
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  if (input > 0 || output > 0) {
    const p = entry.pricing;
    if (!p) return undefined;
    const cached = Math.min(usage.cachedInputTokens ?? 0, input);
    const written = Math.min(usage.cacheWriteTokens ?? 0, input - cached);
    const fresh = input - cached - written;
    total +=
      (fresh * p.inputPerMTok +
        cached * (p.cachedInputPerMTok ?? p.inputPerMTok) +
        written * (p.cacheWritePerMTok ?? p.inputPerMTok) +
        output * p.outputPerMTok) /
      1e6;
  }
  if ((usage.audioSeconds ?? 0) > 0) {
    const perMinute = entry.audioPricing?.perMinute;
    if (perMinute === undefined) return undefined;
    total += ((usage.audioSeconds ?? 0) / 60) * perMinute;
  }
  if ((usage.characters ?? 0) > 0) {
    const perM = entry.audioPricing?.perMCharacters;
    if (perM === undefined) return undefined;
    total += ((usage.characters ?? 0) / 1e6) * perM;
  }
  return total;
}

/** USD per thousand characters of speech for an entry, when it has a character price. */
export function speechPricePer1kChars(entry: CatalogEntry): number | undefined {
  const perM = entry.audioPricing?.perMCharacters;
  return perM === undefined ? undefined : perM / 1000;
}

/** Rough prompt tokens for a text (4 characters a token), for estimates before a call. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Where `refreshCatalog` reads a provider's live list: an adapter (its `listModels`) and a call context. */
export interface CatalogSource {
  adapter: { readonly id: string; listModels(call: CallContext): Promise<ModelInfo[]> };
  call: CallContext;
}

/** What a refresh changed. */
export interface CatalogRefreshReport {
  catalog: Catalog;
  /** `provider/id` of entries that were new. */
  added: string[];
  /** `provider/id` of entries whose price or limits were updated. */
  updated: string[];
  /** Sources that failed (redacted messages); the rest still applied. */
  failures: { provider: string; reason: string; message: string }[];
}

/**
 * Refreshes prices and limits from the providers' live lists (OpenRouter's list carries prices
 * for hundreds of models), through the adapters' `listModels`. A failing source is reported and
 * skipped; listed models without a price keep the catalog's price.
 *
 * @example
 * const { catalog: fresh, updated } = await refreshCatalog(catalog, [
 *   { adapter: openrouter(), call: { credential: { type: 'api_key', apiKey } } },
 * ], { now: Date.now() });
 */
export async function refreshCatalog(catalog: Catalog, sources: readonly CatalogSource[], options: { now: number }): Promise<CatalogRefreshReport> {
  const today = new Date(options.now).toISOString().slice(0, 10);
  const results = await Promise.allSettled(sources.map((source) => source.adapter.listModels(source.call)));
  const failures: CatalogRefreshReport['failures'] = [];
  const incoming: ModelInfo[] = [];
  results.forEach((result, i) => {
    const provider = sources[i]!.adapter.id;
    if (result.status === 'rejected') {
      const error: unknown = result.reason;
      const secret = sources[i]!.call.credential;
      const secrets = secret.type === 'api_key' ? [secret.apiKey] : secret.type === 'oauth_token' ? [secret.token] : [];
      failures.push({
        provider,
        reason: isByokError(error) ? error.reason : 'unclassified',
        message: redact(error instanceof Error ? error.message : String(error), secrets),
      });
      return;
    }
    for (const model of result.value) {
      const parsed = modelInfoSchema.safeParse(model);
      if (parsed.success) incoming.push(parsed.data);
    }
  });
  const before = new Map(catalog.entries.map((entry) => [keyOf(entry.provider, entry.id), entry]));
  const added: string[] = [];
  const updated: string[] = [];
  for (const entry of incoming) {
    const old = before.get(keyOf(entry.provider, entry.id));
    if (!old) added.push(`${entry.provider}/${entry.id}`);
    else if (
      JSON.stringify(old.pricing) !== JSON.stringify(entry.pricing ?? old.pricing) ||
      (entry.contextWindow ?? old.contextWindow) !== old.contextWindow ||
      (entry.maxOutputTokens ?? old.maxOutputTokens) !== old.maxOutputTokens
    ) {
      updated.push(`${entry.provider}/${entry.id}`);
    }
  }
  return { catalog: catalog.merge(incoming, today), added, updated, failures };
}
