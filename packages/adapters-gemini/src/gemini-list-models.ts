/** @module `GET /models`, every page, as {@link ModelInfo}. */
import { HttpCall, joinUrl, type CallContext, type ModelInfo } from '@byok/core';
import { geminiModelsPageSchema, type GeminiModel } from './gemini-api';
import { classifyGeminiError, GEMINI_STATUS_REASONS } from './gemini-error';
import { GEMINI_MODELS } from './gemini-models';
import type { GeminiEndpoint } from './gemini-generate';
import { geminiHeaders, geminiModelId } from './gemini-url';

/** Pages are 1000 models at most; a runaway `nextPageToken` loop stops here. */
const MAX_PAGES = 20;

/** Lists the models the credential can use. */
export async function listGeminiModels(endpoint: GeminiEndpoint, call: CallContext): Promise<ModelInfo[]> {
  const http = new HttpCall({ provider: 'gemini', call, classifyError: classifyGeminiError, statusReasons: GEMINI_STATUS_REASONS });
  const headers = geminiHeaders(endpoint.headers, call);
  const models: ModelInfo[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ pageSize: '1000' });
    if (pageToken) query.set('pageToken', pageToken);
    const response = await http.json('GET', `${joinUrl(call.baseUrl ?? endpoint.baseUrl, 'models')}?${query}`, undefined, headers);
    const parsed = geminiModelsPageSchema.safeParse(response.value);
    if (!parsed.success) {
      throw http.error('server_error', 'gemini returned a models page that does not look like ListModelsResponse', {
        providerCode: 'malformed_response',
      });
    }
    for (const model of parsed.data.models ?? []) models.push(toModelInfo(model));
    pageToken = parsed.data.nextPageToken;
    if (!pageToken) break;
  }
  return models;
}

/** A listed model as {@link ModelInfo}, completed from {@link GEMINI_MODELS} when known. */
export function toModelInfo(model: GeminiModel): ModelInfo {
  const id = geminiModelId(model.name);
  const known = GEMINI_MODELS.find((entry) => entry.id === id);
  const methods = new Set(model.supportedGenerationMethods ?? []);
  const generates = methods.has('generateContent');
  const embeds = methods.has('embedContent') || methods.has('batchEmbedContents');
  // Listing says nothing of modalities; every Gemini chat model is multimodal, other families (Gemma...) are text.
  const multimodal = generates && id.startsWith('gemini');
  const info: ModelInfo = {
    id,
    provider: 'gemini',
    capabilities: {
      ...known?.capabilities,
      text: generates,
      vision: known?.capabilities.vision ?? multimodal,
      audio_in: known?.capabilities.audio_in ?? multimodal,
      tools: known?.capabilities.tools ?? multimodal,
      json: known?.capabilities.json ?? generates,
      embeddings: embeds,
      reasoning: model.thinking === true || known?.capabilities.reasoning === true,
    },
  };
  if (model.displayName) info.name = model.displayName;
  if (positive(model.inputTokenLimit)) info.contextWindow = model.inputTokenLimit;
  if (generates && positive(model.outputTokenLimit)) info.maxOutputTokens = model.outputTokenLimit;
  if (known?.inputModalities) info.inputModalities = known.inputModalities;
  else info.inputModalities = multimodal ? ['text', 'image', 'audio', 'video', 'file'] : ['text'];
  if (known?.outputModalities) info.outputModalities = known.outputModalities;
  else info.outputModalities = embeds && !generates ? ['embedding'] : ['text'];
  if (known?.pricing) info.pricing = known.pricing;
  if (known?.deprecated) info.deprecated = true;
  return info;
}

function positive(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
