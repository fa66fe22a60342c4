/**
 * @module `byok-mock-server`: the loopback mock server as a command, for clients in
 * any language. Prints one JSON line with the base URL of every provider.
 *
 *   npx byok-mock-server --port 4010
 *   npx byok-mock-server --scenario '{"text":"Hello","chunkDelayMs":5}'   (default answer of every provider)
 */
import { scenarioSchema, type Scenario } from './scenario';
import { startMockServer } from './server';

const PROVIDERS = ['openai', 'anthropic', 'gemini', 'openrouter', 'grok', 'mistral', 'kimi', 'deepseek', 'azure_openai', 'openai_compatible'];

const portFlag = process.argv.indexOf('--port');
const port = portFlag >= 0 ? Number(process.argv[portFlag + 1]) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('byok-mock-server: --port must be an integer between 0 and 65535');
  process.exit(2);
}
const scenarioFlag = process.argv.indexOf('--scenario');
let scenario: Scenario | undefined;
if (scenarioFlag >= 0) {
  try {
    scenario = scenarioSchema.parse(JSON.parse(process.argv[scenarioFlag + 1] ?? ''));
  } catch (error) {
    console.error(`byok-mock-server: --scenario must be a scenario as JSON: ${String(error)}`);
    process.exit(2);
  }
}
const server = await startMockServer({ port });
if (scenario) {
  for (const id of PROVIDERS) server.provider(id).setDefault(scenario);
}
const bases = Object.fromEntries(
  PROVIDERS.map((id) => [id, server.baseUrlFor(id)]),
);
console.log(JSON.stringify({ url: server.url, providers: bases }));
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
