/** @module Tools and tool choice → `tools[].functionDeclarations` and `toolConfig.functionCallingConfig`. */
import { toJsonSchema, type ToolChoice, type ToolDefinition } from '@byok/core';
import type { GeminiFunctionDeclaration, GeminiGenerateBody } from './gemini-api';
import { convertToolParameters, toGeminiJsonSchema } from './convert-json-schema-to-gemini';

/**
 * The tool fields of a Gemini request. `auto` → AUTO, `none` → NONE, `required` → ANY,
 * one named tool → ANY restricted by `allowedFunctionNames`.
 *
 * @example
 * prepareGeminiTools([{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }], 'required');
 */
export function prepareGeminiTools(
  tools: readonly ToolDefinition[] | undefined,
  toolChoice: ToolChoice | undefined,
  dialect: 'openapi' | 'json-schema' = 'openapi',
): Pick<GeminiGenerateBody, 'tools' | 'toolConfig'> {
  if (!tools || tools.length === 0) return {};
  const functionDeclarations = tools.map((tool): GeminiFunctionDeclaration => {
    const declaration: GeminiFunctionDeclaration = { name: tool.name };
    if (tool.description !== undefined) declaration.description = tool.description;
    const schema = toJsonSchema(tool.parameters);
    if (dialect === 'json-schema') {
      declaration.parametersJsonSchema = toGeminiJsonSchema(schema);
    } else {
      const parameters = convertToolParameters(schema);
      if (parameters) declaration.parameters = parameters;
    }
    return declaration;
  });
  const out: Pick<GeminiGenerateBody, 'tools' | 'toolConfig'> = { tools: [{ functionDeclarations }] };
  if (toolChoice === 'auto') out.toolConfig = { functionCallingConfig: { mode: 'AUTO' } };
  else if (toolChoice === 'none') out.toolConfig = { functionCallingConfig: { mode: 'NONE' } };
  else if (toolChoice === 'required') out.toolConfig = { functionCallingConfig: { mode: 'ANY' } };
  else if (toolChoice) out.toolConfig = { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [toolChoice.name] } };
  return out;
}
