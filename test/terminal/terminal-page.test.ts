/**
 * The terminal page in a real browser (Debian's Chromium via playwright-core) against a real live
 * range: a team member opens a shell on the team's workstation, types a command in xterm.js and
 * sees its output; after a reload the scrollback is back. Screenshot: /tmp/cyrange-terminal.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildWeb, launchChromium } from '../web/support/web-harness';
import { startTerminalRange, type TerminalRange } from './support/terminal-range';

jest.setTimeout(120_000);

const SHOTS = process.env.CYRANGE_SCREENSHOTS ?? '/tmp';
const dir = mkdtempSync(join(tmpdir(), 'cyrange-terminal-web-'));
let range: TerminalRange;
let chromium: { browser: Browser; close(): Promise<void> };

beforeAll(async () => {
  buildWeb(join(dir, 'web'));
  range = await startTerminalRange({ webRoot: join(dir, 'web') });
  chromium = await launchChromium();
}, 300_000);

afterAll(async () => {
  await chromium?.close();
  await range?.close();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

/** The text xterm.js shows (its DOM renderer's rows). */
const screenText = (p: Page) => p.locator('#terminal-screen .xterm-rows').textContent();

it('types a command in the xterm page and sees the output, then the scrollback after a reload', async () => {
  const context = await chromium.browser.newContext({
    viewport: { width: 1366, height: 860 },
    locale: 'en-GB',
  });
  const p = await context.newPage();
  p.setDefaultTimeout(10_000);
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const link = range.server.createJoinLink({ role: 'team', team: 't01', label: 'Aiko' }).url;
  await p.goto(link);
  await p.waitForURL(/\/team/);
  await p.goto(`${range.server.url}/terminal`);
  await p.locator('button.host-open[data-host="pc-01"]').click();
  await p.locator('#terminal-status.ok').waitFor();
  await p.locator('#terminal-screen .xterm-helper-textarea').focus();
  await p.keyboard.type('echo "web-$((40+2))"; id -un; hostname\n');
  await p.waitForFunction(() => {
    const rows = (
      globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
    ).document.querySelector('#terminal-screen .xterm-rows');
    return rows?.textContent?.includes('web-42') ?? false;
  });
  expect(await screenText(p)).toMatch(/web-42\s*root/);
  await p.screenshot({ path: join(SHOTS, 'cyrange-terminal.png') });

  // A reload re-attaches the open terminal with its scrollback.
  await p.reload();
  await p.locator('#terminal-status.ok').waitFor();
  await p.waitForFunction(() => {
    const rows = (
      globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
    ).document.querySelector('#terminal-screen .xterm-rows');
    return rows?.textContent?.includes('web-42') ?? false;
  });
  // No CSP violation or script error on the page (xterm's styles go through CSSOM).
  expect(errors.filter((e) => !/favicon|status of 404/.test(e))).toEqual([]);
  await context.close();
});
