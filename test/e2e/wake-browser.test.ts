import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_SLEEP_ACTOR } from '../../app/src/background.js';
import { startBot } from '../../app/src/main.js';

/**
 * Local mode answers at the environment's own URL (issue 15): Chromium opens
 * `http://<name>.localhost:<port>/` of a sleeping environment (Chromium resolves `*.localhost` to
 * the loopback address itself), sees the waking page, and — once the environment is running — the
 * page labelled "emulated". Screenshots go to test-artifacts/ for people to look at.
 * No Chromium is a failure, not a skip (see dashboard-browser.test.ts).
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let bot: Awaited<ReturnType<typeof startBot>> | undefined;
let browser: Browser | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'envbot-wake-browser-'));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get update && apt-get install -y chromium\` (or \`node scripts/ensure-setup.mjs --for-tests\`).`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  bot = await startBot({ ENVBOT_MODE: 'local', ENVBOT_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await bot?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('the environment URL in local mode (Chromium)', () => {
  it('shows the waking page of a sleeping environment, then the emulated page once it runs', async () => {
    const engine = bot!.engine;
    await engine.runText({ actor: { id: 'alice', source: 'cli' } }, 'up naptime');
    await engine.idle();
    const url = (await engine.store.get('naptime'))?.url;
    expect(url).toBe(`http://naptime.localhost:${bot!.port}/`);
    await engine.run({ actor: IDLE_SLEEP_ACTOR }, { verb: 'stop', name: 'naptime', reason: 'idle' });
    await engine.idle();

    const page = await browser!.newPage({ viewport: { width: 900, height: 600 } });
    const first = await page.goto(url!);
    expect(first?.status()).toBe(503);
    await expect(page.locator('h1').textContent()).resolves.toBe('Waking naptime');
    await page.screenshot({ path: join(ARTIFACTS, 'wake-waking-page.png'), fullPage: true });

    // The request woke it: once the emulated service is steady the same URL shows the emulated page.
    await engine.idle();
    expect((await engine.store.get('naptime'))?.status).toBe('ready');
    const second = await page.goto(url!);
    expect(second?.status()).toBe(200);
    await expect(page.locator('.tag').textContent()).resolves.toMatch(/EMULATED/);
    await expect(page.locator('h1').textContent()).resolves.toBe('naptime');
    await page.screenshot({ path: join(ARTIFACTS, 'wake-emulated-page.png'), fullPage: true });
    await page.close();
  });
});
