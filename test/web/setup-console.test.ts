/**
 * The setup page in a real browser against `cyrange serve` without a FILE (run in this process,
 * real SQLite, real loader): the controller opens the printed link, loads the shipped
 * quickstart, sees an injected error at its line of the editor with its message, fixes it, reads
 * the plan summary, launches in simulated mode, and lands — logged in, without re-joining — on
 * the controller console of the new exercise; then a live launch of quickstart (1 team, 5 live
 * hosts) shows its progress and is torn down from the console's confirmation dialog.
 * Screenshot: docs/screenshots/controller-setup.png.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { clientsFor, connectEngine } from '../../src/range/docker/clients';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { QUICKSTART } from '../server/support/harness';
import { quickstartInBlock, type RunningSetup, runSetup } from '../server/support/setup-mode';
import { buildWeb, launchChromium } from './support/web-harness';

const SHOT = join(__dirname, '../../docs/screenshots/controller-setup.png');
const TEXT = readFileSync(QUICKSTART, 'utf8');

let dir: string;
let setup: RunningSetup;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let page: Page;
const errors: Error[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cyrange-setup-web-'));
  buildWeb(join(dir, 'web'));
  setup = await runSetup(join(dir, 'x.db'), 0, join(dir, 'web'));
  chromium = await launchChromium();
  context = await chromium.browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-GB' });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => errors.push(e));
}, 90_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await chromium?.close();
  await setup?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('loads quickstart, shows an error in place, launches simulated and lands on the console', async () => {
  await page.goto(`${setup.url}/join#${setup.token}`);
  await page.waitForURL('**/setup');
  await page.locator('#setup-scenario option[value="quickstart"]').waitFor({ state: 'attached' });
  await page.selectOption('#setup-scenario', 'quickstart');
  await page.locator('#setup-summary tr[data-key="teams"]').waitFor();
  expect(await page.inputValue('#setup-text')).toBe(TEXT);
  expect(await page.locator('#setup-summary tr[data-key="simulated"] td').textContent()).toBe('144');

  // An error typed into the editor is shown at its line, with the loader's message.
  const line = TEXT.split('\n').indexOf('  duration: 30m') + 1;
  await page.fill('#setup-text', TEXT.replace('  duration: 30m', '  duration: soon'));
  await page.click('#setup-check');
  const note = page.locator(`.diag-note[data-line="${line}"]`);
  await note.waitFor();
  expect(await note.textContent()).toContain(`line ${line}:13`);
  expect(await note.textContent()).toContain('`soon` is not valid in `metadata.duration`');
  expect(await page.locator('.gutter .ln.bad').allTextContents()).toEqual([String(line)]);
  expect(await page.locator('#setup-problems').textContent()).toContain('Problems found: 1');
  // Declared parameters are offered with their values; a choice writes `key=value`.
  expect(await page.locator('#setup-param-level option').allTextContents()).toEqual(['A', 'B', 'C']);
  await page.selectOption('#setup-param-level', 'A');
  expect(await page.inputValue('#setup-set')).toBe('level=A');
  await page.fill('#setup-set', 'level=A speed=600');
  expect(await page.inputValue('#setup-param-speed')).toBe('600');
  await page.fill('#setup-teams', '3');
  await page.screenshot({ path: SHOT, fullPage: false });

  // Fixed: no problem, and the plan summary reflects the choices.
  await page.fill('#setup-text', TEXT);
  await page.click('#setup-check');
  await page.locator('#setup-problems .status.ok').waitFor();
  expect(await page.locator('.diag-note').count()).toBe(0);
  await page.locator('#setup-summary tr[data-key="teams"] td', { hasText: '3:' }).waitFor();
  expect(await page.locator('#setup-summary tr[data-key="params"] td').textContent()).toBe(
    'level=A speed=600',
  );

  await page.click('#setup-launch');
  await page.waitForURL('**/controller', { timeout: 20_000 });
  await page.locator('#clock-status', { hasText: 'not started' }).waitFor();
  const me = (await page.evaluate(() => fetch('/api/me').then((r) => r.json()))) as {
    role: string;
    session: string;
  };
  expect(me).toMatchObject({ role: 'controller' });
  expect(me.session).toMatch(/^quickstart-\d{8}T\d{6}$/);
  expect(setup.lines.join('\n')).toContain(`launched session ${me.session}`);
  // The console of a simulated exercise offers the teardown, which says there is nothing to remove.
  await page.click('#teardown-open');
  await page.fill('#teardown-confirm-id', 'quickstart');
  await page.click('#teardown-go');
  await page.locator('#teardown-status.error', { hasText: 'no live range' }).waitFor();
  expect(errors).toEqual([]);
}, 60_000);

it('launches quickstart live with progress on the page, then tears the range down from the console', async () => {
  const exercise = `setup-web-${process.pid % 100000}`;
  const live = await runSetup(join(dir, 'live.db'), 0, join(dir, 'web'));
  const ctx = await chromium.browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-GB' });
  try {
    const p = await ctx.newPage();
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (e) => errors.push(e));
    const log: string[] = [];
    await p.exposeFunction('recordSetupLine', (line: string) => log.push(line));
    await p.goto(`${live.url}/join#${live.token}`);
    await p.waitForURL('**/setup');
    await p.locator('#setup-scenario option[value="quickstart"]').waitFor({ state: 'attached' });
    await p.selectOption('#setup-scenario', 'quickstart');
    await p.locator('#setup-summary tr[data-key="teams"]').waitFor();
    // Its own address blocks, so this range overlaps no other range on the shared engine.
    await p.fill('#setup-text', quickstartInBlock(TEXT, 214));
    await p.check('#setup-mode-live');
    await p.fill('#setup-teams', '1');
    await p.fill('#setup-exercise', exercise);
    await p.click('#setup-check');
    await p.locator('#setup-summary tr[data-key="containers"] td', { hasText: /^5$/ }).waitFor();
    // Every line the progress log shows, recorded as it appears (the page moves on when ready).
    await p.evaluate(`new MutationObserver((changes) => {
      for (const c of changes) for (const n of c.addedNodes) window.recordSetupLine(n.textContent);
    }).observe(document.getElementById('setup-log'), { childList: true })`);
    await p.click('#setup-launch');
    await p.locator('#setup-progress').waitFor();
    await p.waitForURL('**/controller', { timeout: 60_000 });
    expect(log[0]).toMatch(/^scenario quickstart saved as launch 1$/);
    expect(log.some((l) => /^image \S+: (cached|built)/.test(l))).toBe(true);
    expect(log.filter((l) => / ready$/.test(l) && l.startsWith('host '))).toHaveLength(5);
    expect(log[log.length - 1]).toMatch(/^session quickstart-\S+ ready$/);

    await p.click('#teardown-open');
    await p.fill('#teardown-confirm-id', exercise);
    await p.click('#teardown-go');
    const done = p.locator('#teardown-status.ok');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toMatch(
      new RegExp(`^Removed [5-9] containers, \\d+ networks and \\d+ volumes of ${exercise} in [\\d.]+ s\\.$`),
    );
    const clients = clientsFor(await connectEngine());
    const left = await clients.engine.api.listContainers({
      all: true,
      filters: { label: [`cyrange.exercise=${exercise}`] },
    });
    expect(left).toHaveLength(0);
  } finally {
    await ctx.close().catch(() => undefined);
    await live.stop();
    await rangeDown(clientsFor(await connectEngine()), exercise).catch(() => undefined);
  }
  expect(errors).toEqual([]);
}, 90_000);
