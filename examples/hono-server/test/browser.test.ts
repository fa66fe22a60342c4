/**
 * The settings page in a real browser (playwright-core driving Debian's Chromium) against the mock
 * providers: connect a key and see it tested and masked, a wrong key gets the provider's message,
 * a chat reply streams in, the usage chart and the limit bar move, revoking takes the connection out
 * of routing. Every page and every network response is checked for the key. Screenshots go to
 * test-artifacts/. Without Chromium the suite is skipped and says why.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { CANARY_KEYS, containsCanary } from '@byok/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);
if (!haveChromium) console.warn(`browser tests SKIPPED: no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)`);

const KEY = CANARY_KEYS.openai;
const artifacts = new URL('../test-artifacts/', import.meta.url).pathname;

// expect.poll gives up after 1 s by default: too short for a round trip through Chromium and the
// server on a loaded machine. A poll only waits for what the page does next; it orders nothing.
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 25 });

describe.skipIf(!haveChromium)('the settings page in Chromium', { timeout: 60_000 }, () => {
  let app: App;
  let server: ServerType;
  let browser: Browser;
  let page: Page;
  let origin = '';
  const seen: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    app = await createApp({ mocks: true });
    app.mocks?.provider('openai').acceptKeys([KEY]);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
    // Playwright's 30 s default for each action and wait: the setup alone took 29 s at load 24.
    page.setDefaultTimeout(60_000);
    page.on('dialog', (dialog) => void dialog.accept());
    page.on('response', async (response) => {
      seen.push(response.url(), JSON.stringify(await response.allHeaders()));
      const body = await response.text().catch(() => '');
      seen.push(body);
    });
    await page.goto(origin);
    await page.waitForSelector('body[data-ready="true"]');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await app?.close();
  });

  const shot = (name: string) => page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });
  const noKeyOnPage = async () => expect(containsCanary(await page.content(), KEY)).toBe(false);

  it('connects a pasted key (whitespace trimmed): tested, masked, never echoed', async () => {
    await page.selectOption('#connect-form [name=provider]', 'openai');
    await page.fill('#connect-form [name=name]', 'Production');
    await page.fill('#connect-form [name=apiKey]', `  ${KEY}\n`);
    await page.click('#connect-form button[type=submit]');
    await poll(() => page.textContent('#connect-result')).toContain('Connected');
    expect(await page.inputValue('#connect-form [name=apiKey]')).toBe('');
    const row = page.locator('#connections tbody tr[data-state=active]');
    await poll(() => row.count()).toBe(1);
    expect(await row.locator('.key').textContent()).toBe('••••LEAK');
    expect(await row.locator('.status').textContent()).toContain('healthy');
    await noKeyOnPage();
    await shot('1-connected');
  });

  it("a wrong key shows the provider's own message", async () => {
    await page.fill('#connect-form [name=apiKey]', 'sk-proj-wrong-key-000000000000');
    await page.click('#connect-form button[type=submit]');
    await poll(() => page.textContent('#connect-result')).toContain('Not connected');
    const text = (await page.textContent('#connect-result')) ?? '';
    expect(text).toMatch(/Provider says: .*api key/i);
    expect(text).not.toContain('sk-proj-wrong-key-000000000000');
    await shot('2-wrong-key');
  });

  it('a chat message streams a reply; the usage chart and the limit bar move', async () => {
    expect(await page.getAttribute('#usage-chart', 'data-total')).toBe('0');
    expect(await page.getAttribute('#limits [role=progressbar]', 'aria-valuenow')).toBe('0');
    app.mocks?.provider('openai').enqueue({ text: ['Streamed ', 'from ', 'the ', 'mock'], chunkDelayMs: 30 });
    await page.fill('#chat-form [name=message]', 'Hello');
    await page.click('#chat-form button[type=submit]');
    await page.waitForSelector('#chat-log .assistant[data-done=true]');
    expect(await page.textContent('#chat-log .assistant .reply')).toBe('Streamed from the mock');
    await poll(() => page.getAttribute('#usage-chart', 'data-total')).toBe('1');
    // The limit bar and the chart are drawn together; the routes table comes from its own request, in parallel.
    expect(await page.getAttribute('#limits [role=progressbar]', 'aria-valuenow')).toBe('1');
    expect(await page.locator('#usage-chart svg rect[data-series=openai]').count()).toBe(1);
    await poll(() => page.textContent('#routes tbody')).toContain('openai/gpt-4.1-mini');
    await shot('3-chat-usage');
  });

  it('per-agent model choice lists recommended models first and saves', async () => {
    const options = await page.locator('select[data-agent=support] option').allTextContents();
    const firstPlain = options.findIndex((o, i) => i > 0 && !o.startsWith('★'));
    expect(options.slice(firstPlain).some((o) => o.startsWith('★'))).toBe(false);
    await page.selectOption('#model-filters [name=provider]', 'anthropic');
    await poll(async () => (await page.locator('select[data-agent=support] option').allTextContents()).slice(1).every((o) => o.includes('anthropic'))).toBe(true);
    await page.selectOption('#model-filters [name=provider]', 'openai');
    await poll(() => page.locator('select[data-agent=support] option[value="openai:gpt-4.1-nano"]').count()).toBe(1);
    await page.selectOption('select[data-agent=support]', 'openai:gpt-4.1-nano');
    await page.locator('#agents p', { has: page.locator('select[data-agent=support]') }).locator('button').click();
    await poll(() => page.textContent('#models-result')).toContain('support uses gpt-4.1-nano');
    expect(await app.byok.connections.getPreference({ tenantId: 'org_demo', agentId: 'support' })).toEqual({ provider: 'openai', model: 'gpt-4.1-nano' });
    await shot('4-models');
  });

  it('revoking (confirmed) takes the connection out of routing', async () => {
    const id = await page.getAttribute('#connections tbody tr[data-state=active]', 'data-connection');
    await page.click('#connections tbody tr[data-state=active] button:has-text("Revoke")');
    await poll(() => page.getAttribute(`#connections tbody tr[data-connection="${id}"]`, 'data-state')).toBe('revoked');
    const plan = await app.byok.plan({ tenantId: 'org_demo', messages: [{ role: 'user', content: 'hi' }] });
    expect(plan.candidates.map((c) => c.connectionId)).not.toContain(id);
    await page.fill('#chat-form [name=message]', 'Still there?');
    await page.click('#chat-form button[type=submit]');
    await poll(() => page.locator('#chat-log p.error').count()).toBe(1);
    await shot('5-revoked');
  });

  it('no page and no network response ever contained the key', async () => {
    await noKeyOnPage();
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.filter((text) => containsCanary(text, KEY))).toEqual([]);
  });
});
