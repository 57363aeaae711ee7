/**
 * The web console in a real browser: Debian's Chromium (playwright-core) against a real server
 * on port 0 with a real SQLite file and a real session runner. A team member joins from a link,
 * reads an inject's message, submits a report, and a spectator's projector board moves within a
 * second; a team page never shows another team's data; participant text stays text; the
 * language switch works. Screenshots of each page go to /tmp (CYRANGE_SCREENSHOTS to change).
 */
import { join as joinPath } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beaconStep } from '../server/support/harness';
import { launchChromium, startWebExercise, type WebExercise } from './support/web-harness';

const SHOTS = process.env.CYRANGE_SCREENSHOTS ?? '/tmp';
const PHISH_EML = [
  'Return-Path: <it-support@agency-helpdesk.example>',
  'Received: from mail.agency-helpdesk.example (198.18.0.25) by mx.corp.agency.example',
  'From: "IT Support" <it-support@agency-helpdesk.example>',
  'To: alice.tanaka@corp.agency.example',
  'Subject: [Action required] Password expiry notice',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<html><body><script>window.__xss = "eml"</script><p>Open the attached form.</p></body></html>',
].join('\r\n');

/** The little of the DOM these tests read inside the page (the test tsconfig has no DOM lib). */
interface Dom {
  document: {
    querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
    documentElement: { lang: string };
  };
}

let ex: WebExercise;
let chromium: { browser: Browser; close(): Promise<void> };
const contexts: BrowserContext[] = [];

async function page(): Promise<Page> {
  const context = await chromium.browser.newContext({
    viewport: { width: 1366, height: 860 },
    locale: 'en-GB',
  });
  contexts.push(context);
  const p = await context.newPage();
  const count = { bytes: 0 };
  received.set(p, count);
  p.on('requestfinished', (r) => {
    r.sizes()
      .then((z) => {
        count.bytes += z.responseBodySize + z.responseHeadersSize;
      })
      .catch(() => undefined);
  });
  p.setDefaultTimeout(5000);
  p.on('pageerror', (e) => {
    throw e;
  });
  return p;
}

/** Bytes each page received over the wire (headers and bodies), counted from its creation. */
const received = new WeakMap<Page, { bytes: number }>();

/** What a page cost to load: bytes over the wire (shell, script, style, API) and time to its first data. */
async function firstLoad(p: Page, name: string, started: number): Promise<void> {
  const ready = Date.now() - started;
  const kib = ((received.get(p)?.bytes ?? 0) / 1024).toFixed(1);
  process.stderr.write(
    `web console: ${name}: first load ${kib} KiB over the wire, data shown in ${ready} ms\n`,
  );
}

async function joinAs(p: Page, link: string, lands: string): Promise<void> {
  await p.goto(link);
  await p.waitForURL(`**${lands}`);
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

describe('the web console', () => {
  let controller: Page;
  let team: Page;
  let board: Page;

  it('serves the shell and hashed assets with the security headers, caching and types', async () => {
    const shell = await fetch(`${ex.url}/team`);
    expect(shell.headers.get('content-type')).toMatch(/^text\/html/);
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    expect(shell.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await shell.text();
    const js = /src="(\/assets\/app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    const css = /href="(\/assets\/app-[A-Z0-9]+\.css)"/.exec(html)?.[1];
    expect(js && css).toBeTruthy();
    const script = await fetch(`${ex.url}${js}`);
    expect(script.headers.get('content-type')).toMatch(/^(application|text)\/javascript/);
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${ex.url}${css}`)).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(`${ex.url}/assets/nope.js`)).status).toBe(404);
  });

  it('lets the controller start the clock and fire an inject; the team reads it in its inbox', async () => {
    controller = await page();
    const started = Date.now();
    await joinAs(controller, ex.link('controller'), '/controller');
    await controller.locator('#event-feed .ev').first().waitFor();
    await firstLoad(controller, 'controller (via /join)', started);
    await controller.getByRole('button', { name: 'Start', exact: true }).click();
    await controller.locator('#clock-status', { hasText: 'running' }).waitFor();

    team = await page();
    const teamStarted = Date.now();
    await joinAs(team, ex.link('team', 't01'), '/team');
    await team.locator('#inbox-list', { hasText: 'No messages yet' }).waitFor();
    await firstLoad(team, 'team portal (via /join)', teamStarted);

    await controller.fill('#inject-id', 'soc-call');
    await controller.selectOption('#inject-team', 't01');
    await controller.fill('#inject-reason', 'browser test');
    await controller.getByRole('button', { name: 'Fire now' }).click();
    await controller.locator('#event-feed', { hasText: 'message.delivered' }).waitFor();

    // Pushed over socket.io: no reload.
    await team.locator('#inbox-list', { hasText: 'Suspicious periodic connections' }).waitFor();
    await team.locator('#message-reader', { hasText: 'update-check.example every' }).waitFor();
    await controller.screenshot({ path: joinPath(SHOTS, 'cyrange-controller.png'), fullPage: true });
  });

  it('shows a raw phishing mail attachment as text', async () => {
    ex.append([
      {
        type: 'message.delivered',
        team: 't01',
        payload: {
          inject: 'phish-report',
          from: 'user',
          sender: 'Alice Tanaka',
          subject: 'Fwd: strange password mail',
          body: 'I opened the attachment of this mail, then my PC got slow. The original is attached.',
          attachments: [{ name: 'original.eml', contentType: 'message/rfc822', content: PHISH_EML }],
        },
      },
    ]);
    await team.getByRole('button', { name: /Fwd: strange password mail/ }).click();
    await team.getByRole('button', { name: 'View as text' }).click();
    const raw = team.locator('pre.raw');
    await raw.waitFor();
    expect(await raw.textContent()).toContain('Return-Path: <it-support@agency-helpdesk.example>');
    expect(await raw.textContent()).toContain('<script>window.__xss = "eml"</script>');
    expect(await team.evaluate(() => (globalThis as { __xss?: string }).__xss)).toBeUndefined();
    await team.screenshot({ path: joinPath(SHOTS, 'cyrange-team.png'), fullPage: true });
  });

  it('moves the projector board within a second of a team report', async () => {
    board = await page();
    const started = Date.now();
    await joinAs(board, ex.link('spectator'), '/scoreboard');
    await board.locator('#ranking tbody tr').first().waitFor();
    await firstLoad(board, 'scoreboard (via /join)', started);
    await board.locator('#board-state', { hasText: 'Live' }).waitFor();
    ex.append([beaconStep('t01')]);
    const before = await board.locator('#ranking td.total').allTextContents();

    await team.fill('#report-title', 'Implant on pc-victim beaconing to C2');
    await team.fill('#report-hosts', 'pc-victim');
    await team.fill('#report-indicators', 'update-check.example');
    await team.fill('#report-techniques', 'T1071.001');
    await team.fill('#report-narrative', 'pc-victim calls update-check.example every 30 s; we isolated it.');
    const clicked = Date.now();
    await team.getByRole('button', { name: 'Submit report' }).click();
    await board.waitForFunction(
      (old) =>
        [...(globalThis as unknown as Dom).document.querySelectorAll('#ranking td.total')]
          .map((c) => c.textContent)
          .join() !== old,
      before.join(),
      { timeout: 1000, polling: 'raf' },
    );
    const latency = Date.now() - clicked;
    process.stderr.write(`web console: report click → projector board updated in ${latency} ms\n`);
    expect(latency).toBeLessThan(1000);
    await team.locator('#report-list', { hasText: 'Implant on pc-victim beaconing to C2' }).waitFor();
    await team.locator('.status.ok', { hasText: 'Report submitted at' }).waitFor();
    await team
      .locator('#team-score .breakdown', { hasText: 'pc-victim' })
      .or(team.locator('#team-score .breakdown'))
      .waitFor();
    await board.locator('#score-chart svg.chart path').first().waitFor({ state: 'attached' });
    await board.locator('#recent li', { hasText: 'Red Pandas' }).waitFor();
    await board.screenshot({ path: joinPath(SHOTS, 'cyrange-scoreboard.png'), fullPage: true });
  });

  it('renders an XSS attempt in a report title as text', async () => {
    const evil = '<img src=x onerror="window.__xss=1"><b>bold</b>';
    await team.fill('#report-title', evil);
    await team.getByRole('button', { name: 'Submit report' }).click();
    await team.locator('#report-list .report-title', { hasText: 'onerror' }).waitFor();
    expect(await team.locator('#report-list .report-title').first().textContent()).toBe(evil);
    expect(await team.locator('#report-list img, #report-list b').count()).toBe(0);
    expect(await team.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    // The white cell's feed shows it as text too.
    await controller.locator('#event-feed', { hasText: 'report.submitted' }).waitFor();
    expect(await controller.locator('#event-feed img').count()).toBe(0);
  });

  it("never shows another team's data on a team page", async () => {
    ex.append([
      {
        type: 'message.delivered',
        team: 't02',
        payload: {
          inject: 'soc-call',
          from: 'soc',
          sender: 'SOC',
          subject: 'SECRET-FOR-T02-ONLY',
          body: 'only t02 may read this',
          attachments: [],
        },
      },
    ]);
    const other = await page();
    const asked: string[] = [];
    other.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await joinAs(other, ex.link('team', 't02'), '/team');
    await other.locator('#inbox-list', { hasText: 'SECRET-FOR-T02-ONLY' }).waitFor();
    await other.fill('#report-title', 'T02-PRIVATE-REPORT');
    await other.getByRole('button', { name: 'Submit report' }).click();
    await other.locator('#report-list', { hasText: 'T02-PRIVATE-REPORT' }).waitFor();
    expect(asked.filter((p) => p.startsWith('/api/teams/') && !p.startsWith('/api/teams/t02/'))).toEqual([]);

    // A report being written survives a reload (kept in this browser until it is submitted).
    await team.fill('#report-narrative', 'half-written: pc-victim isolated at 10:05');
    await team.reload();
    await team.locator('#inbox-list', { hasText: 'Suspicious periodic connections' }).waitFor();
    expect(await team.inputValue('#report-narrative')).toBe('half-written: pc-victim isolated at 10:05');
    await team.locator('#report-list', { hasText: 'Implant on pc-victim' }).waitFor();
    const text = await team.locator('body').textContent();
    expect(text).not.toContain('SECRET-FOR-T02-ONLY');
    expect(text).not.toContain('T02-PRIVATE-REPORT');
    // And asking for t02's data with t01's login is refused as if t02 did not exist.
    const status = await team.evaluate(async () => (await fetch('/api/teams/t02/inbox')).status);
    expect(status).toBe(404);
  });

  it('switches between English and Japanese and keeps the choice', async () => {
    await team.locator('#inbox-h', { hasText: 'Inbox' }).waitFor();
    await team.locator('#lang-switch').focus();
    await team.keyboard.press('Enter');
    await team.locator('#inbox-h', { hasText: '受信箱' }).waitFor();
    await team.locator('#report-h', { hasText: 'インシデント報告' }).waitFor();
    expect(await team.evaluate(() => (globalThis as unknown as Dom).document.documentElement.lang)).toBe(
      'ja',
    );
    await team.reload();
    await team.locator('#inbox-h', { hasText: '受信箱' }).waitFor();
    await team.screenshot({ path: joinPath(SHOTS, 'cyrange-team-ja.png'), fullPage: true });
    await board.locator('#lang-switch').click();
    await board.locator('h1', { hasText: 'スコアボード' }).waitFor();
    await board.screenshot({ path: joinPath(SHOTS, 'cyrange-scoreboard-ja.png'), fullPage: true });
    await team.locator('#lang-switch').click();
    await team.locator('#inbox-h', { hasText: 'Inbox' }).waitFor();
  });

  it('tells someone without a login to open their join link', async () => {
    const stranger = await page();
    await stranger.goto(`${ex.url}/team`);
    await stranger
      .locator('.notice', { hasText: 'open the join link' })
      .or(stranger.locator('.notice'))
      .waitFor();
    await stranger.goto(`${ex.url}/join#not-a-real-token`);
    await stranger.locator('.notice.error', { hasText: 'Could not join' }).waitFor();
    expect(stranger.url()).toBe(`${ex.url}/join`);
    await stranger.locator('#lang-switch').click();
    await stranger.locator('.notice.error', { hasText: '参加できませんでした' }).waitFor();
    await stranger.screenshot({ path: joinPath(SHOTS, 'cyrange-join.png') });
  });
});
