/**
 * @module Finds every TypeScript code block in the repository's markdown (root README, package and example
 * READMEs, docs/**) with the marker that says how to check it. The marker grammar is documented in
 * docs/README.md ("Writing docs"); keep the two in step.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** How a snippet is checked: `run` type-checks and runs it against the mock providers (the default). */
export type SnippetMode = 'run' | 'typecheck-only' | 'skip';

/** One fenced ```ts block. */
export interface Snippet {
  /** Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  mode: SnippetMode;
  /** Why it is not run (the text after the mode word), if the author gave one. */
  note: string;
  /** TypeScript placed before the snippet: the marker comment's lines after the first. */
  prelude: string;
  code: string;
}

const FENCE = /^(`{3,})(.*)$/;
const LANGUAGES: ReadonlySet<string> = new Set(['ts', 'typescript']);
const MARKER = /^<!--\s*snippet:\s*([a-z-]+)(.*)$/;
const MODES: ReadonlySet<string> = new Set<SnippetMode>(['run', 'typecheck-only', 'skip']);

/** Markdown files whose snippets are checked: README.md, packages/* and examples/* READMEs, docs/** (not docs/api). */
export function markdownFiles(root: string): string[] {
  const files = ['README.md'];
  for (const dir of ['packages', 'examples']) {
    const abs = join(root, dir);
    if (!existsSync(abs)) continue;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(abs, entry.name, 'README.md'))) files.push(`${dir}/${entry.name}/README.md`);
    }
  }
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (relative(root, abs) !== join('docs', 'api')) walk(abs);
      } else if (entry.name.endsWith('.md')) files.push(relative(root, abs));
    }
  };
  if (existsSync(join(root, 'docs'))) walk(join(root, 'docs'));
  return files.sort();
}

/** The snippets of one markdown text. Throws on a marker it does not understand, so a typo cannot skip a check. */
export function extractSnippets(file: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    // A fence closes with at least as many backticks, so a ````md block can show a ```ts one unchecked.
    const ticks = open[1]?.length ?? 3;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !isClose(lines[i] ?? '', ticks); i++) body.push(lines[i] ?? '');
    if (!LANGUAGES.has((open[2] ?? '').trim())) continue;
    snippets.push({ file, line: start + 1, ...markerBefore(file, lines, start), code: body.join('\n') });
  }
  return snippets;
}

function isClose(line: string, ticks: number): boolean {
  const match = /^(`{3,})\s*$/.exec(line);
  return match !== null && (match[1]?.length ?? 0) >= ticks;
}

function markerBefore(file: string, lines: string[], fence: number): Pick<Snippet, 'mode' | 'note' | 'prelude'> {
  let end = fence - 1;
  while (end >= 0 && (lines[end] ?? '').trim() === '') end--;
  if (end < 0 || !(lines[end] ?? '').trimEnd().endsWith('-->')) return { mode: 'run', note: '', prelude: '' };
  let begin = end;
  while (begin >= 0 && !(lines[begin] ?? '').trimStart().startsWith('<!--')) begin--;
  const first = (lines[begin] ?? '').trim();
  const match = MARKER.exec(first);
  if (!match) return { mode: 'run', note: '', prelude: '' }; // an ordinary HTML comment
  const mode = match[1] ?? '';
  if (!MODES.has(mode)) {
    throw new Error(`${file}:${begin + 1}: unknown snippet mode "${mode}" (use run, typecheck-only or skip; see docs/README.md)`);
  }
  const rest = lines.slice(begin + 1, end + 1);
  const note = (begin === end ? (match[2] ?? '').replace(/-->\s*$/, '') : (match[2] ?? '')).trim().replace(/^[—:-]\s*/, '');
  if (rest.length > 0) rest[rest.length - 1] = (rest[rest.length - 1] ?? '').replace(/-->\s*$/, '');
  return { mode: mode as SnippetMode, note, prelude: rest.join('\n').trimEnd() };
}

/** Every snippet of the repository, in file order. */
export function collectSnippets(root: string): Snippet[] {
  return markdownFiles(root).flatMap((file) => extractSnippets(file, readFileSync(join(root, file), 'utf8')));
}
