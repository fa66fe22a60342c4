/**
 * @module Docs snippets as tests: every ```ts block of README.md, packages/* and examples/* READMEs and docs/**
 * is type-checked (one TypeScript program for all of them) and, unless its marker says otherwise, run against
 * the mock providers (msw, in-process: no network, no keys). Markers and globals: docs/README.md, "Writing docs".
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupServer } from 'msw/node';
import { createMockProvider, mswHandlers, type MockProvider } from '../../packages/testing/src/index';
import { listProtocols } from '../../packages/testing/src/protocols/registry';
import { collectSnippets, type Snippet } from './extract-snippets';
import { installSnippetGlobals } from './snippet-globals';

const root = join(new URL('.', import.meta.url).pathname, '..', '..');
// One directory per run, so two runs at once (a docs author and the full suite) do not delete each other's files.
const snippetsDir = join(root, '.snippets');
const outDir = join(snippetsDir, `run-${process.pid}`);
const snippets = collectSnippets(root);
const checked = snippets.filter((s) => s.mode !== 'skip');
const globalsFile = join(root, 'test', 'docs', 'snippet-globals.ts');

/** The generated file of a snippet; its first lines are a header and the marker's prelude. */
function fileOf(snippet: Snippet): string {
  return join(outDir, `${snippet.file.replace(/[/\\.]/g, '_')}_L${snippet.line}.ts`);
}
function headerOf(snippet: Snippet): string {
  return `// Generated from ${snippet.file}:${snippet.line} by test/docs/snippets.test.ts: edit the markdown, not this file.\n`;
}

/**
 * `.snippets/node_modules` (shared by runs) links every `@byok/*` package and every dependency of one, so a snippet's imports
 * resolve as they would in a user's project (to the sources, through the `@byok/source` condition).
 */
function linkPackages(): void {
  const modules = join(snippetsDir, 'node_modules');
  mkdirSync(join(modules, '@byok'), { recursive: true });
  const link = (target: string, name: string): void => {
    const at = join(modules, name);
    if (existsSync(at)) return;
    mkdirSync(join(at, '..'), { recursive: true });
    try {
      symlinkSync(target, at, 'dir');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another run linked it first
    }
  };
  for (const dir of readdirSync(join(root, 'packages'))) {
    const pkg = join(root, 'packages', dir);
    if (!existsSync(join(pkg, 'package.json'))) continue;
    link(pkg, (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { name: string }).name);
    const deps = join(pkg, 'node_modules');
    if (!existsSync(deps)) continue;
    for (const entry of readdirSync(deps)) {
      if (entry.startsWith('.') || entry === '@byok') continue;
      if (entry.startsWith('@')) for (const scoped of readdirSync(join(deps, entry))) link(join(deps, entry, scoped), `${entry}/${scoped}`);
      else link(join(deps, entry), entry);
    }
  }
}

/** Type-checks every snippet in one program; returns the messages per generated file. */
function typecheck(): Map<string, string[]> {
  const config = ts.readConfigFile(join(root, 'tsconfig.base.json'), (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, declaration: false, sourceMap: false };
  const files = checked.map(fileOf);
  const program = ts.createProgram([...files, globalsFile], options);
  const byFile = new Map<string, string[]>(files.map((file) => [file, []]));
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName;
    const messages = file ? byFile.get(file) : undefined;
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!messages || !diagnostic.file || diagnostic.start === undefined) {
      // Errors in the packages' sources are `pnpm typecheck`'s to report; an error in the globals breaks every snippet.
      if (file === globalsFile || !file) for (const list of byFile.values()) list.push(`(in ${file ? relative(root, file) : 'the program'}) ${text}`);
      continue;
    }
    messages.push(`${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line}\u0000${text}`);
  }
  return byFile;
}

/** Turns a line of the generated file back into a line of the markdown. */
function markdownLine(snippet: Snippet, generatedLine0: number): string {
  const preludeLines = snippet.prelude === '' ? 0 : snippet.prelude.split('\n').length;
  const inCode = generatedLine0 - 1 - preludeLines;
  return inCode >= 0 ? `${snippet.file}:${snippet.line + 1 + inCode}` : `${snippet.file}:${snippet.line} (marker prelude)`;
}

let diagnostics = new Map<string, string[]>();
const mocks: Record<string, MockProvider> = {};
let providers: ReturnType<typeof setupServer>;
let workDir = '';

/** Removes what runs that did not finish (their process is gone) left behind. */
function removeStaleRuns(): void {
  if (!existsSync(snippetsDir)) return;
  for (const entry of readdirSync(snippetsDir)) {
    const pid = /^run-(\d+)$/.exec(entry)?.[1];
    if (entry.endsWith('.ts') || (pid && !isAlive(Number(pid)))) rmSync(join(snippetsDir, entry), { recursive: true, force: true });
  }
}
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

beforeAll(() => {
  removeStaleRuns();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  linkPackages();
  for (const snippet of checked) {
    const prelude = snippet.prelude === '' ? '' : `${snippet.prelude}\n`;
    writeFileSync(fileOf(snippet), `${headerOf(snippet)}${prelude}${snippet.code}\nexport {};\n`);
  }
  diagnostics = typecheck();

  for (const { id } of listProtocols()) {
    // Docs name Azure resources `contoso`; every other provider is reached at its real API URL.
    mocks[id] = createMockProvider(id, id === 'azure_openai' ? { baseUrl: 'https://contoso.openai.azure.com/openai' } : {});
  }
  providers = setupServer(...mswHandlers(...Object.values(mocks)));
  // Nothing reaches the internet; loopback passes (a snippet may start the mock server, byok-mock-server).
  providers.listen({
    onUnhandledRequest: (request, print) => {
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(request.url).hostname)) print.error();
    },
  });
  installSnippetGlobals();
  globalThis.mocks = mocks;
  for (const name of ['OPENAI', 'ANTHROPIC', 'AZURE_OPENAI', 'DEEPSEEK', 'XAI', 'MOONSHOT', 'MISTRAL', 'OPENROUTER', 'ELEVENLABS']) {
    process.env[`${name}_API_KEY`] = `sk-docs-${name.toLowerCase()}-0001`;
  }
  process.env.TENANT_GEMINI_KEY = 'AIzaDocsGeminiKey0001';
  process.env.BYOK_VAULT_KEY_V1 = randomBytes(32).toString('base64');
  process.env.BYOK_VAULT_FINGERPRINT_KEY = randomBytes(32).toString('base64');
  // Snippets write relative paths (`./.vault`): run them in a scratch directory, not the repository.
  workDir = mkdtempSync(join(tmpdir(), 'byok-snippets-'));
  process.chdir(workDir);
  // One program over every snippet and the sources they import: ~10 s on an idle machine, far more on a busy
  // one (most of it reading the dependencies' declarations).
}, 300_000);

afterAll(() => {
  providers?.close();
  process.chdir(root);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
});

/** Runs a snippet module, returning what it printed. */
async function runSnippet(snippet: Snippet, tag = ''): Promise<string> {
  let output = '';
  const capture = (...args: unknown[]) => {
    output += `${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`;
  };
  const spies = [
    vi.spyOn(console, 'log').mockImplementation(capture),
    vi.spyOn(console, 'error').mockImplementation(capture),
    vi.spyOn(console, 'warn').mockImplementation(capture),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output += String(chunk);
      return true;
    }),
  ];
  // Each snippet is its own program: fresh module instances, so no state (a default store, a cache) leaks
  // from one snippet into the next.
  vi.resetModules();
  try {
    await import(/* @vite-ignore */ `${pathToFileURL(fileOf(snippet)).href}${tag}`);
  } catch (error) {
    throw new Error(`${snippet.file}:${snippet.line} threw when run against the mock providers (mark it <!-- snippet: typecheck-only --> if it needs a real service): ${String(error)}\noutput:\n${output}`, { cause: error });
  } finally {
    for (const spy of spies) spy.mockRestore();
    for (const mock of Object.values(mocks)) mock.reset();
  }
  return output;
}

describe.each(checked.map((snippet) => [`${snippet.file}:${snippet.line}`, snippet] as const))('%s', (_label, snippet) => {
  it('type-checks', () => {
    const messages = (diagnostics.get(fileOf(snippet)) ?? []).map((entry) => {
      const [line, text] = entry.split('\u0000');
      return text === undefined ? entry : `${markdownLine(snippet, Number(line))}: ${text}`;
    });
    expect(messages, messages.join('\n')).toEqual([]);
  });
  it.runIf(snippet.mode === 'run')('runs against the mock providers', async () => {
    await runSnippet(snippet);
  });
});

it('finds the snippets (README usage, provider guides)', () => {
  expect(snippets.some((s) => s.file === 'README.md')).toBe(true);
  expect(snippets.filter((s) => s.file.startsWith('docs/providers/')).length).toBeGreaterThanOrEqual(8);
});

it("the README's usage loop reports a 429 that arrives mid-call (as an error part)", async () => {
  const usage = snippets.find((s) => s.file === 'README.md' && s.mode === 'run' && s.code.includes('adapter.stream('));
  expect(usage, 'the README has a runnable usage snippet that streams').toBeDefined();
  // The key test is answered normally; the stream gets the provider's 429.
  mocks.openai!.enqueue({ text: 'ok' }, { error: { kind: 'rate_limit', retryAfterSeconds: 2 } });
  const output = await runSnippet(usage!, '?rate-limited');
  expect(output).toContain('rate_limit 2000');
});

it('every stream loop in the docs handles error parts (a failure arrives as a part, not a throw)', () => {
  const loops = snippets.filter((s) => s.mode !== 'skip' && /for await \(const (\w+) of [^)]*\.stream\(/.test(s.code));
  expect(loops.length).toBeGreaterThan(5);
  const ignoring = loops.filter((s) => !/\.type === 'error'/.test(s.code)).map((s) => `${s.file}:${s.line}`);
  expect(ignoring, `these loops ignore error parts: ${ignoring.join(', ')}`).toEqual([]);
});
