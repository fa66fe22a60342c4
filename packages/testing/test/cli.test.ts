import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real command, run from source the way the monorepo runs everything (tsx + the @byok/source condition).
const packageDir = new URL('..', import.meta.url).pathname;
const cliArgs = ['--conditions=@byok/source', '--import', 'tsx', 'src/cli.ts'];

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runToExit(args: string[]): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...cliArgs, ...args], { cwd: packageDir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the command and resolves with its JSON line once it listens. */
function startCli(args: string[]): Promise<{ child: ChildProcess; info: { url: string; control: string; providers: Record<string, string> } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliArgs, ...args], { cwd: packageDir });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) resolve({ child, info: JSON.parse(line) as never });
    });
    child.on('close', (code) => reject(new Error(`byok-mock-server exited (${code}) before listening: ${stderr}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('close');
    child.on('close', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

// Each case is its own process; they run side by side. Ten TypeScript children starting at once on
// a loaded 2-core machine take 3-4 s each here, more on a busier one: the timeout bounds a hang, it orders nothing.
describe.concurrent('byok-mock-server command line', { timeout: 60_000 }, () => {
  let blocker: Server;
  let busyPort = 0;
  beforeAll(async () => {
    // A port we hold, so "in use" is certain and a flag that was ignored (port 0) would visibly succeed.
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    busyPort = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('prints its usage with --help and exits 0', async () => {
    const result = await runToExit(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: byok-mock-server');
    expect(result.stdout).toContain('POST   /__byok/providers/{id}/scenarios');
  });

  it.each(['--port=N', '--port N'])('honours %s (a busy port is one clear line, no stack, exit 1)', async (form) => {
    const args = form === '--port=N' ? [`--port=${busyPort}`] : ['--port', String(busyPort)];
    const result = await runToExit(args);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `byok-mock-server: 127.0.0.1:${busyPort} is already in use; pick another port with --port N, or --port 0 for a free one`,
    );
  });

  it('refuses an unknown scenario field, naming it, with exit 2', async () => {
    const result = await runToExit(['--scenario', '{"txt":"Hello","error":{"kind":"rate_limit","retryAfter":2}}']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown field "txt"');
    expect(result.stderr).toContain('error: unknown field "retryAfter"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([[['--prot', '4010']], [['--port', 'abc']], [['--port']], [['--scenario', '{not json']], [['--keep-alive-ms', '0']], [['--keep-alive-ms=1.5']]])('rejects %j with one line and exit 2', async (args) => {
    const result = await runToExit(args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^byok-mock-server: /);
  });
});

describe('byok-mock-server control API', () => {
  let child: ChildProcess;
  let info: { url: string; control: string; providers: Record<string, string> };
  beforeAll(async () => {
    ({ child, info } = await startCli(['--port=0', '--scenario={"text":"Default answer"}']));
  });
  afterAll(async () => {
    expect(await stop(child)).toBe(0);
  });

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${info.control}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const chat = (key: string) =>
    fetch(`${info.providers.openai}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] }),
    });
  const textOf = async (response: Response) => ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content;

  it('listens on 127.0.0.1 and prints every provider with the control URL', () => {
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.control).toBe(`${info.url}/__byok`);
    expect(info.providers.openai).toBe(`${info.url}/openai/v1`);
    expect(Object.keys(info.providers)).toEqual(expect.arrayContaining(['anthropic', 'gemini', 'azure_openai']));
  });

  it('queues scenarios, sets accepted keys, logs requests and resets', async () => {
    expect((await control('PUT', '/providers/openai/keys', { keys: ['sk-good-0001'] })).status).toBe(200);
    const queued = await control('POST', '/providers/openai/scenarios', [{ text: 'First' }, { error: { kind: 'rate_limit', retryAfterSeconds: 2 } }]);
    expect(await queued.json()).toEqual({ provider: 'openai', pending: 2 });

    expect(await textOf(await chat('sk-good-0001'))).toBe('First');
    const limited = await chat('sk-good-0001');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(await textOf(await chat('sk-good-0001'))).toBe('Default answer'); // --scenario set the default
    expect((await chat('sk-wrong-0002')).status).toBe(401);

    const log = (await (await control('GET', '/requests?provider=openai')).json()) as { requests: { path: string; scenarioIndex: number }[] };
    expect(log.requests.map((r) => r.path)).toEqual(['/chat/completions', '/chat/completions', '/chat/completions', '/chat/completions']);

    expect((await control('DELETE', '')).status).toBe(200);
    expect(await (await control('GET', '/requests')).json()).toEqual({ requests: [] });
    expect(await textOf(await chat('sk-any-key-0003'))).toBe('Default answer'); // keys reset: any key again
  });

  it('sets the default answer', async () => {
    await control('PUT', '/providers/anthropic/default', { text: 'Bonjour' });
    const response = await fetch(`${info.providers.anthropic}/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-any', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(((await response.json()) as { content: { text: string }[] }).content[0]?.text).toBe('Bonjour');
  });

  it('refuses a scenario with an unknown field (400, naming it and its position) and queues nothing', async () => {
    const response = await control('POST', '/providers/openai/scenarios', [{ text: 'ok' }, { text: 'x', cutAfterChunk: 1 }]);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toContain('scenario 1: invalid scenario: unknown field "cutAfterChunk"');
    expect(error.message).toContain('cutAfterChunks'); // the known fields are listed
    expect(await textOf(await chat('sk-any'))).toBe('Default answer');
  });

  it('answers mistakes with a JSON error and the right status', async () => {
    expect((await control('POST', '/providers/nope/scenarios', { text: 'x' })).status).toBe(404);
    expect((await control('PUT', '/providers/openai/keys', { keys: 'sk-1' })).status).toBe(400);
    expect((await control('POST', '/providers/openai/scenarios', '{')).status).toBe(400);
    const bad = await fetch(`${info.control}/providers/openai/scenarios`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect((await control('PATCH', '/requests')).status).toBe(404);
    const routes = (await (await control('GET', '')).json()) as { routes: string[]; providers: Record<string, string> };
    expect(routes.providers.openai).toBe(info.providers.openai);
    expect(routes.routes.length).toBeGreaterThan(4);
  });
});
