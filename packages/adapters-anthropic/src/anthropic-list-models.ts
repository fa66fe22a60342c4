/** @module `GET /v1/models`, every page, → ModelInfo merged with the known-models table. */
import { joinUrl, type HttpCall, type ModelInfo } from '@byok/core';
import { anthropicModelsPageSchema, type AnthropicModelsPage } from './anthropic-api';
import { ANTHROPIC_CAPABILITIES, findAnthropicModel } from './anthropic-models';

/** Pages fetched at most; the API lists a few dozen models, so more means a loop. */
const MAX_PAGES = 20;
const PAGE_SIZE = 1000;

/**
 * Lists the models the credential can use, following `has_more` / `after_id`. Known
 * models keep their table entry (limits, prices); unknown ones get the API's own limits
 * and the provider's capabilities.
 */
export async function listAnthropicModels(
  newCall: () => HttpCall,
  baseUrl: string,
  headers: Record<string, string>,
  pageSize = PAGE_SIZE,
): Promise<ModelInfo[]> {
  const out: ModelInfo[] = [];
  let afterId: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const http = newCall();
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (afterId !== undefined) query.set('after_id', afterId);
    const { value } = await http.json<unknown>('GET', `${joinUrl(baseUrl, 'models')}?${query}`, undefined, headers);
    const parsed = anthropicModelsPageSchema.safeParse(value);
    if (!parsed.success) {
      throw http.error('server_error', 'anthropic returned a models list of an unexpected shape', { providerCode: 'malformed_response' });
    }
    // A loop, not a spread: a hostile page of a few hundred thousand models would overflow the stack.
    for (const model of parsed.data.data) out.push(toModelInfo(model));
    const next = nextCursor(parsed.data);
    if (next === undefined || next === afterId) break;
    afterId = next;
  }
  return out;
}

function nextCursor(page: AnthropicModelsPage): string | undefined {
  if (page.has_more !== true) return undefined;
  return page.last_id ?? page.data[page.data.length - 1]?.id;
}

function toModelInfo(model: AnthropicModelsPage['data'][number]): ModelInfo {
  const known = findAnthropicModel(model.id);
  const info: ModelInfo = known
    ? { ...known, id: model.id, capabilities: { ...known.capabilities } }
    : { id: model.id, provider: 'anthropic', capabilities: { ...ANTHROPIC_CAPABILITIES }, inputModalities: ['text', 'image', 'file'], outputModalities: ['text'] };
  if (model.display_name) info.name = model.display_name;
  if (typeof model.max_input_tokens === 'number' && model.max_input_tokens > 0) info.contextWindow = model.max_input_tokens;
  if (typeof model.max_tokens === 'number' && model.max_tokens > 0) info.maxOutputTokens = model.max_tokens;
  return info;
}
