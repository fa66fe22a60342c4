/**
 * @module `byok-mock-server`: the loopback mock server as a command, for tests in any language. Prints one
 * JSON line (`url`, `control`, the base URL of every provider) once it listens; scripted over HTTP through
 * the control API (`/__byok`). Run `byok-mock-server --help` for the flags.
 */
import { parseScenarioJson } from './control-api';
import type { Scenario } from './scenario';
import { startMockServer } from './server';
import { listProtocols } from './protocols/registry';

const USAGE = `Usage: byok-mock-server [--port N] [--host H] [--scenario JSON] [--keep-alive-ms N]

Serves mock AI providers (OpenAI, Anthropic, Gemini, OpenRouter, Grok, Mistral, Kimi, DeepSeek, Azure OpenAI,
OpenAI-compatible) with their real wire formats on a loopback port, and prints one JSON line once listening:
  {"url":"http://127.0.0.1:4010","control":"http://127.0.0.1:4010/__byok","providers":{"openai":"http://127.0.0.1:4010/openai/v1",...}}

Options:
  --port N, --port=N          port to listen on (default 0: a free port, read it from the JSON line)
  --host H, --host=H          address to bind (default 127.0.0.1)
  --scenario JSON             default answer of every provider, e.g. '{"text":"Hello","chunkDelayMs":5}'
  --keep-alive-ms N           idle keep-alive timeout in ms (default 5000; raise it for very slow clients)
  -h, --help                  this help

Control API (JSON over HTTP, for any language):
  POST   /__byok/providers/{id}/scenarios   queue a scenario or an array of them, one per request
  PUT    /__byok/providers/{id}/default     the answer once the queue is empty
  PUT    /__byok/providers/{id}/keys        {"keys":["sk-..."]} accept only these keys, {"keys":null} any
  GET    /__byok/requests[?provider={id}]   the request log, oldest first
  DELETE /__byok/providers/{id}             clear its queue, log and accepted keys
  DELETE /__byok                            the same for every provider
Scenario fields: see https://github.com/byok-sdk/byok/blob/main/docs/testing.md (unknown fields are refused).
`;

/** The parsed command line. */
interface CliOptions {
  port: number;
  host: string;
  scenario?: Scenario;
  keepAliveTimeoutMs?: number;
  help: boolean;
}

/** A command-line mistake: printed as one line, exit code 2. */
class UsageError extends Error {}

/** Parses `argv` (without node and the script); throws a {@link UsageError} naming the flag and the fix. */
function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { port: 0, host: '127.0.0.1', help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') {
      options.help = true;
      continue;
    }
    const match = /^(--[a-z-]+)(?:=(.*))?$/s.exec(arg);
    const flag = match?.[1];
    if (flag !== '--port' && flag !== '--host' && flag !== '--scenario' && flag !== '--keep-alive-ms') {
      throw new UsageError(`unknown argument "${arg}" (see --help)`);
    }
    let value = match?.[2];
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value (see --help)`);
      i++;
    }
    if (flag === '--port') {
      const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isInteger(port) || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got "${value}"`);
      options.port = port;
    } else if (flag === '--keep-alive-ms') {
      const ms = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isSafeInteger(ms) || ms < 1) throw new UsageError(`--keep-alive-ms must be a positive integer, got "${value}"`);
      options.keepAliveTimeoutMs = ms;
    } else if (flag === '--host') {
      if (value.trim() === '') throw new UsageError('--host must not be empty');
      options.host = value;
    } else {
      let json: unknown;
      try {
        json = JSON.parse(value) as unknown;
      } catch {
        throw new UsageError(`--scenario must be a scenario as JSON, e.g. '{"text":"Hello"}'`);
      }
      try {
        options.scenario = parseScenarioJson(json);
      } catch (error) {
        throw new UsageError(`--scenario: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return options;
}

async function main(argv: readonly string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`byok-mock-server: ${error.message}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const ids = listProtocols().map((protocol) => protocol.id);
  let server;
  try {
    server = await startMockServer({ port: options.port, host: options.host, keepAliveTimeoutMs: options.keepAliveTimeoutMs });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${options.host}:${options.port}`;
    console.error(
      code === 'EADDRINUSE'
        ? `byok-mock-server: ${where} is already in use; pick another port with --port N, or --port 0 for a free one`
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
          ? `byok-mock-server: cannot bind ${where}: no such local address (${code})`
          : code === 'EACCES'
            ? `byok-mock-server: not allowed to listen on ${where} (EACCES); use a port above 1023`
            : `byok-mock-server: could not start on ${where}: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  }
  if (options.scenario) for (const id of ids) server.provider(id).setDefault(options.scenario);
  const providers = Object.fromEntries(ids.map((id) => [id, server.baseUrlFor(id)]));
  console.log(JSON.stringify({ url: server.url, control: server.controlUrl, providers }));
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main(process.argv.slice(2));
