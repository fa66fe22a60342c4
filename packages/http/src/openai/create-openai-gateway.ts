/**
 * @module `createOpenAIGateway`: an OpenAI-compatible endpoint (`/v1/chat/completions` with
 * streaming, `/v1/models`, `/v1/embeddings`) in front of the runtime. The bearer token is one the
 * host issued to a tenant; its hook turns it into the tenant, so any OpenAI-speaking client routes
 * through that tenant's own connections, fallbacks and limits.
 */
import { createCatalog, type Byok, type Catalog } from '@byok/core';
import { z } from 'zod';
import { readJsonBody } from '../read-body';
import { openParts } from '../stream/open-stream';
import { startKeepAlive, systemTimers, type KeepAliveTimers } from '../stream/keep-alive';
import { ChunkWriter, chatCompletion } from './chat-completion-response';
import { toByokRequest, ROUTED_MODEL_NAMES } from './convert-request';
import { openaiError, openaiErrorResponse } from './openai-error';
import { chatCompletionRequestSchema, embeddingsRequestSchema } from './openai-schemas';

/** Who a gateway token belongs to. */
export const gatewayPrincipalSchema = z.object({
  tenantId: z.string().min(1).max(128),
  userId: z.string().min(1).max(128).optional(),
  agentId: z.string().min(1).max(128).optional(),
});
/** The tenant (and optionally user and agent) behind a gateway token. */
export type GatewayPrincipal = z.infer<typeof gatewayPrincipalSchema>;

/** Options of {@link createOpenAIGateway}. */
export interface OpenAIGatewayOptions {
  byok: Byok;
  /** Resolves a bearer token the host issued to the tenant behind it; `null` refuses it (401). */
  authenticate: (token: string, request: Request) => GatewayPrincipal | null | undefined | Promise<GatewayPrincipal | null | undefined>;
  /** Where `/v1` is mounted, e.g. `/openai/v1`. Default `/v1`. */
  basePath?: string;
  /** The catalog behind `/v1/models`. Default `createCatalog()`. */
  catalog?: Catalog;
  keepAliveMs?: number;
  timers?: KeepAliveTimers;
  /** Epoch ms (for `created`). Default `Date.now`. */
  now?: () => number;
}

function validationError(error: z.ZodError): Response {
  const issue = error.issues[0];
  const param = issue ? issue.path.map(String).join('.') : null;
  return openaiError(400, `Invalid request: ${param ? `${param}: ` : ''}${issue?.message ?? 'invalid body'}`, 'invalid_request_error', null, param || null);
}

/**
 * Creates the gateway handler.
 *
 * @example
 * const gateway = createOpenAIGateway({ byok, authenticate: (token) => tenantTokens.get(token) ?? null });
 * app.all('/v1/*', (c) => gateway(c.req.raw));
 * // any OpenAI client: new OpenAI({ baseURL: 'https://your.app/v1', apiKey: tenantToken })
 */
export function createOpenAIGateway(options: OpenAIGatewayOptions): (request: Request) => Promise<Response> {
  const basePath = (options.basePath ?? '/v1').replace(/\/+$/, '');
  const catalog = options.catalog ?? createCatalog();
  const now = options.now ?? Date.now;

  async function principalOf(request: Request): Promise<GatewayPrincipal | Response> {
    const header = request.headers.get('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const refused = () => openaiError(401, 'Invalid or missing gateway token: pass the token your platform issued as the API key', 'invalid_request_error', 'invalid_api_key');
    if (!token) return refused();
    const principal = await Promise.resolve()
      .then(() => options.authenticate(token, request))
      .catch(() => 'failed' as const);
    if (principal === 'failed') return openaiError(500, 'The gateway authenticate hook failed', 'server_error');
    if (!principal) return refused();
    const parsed = gatewayPrincipalSchema.safeParse(principal);
    if (!parsed.success) return openaiError(500, 'The gateway authenticate hook returned an invalid principal', 'server_error');
    return parsed.data;
  }

  async function chat(request: Request, principal: GatewayPrincipal): Promise<Response> {
    const read = await readJsonBody(request, 4 * 1_048_576);
    if (!read.ok) return openaiError(read.problem.status, read.problem.detail, 'invalid_request_error');
    const parsed = chatCompletionRequestSchema.safeParse(read.value);
    if (!parsed.success) return validationError(parsed.error);
    const body = parsed.data;
    const abortController = new AbortController();
    const runtime = { ...toByokRequest(body), tenantId: principal.tenantId, abortSignal: abortController.signal };
    if (principal.userId) runtime.userId = principal.userId;
    const agent = request.headers.get('x-byok-agent') ?? principal.agentId;
    if (agent) runtime.agentId = agent;
    const created = Math.floor(now() / 1000);
    if (!body.stream) {
      try {
        const result = await options.byok.generate(runtime);
        return new Response(JSON.stringify(chatCompletion(result, created)), { headers: { 'content-type': 'application/json', ...routeHeaders(result) } });
      } catch (error) {
        return openaiErrorResponse(error);
      }
    }
    const onAbort = () => abortController.abort();
    request.signal.addEventListener('abort', onAbort, { once: true });
    const opened = await openParts(options.byok.stream(runtime));
    if (!opened.ok) {
      request.signal.removeEventListener('abort', onAbort);
      return openaiErrorResponse(opened.error);
    }
    const { head, iterator } = opened;
    const model = body.model && !ROUTED_MODEL_NAMES.has(body.model) ? body.model : 'byok';
    const writer = new ChunkWriter(`chatcmpl-${crypto.randomUUID()}`, model, created, body.stream_options?.include_usage === true);
    const encoder = new TextEncoder();
    let done = false;
    let stop = () => undefined as void;
    const end = () => {
      done = true;
      stop();
      request.signal.removeEventListener('abort', onAbort);
    };
    const stream = new ReadableStream<Uint8Array>({
      start(sink) {
        stop = startKeepAlive(options.timers ?? systemTimers, options.keepAliveMs ?? 15_000, () => !done && sink.enqueue(encoder.encode(': keep-alive\n\n')));
        for (const part of head) for (const line of writer.push(part)) sink.enqueue(encoder.encode(line));
      },
      async pull(sink) {
        for (;;) {
          const step = await iterator.next();
          if (done) return;
          if (step.done) {
            sink.enqueue(encoder.encode('data: [DONE]\n\n'));
            end();
            sink.close();
            return;
          }
          const lines = writer.push(step.value);
          for (const line of lines) sink.enqueue(encoder.encode(line));
          if (lines.length) return;
        }
      },
      async cancel() {
        end();
        abortController.abort();
        await iterator.return?.().catch(() => undefined);
      },
    });
    return new Response(stream, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' } });
  }

  async function models(principal: GatewayPrincipal): Promise<Response> {
    const providers = new Set((await options.byok.connections.list(principal.tenantId)).filter((c) => c.state === 'active' || c.state === 'cooling').map((c) => c.provider));
    const data = catalog
      .search({ provider: [...providers] })
      .filter((m) => providers.has(m.provider))
      .map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: m.provider }));
    return Response.json({ object: 'list', data: [{ id: 'byok', object: 'model', created: 0, owned_by: 'byok' }, ...data] });
  }

  async function embeddings(request: Request, principal: GatewayPrincipal): Promise<Response> {
    const read = await readJsonBody(request, 4 * 1_048_576);
    if (!read.ok) return openaiError(read.problem.status, read.problem.detail, 'invalid_request_error');
    const parsed = embeddingsRequestSchema.safeParse(read.value);
    if (!parsed.success) return validationError(parsed.error);
    const body = parsed.data;
    try {
      const runtime: Parameters<Byok['embed']>[0] = { tenantId: principal.tenantId, input: body.input, abortSignal: request.signal };
      if (!ROUTED_MODEL_NAMES.has(body.model)) runtime.model = body.model;
      if (principal.userId) runtime.userId = principal.userId;
      const result = await options.byok.embed(runtime);
      const data = result.embeddings.map((vector, index) => ({
        object: 'embedding',
        index,
        embedding: body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
      }));
      return Response.json(
        { object: 'list', data, model: result.routedModel, usage: { prompt_tokens: result.usage.inputTokens, total_tokens: result.usage.inputTokens } },
        { headers: routeHeaders(result) },
      );
    } catch (error) {
      return openaiErrorResponse(error);
    }
  }

  return async (request) => {
    const path = new URL(request.url).pathname;
    if (!path.startsWith(`${basePath}/`)) return openaiError(404, `Unknown path ${path}`, 'invalid_request_error', 'unknown_url');
    const route = path.slice(basePath.length);
    const known: Record<string, string> = { '/chat/completions': 'POST', '/embeddings': 'POST', '/models': 'GET' };
    const method = known[route];
    if (!method) return openaiError(404, `Unknown path ${path}`, 'invalid_request_error', 'unknown_url');
    if (request.method !== method) return openaiError(405, `Use ${method} for ${route}`, 'invalid_request_error', 'method_not_allowed');
    const principal = await principalOf(request);
    if (principal instanceof Response) return principal;
    if (route === '/models') return models(principal);
    if (route === '/embeddings') return embeddings(request, principal);
    return chat(request, principal);
  };
}

function routeHeaders(result: { requestId: string; provider: string; routedModel: string; billingSource: string; connectionId?: string }): Record<string, string> {
  const headers: Record<string, string> = {
    'x-request-id': result.requestId,
    'x-byok-provider': result.provider,
    'x-byok-model': result.routedModel,
    'x-byok-billing-source': result.billingSource,
  };
  if (result.connectionId) headers['x-byok-connection'] = result.connectionId;
  return headers;
}
