/**
 * The whole exercise day in one real browser (Debian's Chromium via playwright-core), through the
 * product's own front door: `cyrange serve` without a FILE (setup mode, run in this process),
 * where the controller pastes the quickstart into the setup page and launches it LIVE for one
 * team: five containers (fw, proxy, dns, c2, pc-victim), real SQLite, the session runner with the
 * Docker host driver, live log collection, the response monitor and the Docker terminal backend.
 *
 * The controller starts the clock and hands out a join link from the console; a team member joins
 * from it, reads a forwarded phishing mail as raw text, searches the logs and finds the live
 * beacon, opens a shell on pc-victim and sees the implant the phishing inject really dropped
 * there, uses the network map, isolates the PC after confirming, and submits a report; the
 * projector board (another browser context) moves within a second; the instructor opens the
 * after-action review and downloads the HTML export, which must be self-contained. Every page is
 * screenshotted into CYRANGE_SCREENSHOTS (default a temporary folder; `docs/screenshots`
 * refreshes the README's pictures).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type Clients, clientsFor, connectEngine } from '../../src/range/docker/clients';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { QUICKSTART } from '../server/support/harness';
import { quickstartInBlock, type RunningSetup, runSetup } from '../server/support/setup-mode';
import { buildWeb, launchChromium } from './support/web-harness';

jest.setTimeout(120_000);

const SHOTS = process.env.CYRANGE_SCREENSHOTS ?? join(tmpdir(), 'cyrange-exercise-day');
/** This test's own address blocks (10.215.x, 198.19.215.0/24): no overlap with other live ranges. */
const BLOCK = 215;
const EXERCISE = `day-${process.pid % 100000}`;

/**
 * One manual inject added to the quickstart in the setup page's editor, as a controller would:
 * the victim forwards the original phishing mail (the quickstart itself plays it only on the host).
 */
const PHISH_FORWARD = `    - id: phish-forward
      title: Alice forwards the phishing mail
      phase: initial-access
      trigger: { manual: true }
      action:
        type: message
        from: user
        sender: Alice Tanaka
        subject: "Fwd: Password expiry notice"
        body: I opened the form in this mail and my PC got slow. The original is attached.
        attachments:
          - name: original.eml
            contentType: message/rfc822
            content: |
              Return-Path: <it-support@agency-helpdesk.example>
              Received: from mail.agency-helpdesk.example (198.18.0.25) by mx.corp.agency.example
              From: "IT Support" <it-support@agency-helpdesk.example>
              To: alice.tanaka@corp.agency.example
              Subject: [Action required] Password expiry notice
              Content-Type: text/plain; charset=utf-8

              Your password expires today. Open the attached form and enable editing to keep your account.
`;

function dayScenario(): string {
  const text = quickstartInBlock(readFileSync(QUICKSTART, 'utf8'), BLOCK);
  const at = text.indexOf('    - id: soc-call');
  if (at < 0) throw new Error('quickstart.yaml has no soc-call inject to put phish-forward before');
  return text.slice(0, at) + PHISH_FORWARD + text.slice(at);
}

const dir = mkdtempSync(join(tmpdir(), 'cyrange-day-'));
let clients: Clients;
let setup: RunningSetup;
let chromium: { browser: Browser; close(): Promise<void> };
const contexts: BrowserContext[] = [];
const errors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  buildWeb(join(dir, 'web'));
  clients = clientsFor(await connectEngine());
  setup = await runSetup(join(dir, 'exercise.db'), 0, join(dir, 'web'));
  chromium = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await chromium?.close();
  await setup?.stop();
  // Everything labelled with this exercise goes, whatever step failed.
  if (clients) await rangeDown(clients, EXERCISE).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

async function newPage(height = 860): Promise<Page> {
  const context = await chromium.browser.newContext({
    viewport: { width: 1366, height },
    locale: 'en-GB',
    acceptDownloads: true,
  });
  contexts.push(context);
  const p = await context.newPage();
  p.setDefaultTimeout(10_000);
  p.on('pageerror', (e) => errors.push(`${p.url()}: ${e.message}`));
  // The console's Content-Security-Policy allows no inline script or style: a refusal is a bug.
  p.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) errors.push(m.text());
  });
  return p;
}

const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** A join link made in the controller console's "Join links" form, read from the page. */
async function createLink(
  controller: Page,
  role: 'team' | 'spectator' | 'controller',
  label: string,
): Promise<string> {
  await controller.selectOption('#link-role', role);
  if (role === 'team') await controller.selectOption('#link-team', 't01');
  await controller.fill('#link-label', label);
  await controller.getByRole('button', { name: 'Create link' }).click();
  const created = controller.locator(`.created input[aria-label="${label}"]`);
  await created.waitFor();
  return created.inputValue();
}

/** The text xterm.js shows (its DOM renderer's rows), read in the page. */
function screenHas(p: Page, text: string, timeout: number): Promise<unknown> {
  return p.waitForFunction(
    (want) => {
      const doc = (
        globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
      ).document;
      return doc.querySelector('#terminal-screen .xterm-rows')?.textContent?.includes(want) ?? false;
    },
    text,
    { timeout },
  );
}

/** Searches until the live proxy log shows `text` (the collector polls the containers): ≤ 20 tries, ≤ 40 s. */
async function searchUntilFound(p: Page, text: string): Promise<number> {
  const until = Date.now() + 40_000;
  for (let attempt = 1; attempt <= 20 && Date.now() < until; attempt++) {
    await p.locator('[data-preset="p1h"]').click();
    const hit = p.locator('#results td', { hasText: text }).first();
    if (
      await hit.waitFor({ timeout: 2000 }).then(
        () => true,
        () => false,
      )
    )
      return attempt;
  }
  throw new Error(`the search never found ${text} within 20 tries / 40 s`);
}

describe('an exercise day in the browser', () => {
  let controller: Page;
  let team: Page;
  let board: Page;

  it('the controller launches the quickstart live from the setup page and starts the clock', async () => {
    controller = await newPage();
    await controller.goto(`${setup.url}/join#${setup.token}`);
    await controller.waitForURL('**/setup');
    await controller.locator('#setup-scenario option[value="quickstart"]').waitFor({ state: 'attached' });
    await controller.selectOption('#setup-scenario', 'quickstart');
    await controller.locator('#setup-summary tr[data-key="teams"]').waitFor();
    await controller.fill('#setup-text', dayScenario());
    await controller.check('#setup-mode-live');
    await controller.fill('#setup-teams', '1');
    await controller.fill('#setup-exercise', EXERCISE);
    await controller.click('#setup-check');
    await controller.locator('#setup-problems .status.ok').waitFor();
    await controller.locator('#setup-summary tr[data-key="containers"] td', { hasText: /^5$/ }).waitFor();
    const launched = Date.now();
    await controller.click('#setup-launch');
    await controller.waitForURL('**/controller', { timeout: 90_000 });
    process.stderr.write(`exercise day: launch → controller console in ${Date.now() - launched} ms\n`);
    const up = await clients.engine.api.listContainers({
      filters: { label: [`cyrange.exercise=${EXERCISE}`] },
    });
    expect(up.length).toBeGreaterThanOrEqual(5);

    await controller.locator('#clock-status', { hasText: 'not started' }).waitFor();
    await controller.fill('#speed', '60');
    await controller.getByRole('button', { name: 'Set speed' }).click();
    await controller.locator('#clock-status', { hasText: 'running' }).waitFor();
  });

  it('a team member joins from a link the controller made; the forwarded phishing mail reads raw', async () => {
    const teamLink = await createLink(controller, 'team', 'Aiko (t01)');
    team = await newPage();
    await team.goto(teamLink);
    await team.waitForURL('**/team');
    await team.locator('#inbox-h').waitFor();

    await controller.fill('#inject-id', 'phish-forward');
    await controller.selectOption('#inject-team', 't01');
    await controller.fill('#inject-reason', 'Alice called the help desk');
    await controller.getByRole('button', { name: 'Fire now' }).click();
    await controller.locator('#event-feed', { hasText: 'message.delivered' }).waitFor();
    await shot(controller, 'controller-msel');

    // Pushed over socket.io, no reload.
    await team.getByRole('button', { name: /Fwd: Password expiry notice/ }).click();
    await team.getByRole('button', { name: 'View as text' }).click();
    const raw = await team.locator('pre.raw').textContent();
    expect(raw).toContain('Return-Path: <it-support@agency-helpdesk.example>');
    expect(raw).toContain('Received: from mail.agency-helpdesk.example (198.18.0.25)');
  });

  it('searches the logs and finds the live beacon to the C2 domain', async () => {
    await team.getByRole('link', { name: 'Investigate' }).click();
    await team.waitForURL('**/investigate');
    await team.fill('#search-text', 'update-check.example');
    const tries = await searchUntilFound(team, 'update-check.example');
    process.stderr.write(`exercise day: the beacon showed up in the search after ${tries} search(es)\n`);
    // Slow the clock to real time: the rest of the day happens inside the detection window.
    await controller.fill('#speed', '1');
    await controller.getByRole('button', { name: 'Set speed' }).click();
    await team.locator('#results tr.ev', { hasText: 'update-check.example' }).first().click();
    await team.locator('#results pre.doc', { hasText: 'update-check.example' }).waitFor();
    expect(await team.locator('#histogram rect.bar').count()).toBeGreaterThan(0);
    await shot(team, 'investigate');
  });

  it('opens a shell on pc-victim and sees the implant the phishing inject dropped there', async () => {
    await team.getByRole('link', { name: 'Terminals' }).click();
    await team.waitForURL('**/terminal');
    await team.locator('button.host-open[data-host="pc-victim"]').click();
    await team.locator('#terminal-status.ok').waitFor({ timeout: 20_000 });
    await team.locator('#terminal-screen .xterm-helper-textarea').focus();
    await team.keyboard.type('hostname; cat /var/tmp/.updater/config.ini\n');
    await screenHas(team, 'c2=http://update-check.example/', 15_000);
    await team.screenshot({ path: join(SHOTS, 'terminal.png') });
  });

  it('opens a group and a host from the network map, isolates pc-victim after confirming', async () => {
    await team.getByRole('link', { name: 'Network' }).click();
    await team.waitForURL('**/network');
    // The map: the simulated workstations are one counted node; from the keyboard it lists them.
    const workstations = team.locator(
      '#network-map g.map-group[data-segment="staff"][data-role="workstation"]',
    );
    expect(await workstations.getAttribute('data-count')).toBe('138');
    await workstations.focus();
    await team.keyboard.press('Enter');
    await team.locator('#host-table tbody tr').first().waitFor();
    for (const seg of await team.locator('#host-table tbody tr td:nth-child(3)').allTextContents())
      expect(seg).toBe('staff');
    await team.fill('#host-q', 'pc-victim');
    await team.press('#host-q', 'Enter');
    await team.locator('#host-table tbody tr').nth(1).waitFor({ state: 'detached' });
    // The live PC is a node of its own; clicking it opens its detail.
    const victim = team.locator('#network-map g.map-host[data-host="pc-victim"]');
    expect(await victim.getAttribute('data-state')).toBe('up');
    await victim.click();
    await team.locator('#host-detail h2', { hasText: 'pc-victim' }).waitFor();
    await shot(team, 'network');
    await team.selectOption('#host-detail #action-name', 'host.isolate');
    await team.fill('#host-detail #action-reason', 'beaconing to update-check.example');
    await team.click('#host-detail #action-review');
    await team.locator('#action-confirmation', { hasText: 'Isolate host pc-victim' }).waitFor();
    await shot(team, 'respond-confirm');
    await team.click('#action-confirm');
    await team
      .locator('#action-result.ok', { hasText: 'Isolate host pc-victim' })
      .waitFor({ timeout: 30_000 });
    await team.locator('#host-detail h2 [data-state="isolated"]').waitFor();
    await team.locator('#network-map g.map-host[data-host="pc-victim"][data-state="isolated"]').waitFor();
    await team.getByRole('link', { name: 'Respond' }).click();
    await team.waitForURL('**/respond');
    await team.locator('#action-list tr', { hasText: 'Isolate host pc-victim' }).waitFor();
    await shot(team, 'respond');
  });

  it('submits a report; the projector board moves within a second', async () => {
    board = await newPage();
    await board.goto(await createLink(controller, 'spectator', 'projector'));
    await board.waitForURL('**/scoreboard');
    await board.locator('#board-state', { hasText: 'Live' }).waitFor();
    await board.locator('#ranking tbody tr').first().waitFor();
    const before = (await board.locator('#ranking td.total').allTextContents()).join();

    await team.getByRole('link', { name: 'Team portal' }).click();
    await team.waitForURL('**/team');
    await team.fill('#report-title', 'Implant on pc-victim beaconing to C2');
    await team.fill('#report-hosts', 'pc-victim');
    await team.fill('#report-indicators', 'update-check.example');
    await team.fill('#report-techniques', 'T1071.001');
    await team.fill('#report-narrative', 'pc-victim calls update-check.example through the proxy; isolated.');
    const clicked = Date.now();
    await team.getByRole('button', { name: 'Submit report' }).click();
    await board.waitForFunction(
      (old) =>
        [
          ...(
            globalThis as unknown as {
              document: { querySelectorAll(s: string): Iterable<{ textContent: string | null }> };
            }
          ).document.querySelectorAll('#ranking td.total'),
        ]
          .map((c) => c.textContent)
          .join() !== old,
      before,
      { timeout: 1000, polling: 'raf' },
    );
    const moved = Date.now();
    const latency = moved - clicked;
    // The scoring event itself: when the scorer's `score.changed` was committed (from the log).
    const feed = (await controller.evaluate(() =>
      fetch('/api/teams/t01/events?after=0&limit=500').then((r) => r.json()),
    )) as { events: { type: string; wallTime: number }[] };
    const scored = feed.events.find((e) => e.type === 'score.changed' && e.wallTime >= clicked);
    expect(scored).toBeDefined();
    process.stderr.write(
      `exercise day: report click → projector board moved in ${latency} ms ` +
        `(${moved - (scored?.wallTime ?? clicked)} ms after the score.changed commit)\n`,
    );
    expect(latency).toBeLessThan(1000);
    await board.locator('#recent li', { hasText: 'Red Pandas' }).waitFor();
    await shot(board, 'scoreboard');

    await team.locator('#report-list', { hasText: 'Implant on pc-victim beaconing to C2' }).waitFor();
    await team.getByRole('button', { name: /Fwd: Password expiry notice/ }).click();
    await team.getByRole('button', { name: 'View as text' }).click();
    await team.locator('pre.raw').waitFor();
    await shot(team, 'team');
    await team.locator('#lang-switch').click();
    await team.locator('#inbox-h', { hasText: '受信箱' }).waitFor();
    await shot(team, 'team-ja');
    await team.locator('#lang-switch').click();
    await team.locator('#inbox-h', { hasText: 'Inbox' }).waitFor();
  });

  it('the instructor opens the review timeline and downloads a self-contained HTML export', async () => {
    const instructor = await newPage(1100);
    await instructor.goto(await createLink(controller, 'controller', 'instructor'));
    await instructor.waitForURL('**/controller');
    await instructor.getByRole('link', { name: 'Review' }).click();
    await instructor.waitForURL('**/review');
    await instructor.locator('#review-ttd').waitFor();
    await instructor.locator('svg.lanes .mark').first().waitFor();
    await shot(instructor, 'review');
    const [download] = await Promise.all([
      instructor.waitForEvent('download'),
      instructor.locator('#export-html').click(),
    ]);
    const file = join(dir, 'review.html');
    await download.saveAs(file);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    // Self-contained: nothing it would fetch, nothing it would run.
    expect(html).not.toMatch(/https?:\/\/|<script|<link|\bsrc=/i);
    // The team's day, in order: the forwarded mail, the isolation, the report and its points.
    const timeline = html.slice(html.indexOf('<h2>Timelines</h2>'));
    const order = [
      'Red Pandas — 100 points',
      'Message from Alice Tanaka: Fwd: Password expiry notice',
      'Attack step: Implant beacons to C2 through the proxy',
      'Action host.isolate',
      'Report (incident) submitted',
      '+100: detection',
    ].map((s) => timeline.indexOf(s));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(errors).toEqual([]);
  });
});
