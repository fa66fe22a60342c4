/**
 * @module Azure OpenAI's protocol: the dated deployments API
 * (`/openai/deployments/{deployment}/chat/completions?api-version=…`, 404 without the
 * `api-version` query) and the v1 API (`/openai/v1/chat/completions`), the `api-key` header
 * (or an Entra ID bearer token), streams that open with the prompt-filter chunk and carry
 * `content_filter_results` in every choice, keys in alphabetical order as Azure serializes
 * them, and Azure's own error bodies (string codes, `DeploymentNotFound`, content-filter
 * 400s with `innererror`).
 */
import type { MockProtocol, MockReply, MockRequest, RenderContext } from '../protocol';
import { bearerKey, retryHeaders, sseFrame } from '../protocol';
import type { MockError } from '../scenario';
import { chatCompletionsProtocol, type ErrorDefaults } from './chat-completions';

const SAFE = { filtered: false, severity: 'safe' };
const CONTENT_FILTER = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
const PROMPT_FILTER = { ...CONTENT_FILTER, jailbreak: { detected: false, filtered: false } };

/** Recursively orders object keys alphabetically, as Azure's serializer does. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

function withoutServiceTier(body: Record<string, unknown>): Record<string, unknown> {
  const { service_tier: _tier, ...rest } = body;
  return rest;
}

/** `/deployments/{d}/chat/completions` and `/v1/chat/completions` → `/chat/completions`. */
function normalizePath(path: string): string {
  const deployment = /^\/deployments\/[^/]+(\/(?:chat\/completions|embeddings))$/.exec(path);
  if (deployment?.[1]) return deployment[1];
  if (path.startsWith('/v1/')) return path.slice(3);
  return path;
}

function azureError(status: number, code: string, message: string, headers: Record<string, string>): MockReply {
  return { kind: 'json', status, headers, body: { error: { code, message } } };
}

function renderAzureError(error: MockError, context: RenderContext, defaults: ErrorDefaults): MockReply {
  const headers: Record<string, string> = { 'apim-request-id': context.requestId, 'x-request-id': context.requestId, ...retryHeaders(error) };
  const status = error.status ?? defaults.status;
  switch (error.kind) {
    case 'auth':
      return azureError(
        status,
        '401',
        error.message ??
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
        headers,
      );
    case 'forbidden':
      // [unconfirmed] Entra ID principal without the Cognitive Services role.
      return azureError(status, 'PermissionDenied', error.message ?? 'Principal does not have access to API/Operation.', headers);
    case 'model_not_found':
      return azureError(
        status,
        'DeploymentNotFound',
        error.message ??
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
        headers,
      );
    case 'rate_limit': {
      const seconds = error.retryAfterSeconds ?? 6;
      if (error.retryAfterSeconds === undefined && error.retryAfterMs === undefined && error.retryAfterDateSeconds === undefined) {
        headers['retry-after'] = String(seconds);
        headers['retry-after-ms'] = String(seconds * 1000);
      }
      headers['x-ratelimit-remaining-requests'] = '0';
      headers['x-ratelimit-remaining-tokens'] = '0';
      return azureError(
        status,
        '429',
        error.message ??
          `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${apiVersionOf(context.request)} have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after ${seconds} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
        headers,
      );
    }
    case 'content_filter':
      return {
        kind: 'json',
        status,
        headers,
        body: {
          error: {
            message:
              error.message ??
              "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
            type: null,
            param: 'prompt',
            code: 'content_filter',
            status: 400,
            innererror: {
              code: 'ResponsibleAIPolicyViolation',
              content_filter_result: { ...PROMPT_FILTER, violence: { filtered: true, severity: 'medium' } },
            },
          },
        },
      };
    default:
      // Errors from the model backend (context length, bad parameters, 5xx) keep OpenAI's shape.
      return {
        kind: 'json',
        status,
        headers,
        body: { error: { message: error.message ?? defaults.message, type: defaults.type, param: defaults.param, code: defaults.code } },
      };
  }
}

/** Azure reports the deployment's underlying model snapshot, not the deployment name. */
function underlyingModel(context: RenderContext): string {
  return context.scenario.model ?? 'gpt-4.1-mini-2025-04-14';
}

function apiVersionOf(request: MockRequest): string {
  return request.url.searchParams.get('api-version') ?? 'v1';
}

/** The Azure OpenAI mock protocol. */
export function azureOpenaiProtocol(): MockProtocol {
  return chatCompletionsProtocol({
    id: 'azure_openai',
    baseUrl: 'https://mock-resource.openai.azure.com/openai',
    defaultModel: 'gpt-4.1-mini-2025-04-14',
    models: ['gpt-4.1-mini', 'gpt-4o', 'text-embedding-3-small'],
    extractKey: (request) => request.headers.get('api-key') ?? bearerKey(request),
    normalizePath,
    extraRoutes: ({ request, requestId }) => {
      // The dated API answers 404 without its api-version query.
      const dated = request.path.startsWith('/deployments/') || request.path === '/models';
      if (dated && !request.url.searchParams.has('api-version')) {
        return azureError(404, '404', 'Resource not found', { 'apim-request-id': requestId });
      }
      return undefined;
    },
    leadingFrames: () => [
      sseFrame(
        sortKeys({
          choices: [],
          created: 0,
          id: '',
          model: '',
          object: '',
          prompt_filter_results: [{ prompt_index: 0, content_filter_results: PROMPT_FILTER }],
        }),
      ),
    ],
    transformChunk: (chunk, context) => {
      const choices = Array.isArray(chunk.choices)
        ? chunk.choices.map((choice: Record<string, unknown>) => {
            const delta = choice.delta as { content?: unknown } | undefined;
            const filtered = typeof delta?.content === 'string' && delta.content !== '';
            return { ...choice, content_filter_results: filtered ? CONTENT_FILTER : {} };
          })
        : chunk.choices;
      const model = chunk.model === '' ? '' : underlyingModel(context);
      return sortKeys({ ...withoutServiceTier(chunk), model, choices }) as Record<string, unknown>;
    },
    transformCompletion: (body, context) => {
      const choices = Array.isArray(body.choices)
        ? body.choices.map((choice: Record<string, unknown>) => ({ ...choice, content_filter_results: CONTENT_FILTER }))
        : body.choices;
      return sortKeys({
        ...withoutServiceTier(body),
        model: underlyingModel(context),
        choices,
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: PROMPT_FILTER }],
      }) as Record<string, unknown>;
    },
    renderError: renderAzureError,
  });
}
