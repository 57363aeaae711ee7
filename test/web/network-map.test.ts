/**
 * The network map with thousands of hosts, in a real browser (Debian's Chromium via
 * playwright-core, real server on port 0): the flagship scenario's 3,326 organisation hosts of
 * one team are drawn as a few dozen nodes that still account for every host; a group opens from
 * the keyboard into the host table; a host isolated by the team turns into its own red node.
 * Screenshot: network-map.png in CYRANGE_SCREENSHOTS (default a temporary folder).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadPlan } from '../../src/cli/load-plan';
import { launchChromium, startWebExercise, type WebExercise } from './support/web-harness';

const SHOTS = process.env.CYRANGE_SCREENSHOTS ?? join(tmpdir(), 'cyrange-exercise-day');
const AGENCY = join(__dirname, '../../scenarios/agency-apt.yaml');

let ex: WebExercise;
let chromium: { browser: Browser; close(): Promise<void> };
let team: Page;
const errors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ex = await startWebExercise({ plan: loadPlan(AGENCY, { teams: 1 }) });
  chromium = await launchChromium();
  const context = await chromium.browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'en-GB',
  });
  team = await context.newPage();
  team.setDefaultTimeout(10_000);
  team.on('pageerror', (e) => errors.push(e.message));
  // The map colours through classes: the console's Content-Security-Policy refuses inline style.
  team.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) errors.push(m.text());
  });
}, 90_000);

afterAll(async () => {
  await chromium?.close();
  await ex?.close();
});

/** Sums what the map's nodes stand for: one per host node, the count of each group node. */
async function hostsOnMap(p: Page): Promise<{ nodes: number; hosts: number }> {
  const counts = await p
    .locator('#network-map .map-group')
    .evaluateAll((els) =>
      els.map((e) =>
        Number((e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-count')),
      ),
    );
  const singles = await p.locator('#network-map .map-host').count();
  return { nodes: counts.length + singles, hosts: singles + counts.reduce((a, b) => a + b, 0) };
}

it('draws 3,326 hosts as a few dozen nodes that account for every one of them', async () => {
  await team.goto(ex.link('team', 't01'));
  await team.waitForURL('**/team');
  const started = Date.now();
  await team.goto(`${ex.url}/network`);
  await team.locator('#network-map .map-group').first().waitFor();
  process.stderr.write(`network map: drawn ${Date.now() - started} ms after navigation\n`);
  // The scenario is Japanese, and so is the page: the first entry is "all segments".
  const total = Number(await team.locator('#segments > li:first-child .count').textContent());
  expect(total).toBe(3326);
  const { nodes, hosts } = await hostsOnMap(team);
  process.stderr.write(`network map: ${hosts} hosts in ${nodes} nodes\n`);
  expect(hosts).toBe(total);
  expect(nodes).toBeLessThan(80);
  // Live hosts are nodes of their own, marked live.
  expect(await team.locator('#network-map .map-host.live').count()).toBeGreaterThan(0);
  await team.screenshot({ path: join(SHOTS, 'network-map.png') });
});

it('opens a group from the keyboard into the host table', async () => {
  const group = team.locator('#network-map .map-group').first();
  const segment = await group.getAttribute('data-segment');
  const role = await group.getAttribute('data-role');
  await group.focus();
  await team.keyboard.press('Enter');
  await team
    .locator(`#segments li[data-segment="${segment}"] button[data-role="${role}"][aria-pressed="true"]`)
    .waitFor();
  await team.locator('#host-table tbody tr').first().waitFor();
  for (const s of await team.locator('#host-table tbody tr td:nth-child(3)').allTextContents())
    expect(s).toBe(segment);
  // Tab moves on to the next node.
  await team.keyboard.press('Tab');
  expect(
    await team.evaluate(() =>
      (
        globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }
      ).document.activeElement.getAttribute('role'),
    ),
  ).toBe('button');
});

it('shows a host the team isolated as its own red node, taken out of its group', async () => {
  const group = team.locator('#network-map .map-group').first();
  const segment = await group.getAttribute('data-segment');
  const role = await group.getAttribute('data-role');
  const before = Number(await group.getAttribute('data-count'));
  const host = await team.locator('#host-table tbody tr').nth(3).getAttribute('data-host');
  const cookies = await team.context().cookies();
  const csrf = decodeURIComponent(cookies.find((c) => c.name === 'cyrange_csrf')?.value ?? '');
  const r = await team.request.post(`${ex.url}/api/teams/t01/actions`, {
    data: { action: 'host.isolate', host, reason: 'map test' },
    headers: { 'x-csrf-token': csrf },
  });
  expect(r.ok()).toBe(true);
  await team.locator(`#network-map .map-host[data-host="${host}"][data-state="isolated"]`).waitFor();
  const after = team.locator(`#network-map .map-group[data-segment="${segment}"][data-role="${role}"]`);
  expect(Number(await after.getAttribute('data-count'))).toBe(before - 1);
  expect(errors).toEqual([]);
});
