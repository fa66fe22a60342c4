/** @module What Azure OpenAI can do. Models are the resource's deployments, so none are known up front. */
import { capabilities, type CapabilityMatrix } from '@byok/core';

/** Azure OpenAI's capability matrix at best; a deployment can do only what its model can. */
export const AZURE_OPENAI_CAPABILITIES: CapabilityMatrix = capabilities(
  'text',
  'vision',
  'audio_in',
  'tools',
  'json',
  'embeddings',
  'reasoning',
);
