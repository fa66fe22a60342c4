import { expect, it } from 'vitest';
import { main } from '../src/index';

it('runs the rotation walk-through end to end without printing a secret', async () => {
  const lines: string[] = [];
  const summary = await main({ log: (line) => lines.push(line) });
  expect(summary).toMatchObject({ rewrapped: 3, current: 1, opened: 3, byVersion: { 2: 4 } });
  const output = lines.join('\n');
  expect(output).toContain('cross-tenant open refused: vault_integrity');
  expect(output).not.toMatch(/sk-example-[0-9a-f]{8}/);
});
