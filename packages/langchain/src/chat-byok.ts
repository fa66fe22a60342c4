/**
 * @module `ChatByok`: a LangChain.js chat model served by a @byok runtime. Calls are routed for a
 * tenant across its connections with @byok's failover, cooldowns, limits and billing; tools bind
 * with `bindTools`, streaming yields chunks (tool-call chunks included), and every message carries
 * `response_metadata.byok` (route, who served, who pays, cost).
 */
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel, type BaseChatModelCallOptions, type BaseChatModelParams, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import { AIMessageChunk, type BaseMessage, type UsageMetadata } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { routeSummary, type Byok, type ByokGenerateRequest, type RoutingFields, type ToolChoice, type ToolDefinition, type Usage } from '@byok/core';
import { convertToByokMessages } from './convert-messages';

/** Per-call options: LangChain's, plus bound tools and routing overrides (e.g. another tenant). */
export interface ChatByokCallOptions extends BaseChatModelCallOptions {
  /** Tools in @byok's shape (set by `bindTools`). */
  tools?: ToolDefinition[];
  /** Routing for this call, over the model's (`tenantId`, `agentId`, `sessionId`, `model`, ...). */
  byok?: Partial<RoutingFields>;
}

/** Constructor fields: the runtime, the routing defaults, and generation settings. */
export interface ChatByokFields extends BaseChatModelParams, Partial<RoutingFields> {
  /** The @byok runtime (`createByok(...)`). */
  byok: Pick<Byok, 'generate' | 'stream'>;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
}

function usageMetadata(usage: Usage | undefined): UsageMetadata | undefined {
  if (!usage) return undefined;
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
    input_token_details: usage.cachedInputTokens !== undefined ? { cache_read: usage.cachedInputTokens } : {},
    output_token_details: usage.reasoningTokens !== undefined ? { reasoning: usage.reasoningTokens } : {},
  };
}

function toolChoiceOf(choice: ChatByokCallOptions['tool_choice']): ToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto' || choice === 'none') return choice;
  if (choice === 'any' || choice === 'required') return 'required';
  if (typeof choice === 'string') return { type: 'tool', name: choice };
  const named = (choice as { function?: { name?: string } }).function?.name;
  return named ? { type: 'tool', name: named } : undefined;
}

/**
 * A LangChain chat model over @byok.
 *
 * @example
 * const model = new ChatByok({ byok, tenantId: 'org_42', agentId: 'support' });
 * const reply = await model.bindTools([weatherTool]).invoke('Weather in Oslo?');
 * console.log(reply.tool_calls, reply.response_metadata.byok.billingSource);
 */
export class ChatByok extends BaseChatModel<ChatByokCallOptions, AIMessageChunk> {
  static override lc_name(): string {
    return 'ChatByok';
  }

  private readonly runtime: Pick<Byok, 'generate' | 'stream'>;
  private readonly routing: Partial<RoutingFields>;
  private readonly settings: { temperature?: number; maxTokens?: number; topP?: number };

  constructor(fields: ChatByokFields) {
    // @byok retries and fails over itself; LangChain's retries on top would multiply attempts.
    super({ maxRetries: 0, ...fields });
    const { byok, temperature, maxTokens, topP, ...rest } = fields;
    this.runtime = byok;
    const routing: Partial<RoutingFields> = {};
    for (const key of ['tenantId', 'userId', 'agentId', 'sessionId', 'model', 'provider', 'connectionId', 'allowFallback', 'requires', 'strategy', 'maxPrice', 'deadlineMs', 'waitForCooldown', 'actor'] as const) {
      if (rest[key] !== undefined) (routing as Record<string, unknown>)[key] = rest[key];
    }
    this.routing = routing;
    this.settings = { temperature, maxTokens, topP };
  }

  _llmType(): string {
    return 'byok';
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<ChatByokCallOptions>): Runnable<BaseLanguageModelInput, AIMessageChunk, ChatByokCallOptions> {
    const converted: ToolDefinition[] = tools.map((tool) => {
      const { function: fn } = convertToOpenAITool(tool as Parameters<typeof convertToOpenAITool>[0]);
      return { name: fn.name, description: fn.description, parameters: (fn.parameters ?? { type: 'object', properties: {} }) as ToolDefinition['parameters'] };
    });
    return this.withConfig({ tools: converted, ...kwargs } as Partial<ChatByokCallOptions>);
  }

  /** The runtime request for one call. */
  private request(messages: BaseMessage[], options: this['ParsedCallOptions']): ByokGenerateRequest {
    const routing = { ...this.routing, ...options.byok };
    if (!routing.tenantId) {
      throw new TypeError('ChatByok needs a tenant: new ChatByok({ byok, tenantId }) or invoke(input, { byok: { tenantId } })');
    }
    const toolChoice = options.tools?.length ? toolChoiceOf(options.tool_choice) : undefined;
    return {
      ...routing,
      tenantId: routing.tenantId,
      messages: convertToByokMessages(messages),
      ...(options.tools?.length ? { tools: options.tools } : {}),
      ...(toolChoice ? { toolChoice } : {}),
      ...(this.settings.temperature !== undefined ? { temperature: this.settings.temperature } : {}),
      ...(this.settings.maxTokens !== undefined ? { maxTokens: this.settings.maxTokens } : {}),
      ...(this.settings.topP !== undefined ? { topP: this.settings.topP } : {}),
      ...(options.stop?.length ? { stop: options.stop } : {}),
      ...(options.signal ? { abortSignal: options.signal } : {}),
    };
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const result = await this.runtime.generate(this.request(messages, options));
    const message = new AIMessageChunk({
      content: result.text,
      tool_calls: result.toolCalls.map((call) => ({
        id: call.id,
        name: call.name,
        args: (call.arguments ?? {}) as Record<string, unknown>,
        type: 'tool_call' as const,
      })),
      usage_metadata: usageMetadata(result.usage),
      response_metadata: { finish_reason: result.finishReason, model_name: result.model ?? result.routedModel, byok: routeSummary(result) },
      id: result.responseId,
    });
    return { generations: [{ text: result.text, message }], llmOutput: { byok: routeSummary(result) } };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const toolIndex = new Map<string, number>();
    let usage: Usage | undefined;
    let finishReason: string | undefined;
    for await (const part of this.runtime.stream(this.request(messages, options))) {
      switch (part.type) {
        case 'text-delta': {
          yield new ChatGenerationChunk({ text: part.delta, message: new AIMessageChunk({ content: part.delta }) });
          await runManager?.handleLLMNewToken(part.delta);
          break;
        }
        case 'tool-call-start': {
          const index = toolIndex.size;
          toolIndex.set(part.id, index);
          yield new ChatGenerationChunk({
            text: '',
            message: new AIMessageChunk({ content: '', tool_call_chunks: [{ id: part.id, name: part.name, args: '', index, type: 'tool_call_chunk' }] }),
          });
          break;
        }
        case 'tool-call-delta':
          yield new ChatGenerationChunk({
            text: '',
            message: new AIMessageChunk({ content: '', tool_call_chunks: [{ args: part.argumentsDelta, index: toolIndex.get(part.id) ?? 0, type: 'tool_call_chunk' }] }),
          });
          break;
        case 'tool-call':
          // Providers that send a tool call whole (no start/delta parts) still produce one chunk.
          if (!toolIndex.has(part.id)) {
            const index = toolIndex.size;
            toolIndex.set(part.id, index);
            yield new ChatGenerationChunk({
              text: '',
              message: new AIMessageChunk({ content: '', tool_call_chunks: [{ id: part.id, name: part.name, args: part.rawArguments, index, type: 'tool_call_chunk' }] }),
            });
          }
          break;
        case 'usage':
          usage = part.usage;
          break;
        case 'finish':
          usage = part.usage;
          finishReason = part.finishReason;
          break;
        case 'error':
          // LangChain streams fail by throwing; @byok already failed over where it could.
          throw part.error;
        case 'route': {
          const summary = routeSummary(part);
          yield new ChatGenerationChunk({
            text: '',
            message: new AIMessageChunk({
              content: '',
              usage_metadata: usageMetadata(part.usage ?? usage),
              response_metadata: { finish_reason: finishReason, model_name: summary.model, byok: summary },
            }),
          });
          break;
        }
        default:
          break;
      }
    }
  }
}
