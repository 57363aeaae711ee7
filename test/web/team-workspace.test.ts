/**
 * The team workspace in a real browser (Debian's Chromium via playwright-core, real server on
 * port 0): the Investigate page finds the quickstart's C2 domain once the beacon fires, with a
 * histogram of matches; the Network page lists segments and opens a host; the Respond flow asks
 * for confirmation before isolating a host, then shows the result and the host's new state.
 * Screenshots go to /tmp (CYRANGE_SCREENSHOTS to change).
 */
import { join as joinPath } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, startWebExercise, type WebExercise } from './support/web-harness';

const SHOTS = process.env.CYRANGE_SCREENSHOTS ?? '/tmp';

let ex: WebExercise;
let chromium: { browser: Browser; close(): Promise<void> };
const contexts: BrowserContext[] = [];
const errors: Error[] = [];

async function page(): Promise<Page> {
  const context = await chromium.browser.newContext({
    viewport: { width: 1366, height: 860 },
    locale: 'en-GB',
  });
  contexts.push(context);
  const p = await context.newPage();
  p.setDefaultTimeout(8000);
  p.on('pageerror', (e) => errors.push(e));
  return p;
}

async function joinAs(p: Page, link: string, lands: string): Promise<void> {
  await p.goto(link);
  await p.waitForURL(`**${lands}`);
}

/** A controller's write from the browser's own cookies (CSRF token echoed, as the console does). */
async function controllerPost(p: Page, path: string, body: unknown): Promise<number> {
  const cookies = await p.context().cookies();
  const csrf = cookies.find((c) => c.name === 'cyrange_csrf')?.value ?? '';
  const r = await p.request.post(`${ex.url}${path}`, {
    data: body,
    headers: { 'x-csrf-token': decodeURIComponent(csrf) },
  });
  return r.status();
}

beforeAll(async () => {
  ex = await startWebExercise();
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await chromium?.close();
  await ex?.close();
});

describe('the team workspace', () => {
  let team: Page;

  it('searches the logs: finds the C2 domain after the beacon fires, with a histogram', async () => {
    const controller = await page();
    await joinAs(controller, ex.link('controller'), '/controller');
    expect(await controllerPost(controller, '/api/exercise/clock', { action: 'start' })).toBe(200);
    expect(await controllerPost(controller, '/api/exercise/clock', { action: 'speed', speed: 240 })).toBe(
      200,
    );

    team = await page();
    await joinAs(team, ex.link('team', 't01'), '/team');
    await team.getByRole('link', { name: 'Investigate' }).click();
    await team.waitForURL('**/investigate');
    // The beacon's alert arrives live over the socket.
    await team.locator('#alert-list li[data-alert]').first().waitFor({ timeout: 25_000 });
    expect(await controllerPost(controller, '/api/exercise/clock', { action: 'speed', speed: 1 })).toBe(200);

    await team.fill('#search-text', 'update-check.example');
    await team.locator('[data-preset="p1h"]').click();
    await team
      .locator('#results td', { hasText: 'update-check.example' })
      .first()
      .waitFor({ timeout: 15_000 });
    expect(await team.locator('#histogram rect.bar').count()).toBeGreaterThan(0);
    // Expanding an event shows it whole, as text.
    await team.locator('#results tr.ev').first().click();
    await team.locator('#results pre.doc', { hasText: 'update-check.example' }).waitFor();
    // A field filter narrows the search.
    await team.selectOption('#filter-field', 'host.name');
    await team.fill('#filter-value', 'pc-victim');
    await team.click('#add-filter');
    await team.locator('#active-filters [data-filter="host.name"]').waitFor();
    await team.locator('#results td', { hasText: 'pc-victim' }).first().waitFor({ timeout: 15_000 });
    await team.screenshot({ path: joinPath(SHOTS, 'cyrange-investigate.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 90_000);
  it('shows the network by segment and role with counts, and opens a host with its detail', async () => {
    await team.getByRole('link', { name: 'Network' }).click();
    await team.waitForURL('**/network');
    await team.locator('#segments li[data-segment]').first().waitFor();
    const segment = await team.locator('#segments li[data-segment]').first().getAttribute('data-segment');
    await team.locator(`#segments li[data-segment="${segment}"] button.seg-head`).click();
    await team.locator('#host-table tbody tr').first().waitFor();
    for (const s of await team.locator('#host-table tbody tr td:nth-child(3)').allTextContents())
      expect(s).toBe(segment);
    await team.locator('[data-segment] .count').first().waitFor();

    await team.locator('#segments button', { hasText: 'All segments' }).click();
    await team.fill('#host-q', 'pc-victim');
    await team.press('#host-q', 'Enter');
    await team.locator('#host-table tr[data-host="pc-victim"]').click();
    await team.locator('#host-detail h2', { hasText: 'pc-victim' }).waitFor();
    await team.locator('#host-detail [data-state="up"]').waitFor();
    await team.locator('#host-activity tr').first().waitFor();
    await team.screenshot({ path: joinPath(SHOTS, 'cyrange-network.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('asks for confirmation before isolating a host, then shows the result and the new state', async () => {
    await team.selectOption('#host-detail #action-name', 'host.isolate');
    await team.fill('#host-detail #action-reason', 'beaconing to update-check.example');
    await team.click('#host-detail #action-review');
    await team.locator('#action-confirmation', { hasText: 'Isolate host pc-victim' }).waitFor();
    // Nothing happens before the confirmation.
    const before = await team.request.get(`${ex.url}/api/teams/t01/actions`);
    expect(((await before.json()) as { actions: unknown[] }).actions).toHaveLength(0);
    await team.screenshot({ path: joinPath(SHOTS, 'cyrange-respond-confirm.png'), fullPage: true });
    await team.click('#action-confirm');
    await team
      .locator('#action-result.ok', { hasText: 'Isolate host pc-victim' })
      .waitFor({ timeout: 15_000 });
    await team.locator('#host-detail h2 [data-state="isolated"]').waitFor();
    await team.locator('#host-table tr[data-host="pc-victim"] [data-state="isolated"]').waitFor();
    await team.screenshot({ path: joinPath(SHOTS, 'cyrange-respond-result.png'), fullPage: true });

    // The Respond page lists the team's actions.
    await team.getByRole('link', { name: 'Respond' }).click();
    await team.waitForURL('**/respond');
    await team.locator('#action-list tr', { hasText: 'Isolate host pc-victim' }).waitFor();
    await team.screenshot({ path: joinPath(SHOTS, 'cyrange-respond.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
