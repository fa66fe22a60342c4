/**
 * @module `createChatHandler`: the chat endpoint `useChat` talks to. Authenticates, validates the
 * UI messages, routes them through the tenant's connections and streams the reply as the AI SDK's
 * UI message stream (or plain SSE), aborting the provider call when the browser goes away.
 */
import type { Byok, ByokGenerateRequest } from '@byok/core';
import { principalSchema, type Authenticate, type Principal } from './auth';
import { problem, problemResponse, validationProblem } from './problem';
import { readJsonBody } from './read-body';
import { chatBodySchema, fromUIMessages, type ChatBody } from './stream/from-ui-messages';
import type { KeepAliveTimers } from './stream/keep-alive';
import { sseResponse, uiMessageStreamResponse } from './stream/stream-response';

/** Options of {@link createChatHandler}. */
export interface ChatHandlerOptions {
  byok: Byok;
  authenticate: Authenticate;
  /** Extra request fields (system prompt, tools, model, limits...) from the body and the caller. */
  request?: (body: ChatBody, principal: Principal) => Partial<ByokGenerateRequest> | Promise<Partial<ByokGenerateRequest>>;
  /** `ui` (default): the AI SDK UI message stream; `sse`: one event per runtime part. */
  format?: 'ui' | 'sse';
  keepAliveMs?: number;
  timers?: KeepAliveTimers;
  /** Largest body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
}

/**
 * Creates the chat handler.
 *
 * @example
 * const chat = createChatHandler({ byok, authenticate, request: () => ({ system: undefined, maxTokens: 1024 }) });
 * app.post('/api/chat', (c) => chat(c.req.raw));
 */
export function createChatHandler(options: ChatHandlerOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'POST') return problemResponse(problem(405, 'method_not_allowed', 'POST the chat messages'), { allow: 'POST' });
    const raw = await Promise.resolve()
      .then(() => options.authenticate(request))
      .catch(() => 'failed' as const);
    if (raw === 'failed') return problemResponse(problem(500, 'unclassified', 'The authenticate hook failed'));
    if (!raw) return problemResponse(problem(401, 'unauthenticated', 'Sign in first: this request carries no valid session'), { 'www-authenticate': 'Bearer' });
    const principal = principalSchema.safeParse(raw);
    if (!principal.success) return problemResponse(problem(500, 'unclassified', 'The authenticate hook returned an invalid principal (tenantId, actorId, role)'));
    const read = await readJsonBody(request, options.maxBodyBytes ?? 1_048_576);
    if (!read.ok) return problemResponse(read.problem);
    const parsed = chatBodySchema.safeParse(read.value);
    if (!parsed.success) return problemResponse(validationProblem('body', parsed.error));
    const messages = fromUIMessages(parsed.data.messages);
    if (messages.length === 0) return problemResponse(problem(400, 'invalid_request', 'No message has text to send', { field: 'messages' }));
    const extra = (await options.request?.(parsed.data, principal.data)) ?? {};
    const abortController = new AbortController();
    const runtimeRequest: ByokGenerateRequest = {
      ...extra,
      tenantId: principal.data.tenantId,
      userId: principal.data.actorId,
      messages,
      abortSignal: abortController.signal,
    };
    if (parsed.data.agentId && !runtimeRequest.agentId) runtimeRequest.agentId = parsed.data.agentId;
    const stream = options.byok.stream(runtimeRequest);
    const common = { abortController, signal: request.signal, ...(options.keepAliveMs !== undefined ? { keepAliveMs: options.keepAliveMs } : {}), ...(options.timers ? { timers: options.timers } : {}) };
    return options.format === 'sse' ? sseResponse(stream, common) : uiMessageStreamResponse(stream, common);
  };
}
