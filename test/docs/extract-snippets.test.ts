import { describe, expect, it } from 'vitest';
import { extractSnippets } from './extract-snippets';

const md = (...lines: string[]) => lines.join('\n');

describe('extractSnippets', () => {
  it('takes ts and typescript blocks, runs them by default, and ignores other languages', () => {
    const snippets = extractSnippets('a.md', md('# A', '```ts', 'const a = 1;', '```', '```sh', 'ls', '```', '```typescript', 'b();', '```'));
    expect(snippets.map((s) => [s.line, s.mode, s.code])).toEqual([
      [2, 'run', 'const a = 1;'],
      [8, 'run', 'b();'],
    ]);
  });

  it('reads the marker before a block, its note and its prelude', () => {
    const [only, pre] = extractSnippets(
      'a.md',
      md('<!-- snippet: typecheck-only — needs a KMS -->', '', '```ts', 'x;', '```', '<!-- snippet: run — scripted:', 'mocks.openai!.enqueue({ text: "hi" });', '-->', '```ts', 'y;', '```'),
    );
    expect(only).toMatchObject({ mode: 'typecheck-only', note: 'needs a KMS', prelude: '' });
    expect(pre).toMatchObject({ mode: 'run', note: 'scripted:', prelude: 'mocks.openai!.enqueue({ text: "hi" });', code: 'y;' });
  });

  it('leaves ordinary HTML comments alone and does not check a ts block shown inside a longer fence', () => {
    const snippets = extractSnippets('a.md', md('<!-- a note -->', '```ts', 'x;', '```', '````md', '```ts', 'not checked', '```', '````'));
    expect(snippets).toHaveLength(1);
    expect(snippets[0]).toMatchObject({ mode: 'run', code: 'x;' });
  });

  it('fails on a mode it does not know, so a typo cannot skip a check', () => {
    expect(() => extractSnippets('a.md', md('<!-- snippet: typecheck -->', '```ts', 'x;', '```'))).toThrow(/a\.md:1: unknown snippet mode "typecheck"/);
  });
});
