import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../app/src/main.js';

/**
 * The dashboard in a real browser (headless Chromium): bring an environment up from the command
 * box and watch it go live without reloading, Extend, Stop, Destroy through the confirmation, and
 * the same page at phone width. Screenshots go to test-artifacts/ (git-ignored) for people to look at.
 *
 * No Chromium is a failure, not a skip: this is the only proof the page works in a browser, and a
 * silently skipped proof is worse than a red one. CI installs it (see the message below).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// A valid git branch name that is also markup: it must show up as text, never as an element.
const HOSTILE_BRANCH = 'feature/<img/src=x/onerror=alert(1)>&"q"';

let bot: Awaited<ReturnType<typeof startBot>> | undefined;
let browser: Browser | undefined;
let base = '';
const dataDir = mkdtempSync(join(tmpdir(), 'envbot-dashboard-'));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}, and the dashboard browser test needs it. ` +
        'Run the CI install step: `apt-get update && apt-get install -y chromium` (or `node scripts/ensure-setup.mjs --for-tests`).',
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  // Local mode with its own emulator, so no other test file's resources are in view.
  bot = await startBot({ ENVBOT_MODE: 'local', ENVBOT_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
  base = `http://127.0.0.1:${bot.port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await bot?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

/** A page that records anything that would mean broken or injected script. */
async function openDashboard(viewport: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser!.newPage({ viewport });
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()}`));
  // The page never uses native dialogs (its confirmations are <dialog> elements): one means injected script.
  page.on('dialog', (d) => {
    problems.push(`native dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${base}/`);
  await expect.poll(() => page.locator('#live').textContent(), { timeout: 15_000 }).toBe('live');
  return { page, problems };
}

const row = (page: Page, name: string) => page.locator(`tr[data-name="${name}"]`);
const badge = (page: Page, name: string) => row(page, name).locator('.badge');

describe('the dashboard in a browser', () => {
  it('brings an environment up, shows it live, extends, stops and destroys it', async () => {
    const { page, problems } = await openDashboard({ width: 1280, height: 800 });
    expect(await page.locator('#limitations').isVisible()).toBe(true);
    expect(await page.locator('#limitations').innerText()).toContain('Schedules are stored but never fire');

    await page.fill('#cmd-text', `up web --branch '${HOSTILE_BRANCH}'`);
    await page.click('#cmd button[type=submit]');
    await expect.poll(() => page.locator('#out').textContent()).toContain('Bringing up web');
    // No reload: the event stream brings the row and its progress.
    await expect.poll(() => badge(page, 'web').textContent(), { timeout: 45_000 }).toBe('ready');
    expect(await row(page, 'web').locator('td[data-label="Status"]').innerText()).toContain('emulated — nothing is really running');
    expect(await row(page, 'web').locator('td[data-label="Branch"] code').textContent()).toBe(HOSTILE_BRANCH);
    expect(await page.locator('#envs img').count()).toBe(0);
    await expect.poll(() => page.locator('#activity').innerText(), { timeout: 10_000 }).toContain('web is ready');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    await row(page, 'web').locator('button[data-action="extend"]').click();
    await page.fill('#ask-duration', '2h');
    await page.click('#ask-ok');
    await expect.poll(() => page.locator('#out').textContent()).toContain('the auto-stop is postponed');

    await row(page, 'web').locator('button[data-action="stop"]').click();
    await expect.poll(() => badge(page, 'web').textContent(), { timeout: 30_000 }).toBe('stopped');
    await page.click('button[data-filter="stopped"]');
    expect(await row(page, 'web').isVisible()).toBe(true);
    await page.click('button[data-filter="all"]');

    await row(page, 'web').locator('button[data-action="destroy"]').click();
    expect(await page.locator('#ask-title').textContent()).toBe('Destroy web?');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-confirm.png') });
    await page.click('#ask-ok');
    await expect.poll(() => row(page, 'web').count(), { timeout: 30_000 }).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('is usable at phone width: cards, and nothing overflows sideways', async () => {
    const res = await fetch(`${base}/dashboard/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'up feature-login-page --branch feature/login-page-with-a-rather-long-branch-name' }),
    });
    expect(((await res.json()) as { kind: string }).kind).toBe('accepted');
    const { page, problems } = await openDashboard({ width: 390, height: 844 });
    await expect.poll(() => badge(page, 'feature-login-page').textContent(), { timeout: 45_000 }).toBe('ready');
    // Cards, not a table: the header row is hidden and each row is a block.
    expect(await page.locator('.envs thead').isVisible()).toBe(false);
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('dialog'))
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
      return { scrollWidth: document.documentElement.scrollWidth, width, wide };
    });
    expect(overflow.wide).toEqual([]);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.width);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
