/**
 * The review over HTTP and in a real browser: the instructor page shows the timelines, the
 * time-to-detect table and coverage, replays an earlier moment, saves the summary (participant
 * and instructor text stays text) and exports a self-contained HTML report; a team gets only its
 * own take-home report. Screenshot: /tmp/cyrange-review.png.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { EngineEvent } from '../../src/engine/events/event-types';
import { beaconStep, Client } from '../server/support/harness';
import { launchChromium, startWebExercise, type WebExercise } from '../web/support/web-harness';

jest.setTimeout(120_000);

const SHOTS = process.env.CYRANGE_SCREENSHOTS ?? '/tmp';
let ex: WebExercise;
let chromium: { browser: Browser; close(): Promise<void> };

const report = (team: string): EngineEvent => ({
  type: 'report.submitted',
  team,
  payload: {
    actor: 'alice',
    kind: 'incident',
    indicators: ['update-check[.]example'],
    body: JSON.stringify({
      kind: 'incident',
      to: 'management',
      title: 'C2 <img src=x onerror=alert(1)>',
      hosts: ['pc-victim'],
      indicators: ['update-check[.]example'],
      narrative: 'pc-victim beacons',
    }),
  },
});

beforeAll(async () => {
  ex = await startWebExercise();
  ex.append([{ type: 'clock.started', team: null, payload: { compression: 1 } }], 0);
  ex.append([beaconStep('t01'), beaconStep('t02')], 180);
  ex.append([report('t01')], 420);
  ex.append(
    [
      {
        type: 'team.action',
        team: 't01',
        payload: { actor: 'alice', action: 'isolate', detail: { host: 'pc-victim' } },
      },
    ],
    600,
  );
  chromium = await launchChromium();
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await ex?.close();
});

it('serves the review, its exports and the team take-home report over HTTP', async () => {
  const staff = await Client.join(ex.url, tokenOf(ex.link('evaluator')));
  const r = await staff.req('GET', '/api/review');
  expect(r.status).toBe(200);
  const t01 = r.body.teams.find((t: { team: string }) => t.team === 't01');
  expect(t01.steps.find((s: { inject: string }) => s.inject === 'beacon')).toMatchObject({
    detected: true,
    timeToDetect: 240,
  });
  const before = await staff.req('GET', '/api/review?at=300');
  expect(before.body.at).toBe(300);
  expect(before.body.coverage.find((c: { inject: string }) => c.inject === 'beacon').caught).toEqual({
    t01: false,
    t02: false,
  });
  const html = await staff.req('GET', '/api/review/export/html');
  expect(html.headers.get('content-type')).toMatch(/text\/html/);
  expect(html.body).not.toMatch(/<script|https?:\/\//);
  expect((await staff.req('GET', '/api/review/export/csv')).headers.get('content-type')).toMatch(/text\/csv/);
  const xapi = await staff.req('GET', '/api/review/export/xapi');
  expect(xapi.body[0]).toHaveProperty('verb.id');
  expect((await staff.req('GET', '/api/review/export/pdf')).status).toBe(404);
  expect((await staff.req('POST', '/api/review/summary', { objective: 'beacon' })).status).toBe(422);
  const team = await Client.join(ex.url, tokenOf(ex.link('team', 't01')));
  const own = await team.req('GET', '/api/teams/t01/review');
  expect(own.status).toBe(200);
  expect(own.body.teams.map((t: { team: string }) => t.team)).toEqual(['t01']);
  expect(JSON.stringify(own.body)).not.toMatch(/t02/);
  expect((await team.req('GET', '/api/teams/t02/review')).status).toBe(404);
  expect((await team.req('GET', '/api/review')).status).toBe(403);
});

function tokenOf(link: string): string {
  const u = new URL(link);
  return u.searchParams.get('token') ?? u.hash.replace(/^#(token=)?/, '');
}

it('shows the instructor page, replays, saves the summary as text and exports HTML', async () => {
  const context = await chromium.browser.newContext({
    viewport: { width: 1366, height: 1100 },
    locale: 'en-GB',
  });
  const p = await context.newPage();
  p.setDefaultTimeout(10_000);
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  await p.goto(ex.link('controller'));
  await p.waitForURL(/\/controller/);
  await p.goto(`${ex.url}/review`);
  await p.locator('#review-ttd').waitFor();
  expect(await p.locator('#review-coverage').textContent()).toMatch(/T1071\.001[\s\S]*caught[\s\S]*missed/);
  expect(await p.locator('#review-ttd').textContent()).toContain('4.0 min');
  expect(await p.locator('svg.lanes .mark').count()).toBeGreaterThan(4);
  // Instructor text with markup stays text.
  await p.locator('#review-notes').fill('Great <b>escalation</b>');
  await p.locator('#review-save').click();
  await p.locator('.status', { hasText: 'Saved.' }).waitFor();
  expect(await p.locator('#review-notes').inputValue()).toBe('Great <b>escalation</b>');
  expect(await p.locator('b', { hasText: 'escalation' }).count()).toBe(0);
  await p.screenshot({ path: join(SHOTS, 'cyrange-review.png'), fullPage: true });
  // Replay: the slider to T+5m shows no detection yet.
  await p.locator('#replay').fill('300');
  await p.locator('#replay').dispatchEvent('change');
  await p.locator('#replay-at', { hasText: '0:05:00' }).waitFor();
  await p.waitForFunction(() => {
    const doc = (
      globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
    ).document;
    return !(doc.querySelector('#review-coverage')?.textContent ?? 'caught').includes('✔');
  });
  const href = await p.locator('#export-html').getAttribute('href');
  expect(href).toBe('/api/review/export/html?at=300');
  const file = await p.request.get(`${ex.url}${href}`);
  const html = await file.text();
  expect(html).toContain('Great &#60;b&#62;escalation&#60;/b&#62;');
  expect(html).not.toMatch(/<script|https?:\/\//);
  // Japanese: the page re-renders in place.
  await p.locator('#lang-switch').click();
  await p.locator('h1', { hasText: '事後レビュー' }).waitFor();
  await p.screenshot({ path: join(SHOTS, 'cyrange-review-ja.png') });
  expect(errors).toEqual([]);
  await context.close();
});
