import { expect, it } from 'vitest';
import { runDemo } from '../src/demo';

it('runs the quick start end to end against the mock providers', async () => {
  const lines: string[] = [];
  await runDemo((line) => lines.push(line));
  const out = lines.join('\n');
  expect(out).toContain('a mistyped OpenAI key   -> invalid (auth)');
  expect(out).toMatch(/openai\s+"Bring your own key\."/);
  expect(out).toMatch(/anthropic\s+"Bring your own key\."/);
  expect(out).toMatch(/gemini\s+"Bring your own key\."/);
  expect(out).toContain('anthropic called get_weather({"city":"Oslo","unit":"celsius"})');
  expect(out).toContain('gemini object: {"city":"Oslo","tempC":4}');
  expect(out).toMatch(/429 with retry-after\s+-> rate_limit \(retryable: true, retry after 2000 ms\)/);
  expect(out).toMatch(/529 overloaded_error\s+-> overloaded/);
  expect(out).toMatch(/400 API_KEY_INVALID\s+-> auth/);
  expect(out).toMatch(/a stream cut midway\s+-> stream_cut/);
  expect(out).toContain('keys in URLs: none');
  expect(out).not.toContain('demo-acme');
  expect(out).not.toContain('DemoAcme');
});

it('runs the runtime section: failover to the second key, the platform tenant, a revoke mid-stream', async () => {
  const lines: string[] = [];
  await runDemo((line) => lines.push(line));
  const out = lines.join('\n');
  expect(out).toMatch(/org_acme\s+"Served by the backup key\." billed byok via the backup key/);
  expect(out).toMatch(/#0 openai\/gpt-4\.1-mini via \S+ \[byok\]: rate_limit -> next/);
  expect(out).toMatch(/org_smallco "Served by the platform key\." billed platform/);
  expect(out).toMatch(/stream after "One": aborted \(The call was aborted: connection \S+ was revoked\)/);
  expect(out).toContain("plan for org_acme now excludes the platform's key: payer");
  expect(out).toContain('plan for org_acme now excludes the backup: revoked');
  expect(out).toContain('plan for org_acme now excludes the primary: cooling');
  expect(out).not.toContain('demo-acme');
  expect(out).not.toContain('demo-platform');
});
