/**
 * @module The mock provider: a scenario queue, a request log, and the engine that
 * turns a protocol's reply into an HTTP response with latency and stream faults.
 */
import type { MockProtocol, MockReply, MockRequest, RenderContext } from './protocol';
import { getProtocol } from './protocols/registry';
import { logEntry, type LoggedRequest } from './request-log';
import { scenarioSchema, type ParsedScenario, type Scenario } from './scenario';

/** Options of {@link createMockProvider}. */
export interface MockProviderOptions {
  /** Scenarios answered in order, one per request. */
  scenarios?: Scenario[];
  /** What to answer once the queue is empty. Default: a short text answer. */
  default?: Scenario;
  /** When set, a request carrying any other key gets the provider's real auth error. */
  acceptKeys?: string[];
  /** Base URL the msw handlers intercept. Default: the provider's real API base URL. */
  baseUrl?: string;
}

const DEFAULT_SCENARIO: Scenario = { text: 'Hello from the @byok mock provider.' };

/**
 * One mocked provider.
 *
 * @example
 * const openai = createMockProvider('openai');
 * openai.enqueue({ text: 'Hi!' }, { error: { kind: 'rate_limit', retryAfterSeconds: 1 } });
 * server.use(...openai.handlers());           // msw
 * expect(openai.requests[0]?.body).toMatchObject({ model: 'gpt-4.1-mini' });
 */
export class MockProvider {
  /** Provider id. */
  readonly id: string;
  /** The wire protocol. */
  readonly protocol: MockProtocol;
  /** Every request received, oldest first. */
  readonly requests: LoggedRequest[] = [];
  private readonly queue: ParsedScenario[] = [];
  private fallback: ParsedScenario;
  private keys: Set<string> | undefined;
  private readonly baseUrl: string;
  private sequence = 0;

  constructor(protocol: MockProtocol, options: MockProviderOptions = {}) {
    this.id = protocol.id;
    this.protocol = protocol;
    this.baseUrl = options.baseUrl ?? protocol.baseUrl;
    this.fallback = scenarioSchema.parse(options.default ?? DEFAULT_SCENARIO);
    if (options.scenarios) this.enqueue(...options.scenarios);
    if (options.acceptKeys) this.keys = new Set(options.acceptKeys);
  }

  /** Adds scenarios to the queue; each request consumes one. */
  enqueue(...scenarios: Scenario[]): this {
    for (const scenario of scenarios) this.queue.push(scenarioSchema.parse(scenario));
    return this;
  }

  /** Sets what to answer once the queue is empty. */
  setDefault(scenario: Scenario): this {
    this.fallback = scenarioSchema.parse(scenario);
    return this;
  }

  /** Only these keys authenticate; others get the provider's auth error. `undefined` accepts any. */
  acceptKeys(keys: string[] | undefined): this {
    this.keys = keys ? new Set(keys) : undefined;
    return this;
  }

  /** Scenarios still queued. */
  get pending(): number {
    return this.queue.length;
  }

  /** Clears the queue and the request log. */
  reset(): this {
    this.queue.length = 0;
    this.requests.length = 0;
    this.sequence = 0;
    return this;
  }

  /** The base URL this mock answers for msw (the real API's by default). */
  get mswBaseUrl(): string {
    return this.baseUrl;
  }

  /** Answers one request. */
  async handle(request: MockRequest): Promise<Response> {
    const scenarioIndex = this.queue.length > 0 ? this.requests.filter((r) => r.scenarioIndex >= 0).length : -1;
    const scenario = this.queue.shift() ?? this.fallback;
    this.requests.push(logEntry(this.id, request, scenarioIndex));
    const sequence = this.sequence++;
    const context: RenderContext = {
      request,
      scenario,
      sequence,
      requestId: scenario.requestId ?? `req_mock_${this.id}_${sequence.toString().padStart(6, '0')}`,
    };
    if (scenario.latencyMs) await delay(scenario.latencyMs, request);
    let reply: MockReply | undefined;
    const key = this.protocol.extractKey(request);
    if (this.keys && (key === undefined || !this.keys.has(key))) {
      reply = this.protocol.renderError({ kind: 'auth' }, context);
    } else if (scenario.error) {
      reply = this.protocol.renderError(scenario.error, context);
    } else {
      reply = this.protocol.respond(context);
    }
    if (!reply) {
      return Response.json(
        { error: { message: `@byok/testing: the ${this.id} mock has no route ${request.method} ${request.path}` } },
        { status: 404 },
      );
    }
    return this.toResponse(reply, context);
  }

  private toResponse(reply: MockReply, context: RenderContext): Response {
    const headers = new Headers(reply.headers);
    for (const [name, value] of Object.entries(context.scenario.headers ?? {})) headers.set(name, value);
    if (reply.kind === 'json') {
      headers.set('content-type', headers.get('content-type') ?? 'application/json');
      return new Response(JSON.stringify(reply.body), { status: reply.status, headers });
    }
    if (reply.kind === 'raw') {
      return new Response(reply.body as BodyInit, { status: reply.status, headers });
    }
    let frames: (string | Uint8Array)[];
    let breakOff = false;
    if (reply.kind === 'byte-stream') {
      const cut = context.scenario.cutAfterChunks;
      frames = cut === undefined ? reply.chunks : reply.chunks.slice(0, Math.min(cut, Math.max(0, reply.chunks.length - 1)));
      breakOff = cut !== undefined;
    } else {
      headers.set('content-type', 'text/event-stream; charset=utf-8');
      frames = this.applyFaults(reply, context);
    }
    headers.set('cache-control', 'no-cache');
    const chunkDelay = context.scenario.chunkDelayMs ?? 0;
    const encoder = new TextEncoder();
    if (context.scenario.burst && chunkDelay === 0 && !breakOff) {
      const parts = frames.map((frame) => (typeof frame === 'string' ? encoder.encode(frame) : frame));
      const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
      let offset = 0;
      for (const part of parts) {
        bytes.set(part, offset);
        offset += part.byteLength;
      }
      return new Response(bytes, { status: reply.status, headers });
    }
    let index = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (cancelled) return;
        if (index >= frames.length) {
          if (breakOff) controller.error(new Error('@byok/testing: connection reset mid-stream'));
          else controller.close();
          return;
        }
        if (chunkDelay > 0 && index > 0) await delay(chunkDelay, context.request);
        if (cancelled) return;
        const frame = frames[index++] as string | Uint8Array;
        controller.enqueue(typeof frame === 'string' ? encoder.encode(frame) : frame);
      },
      cancel() {
        cancelled = true;
      },
    });
    return new Response(body, { status: reply.status, headers });
  }

  private applyFaults(reply: MockStreamReply, context: RenderContext): string[] {
    const { scenario } = context;
    let frames = [...reply.frames];
    if (scenario.midStreamError) {
      const end = reply.contentEnd ?? frames.length - 1;
      frames = [...frames.slice(0, end + 1), this.protocol.renderStreamError(scenario.midStreamError, context)];
    }
    if (scenario.malformedChunkAt !== undefined && scenario.malformedChunkAt < frames.length) {
      frames[scenario.malformedChunkAt] =
        this.protocol.malformedFrame?.(context) ?? 'data: {"id":"broken","choices":[{"delta":{"content":"tr\n\n';
    }
    if (scenario.cutAfterChunks !== undefined) {
      frames = frames.slice(0, Math.min(scenario.cutAfterChunks, Math.max(0, frames.length - 1)));
    }
    return frames;
  }
}

type MockStreamReply = Extract<MockReply, { kind: 'stream' }>;

/**
 * Creates a mock of one provider by id (`openai`, `anthropic`, `gemini`, ...) or from a protocol.
 *
 * @example
 * const anthropic = createMockProvider('anthropic', { scenarios: [{ text: 'Hi' }] });
 */
export function createMockProvider(protocol: string | MockProtocol, options: MockProviderOptions = {}): MockProvider {
  return new MockProvider(typeof protocol === 'string' ? getProtocol(protocol) : protocol, options);
}

/** Builds a {@link MockRequest} from a web `Request`, relative to `basePath`. */
export async function toMockRequest(request: Request, basePath: string): Promise<MockRequest> {
  const url = new URL(request.url);
  const bytes = request.method === 'GET' || request.method === 'HEAD' ? new Uint8Array(0) : new Uint8Array(await request.arrayBuffer());
  const rawBody = new TextDecoder().decode(bytes);
  let body: unknown;
  if (rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody) as unknown;
    } catch {
      body = undefined;
    }
  }
  const base = basePath.replace(/\/+$/, '');
  const path = url.pathname.startsWith(base) ? url.pathname.slice(base.length) || '/' : url.pathname;
  return { method: request.method, url, path, headers: request.headers, body, rawBody, bytes };
}

function delay(ms: number, request: MockRequest): Promise<void> {
  void request;
  return new Promise((resolve) => setTimeout(resolve, ms));
}
