/**
 * Scenario times on the page are exact instants in the scenario's time zone (real Chromium, real
 * server): the shell carries the session's epoch and clock, so a message at T+1h of an exercise
 * that starts at 00:30 in London on the night the clocks go forward (2026-03-29, 01:00 UTC) shows
 * 02:30:00 — the wall clock people in London read then — not 01:30:00, which adding an hour to the
 * start time would give.
 */
import type { Browser } from 'playwright-core';
import { quickstartPlan } from '../server/support/harness';
import { launchChromium, startWebExercise, type WebExercise } from './support/web-harness';

const EPOCH = Date.UTC(2026, 2, 29, 0, 30);
let ex: WebExercise;
let chromium: { browser: Browser; close(): Promise<void> };

beforeAll(async () => {
  const plan = quickstartPlan();
  plan.scenario.timezone = 'Europe/London';
  plan.scenario.start = 30 * 60;
  ex = await startWebExercise({ plan, epochMs: EPOCH });
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await ex?.close();
});

it('shows a message of T+1h at 02:30:00 on the night British Summer Time starts', async () => {
  ex.append(
    [
      {
        type: 'message.delivered',
        team: 't01',
        payload: {
          inject: 'soc-call',
          from: 'soc',
          sender: 'SOC',
          subject: 'Night shift call',
          body: 'Calling at T+1h.',
          attachments: [],
        },
      },
    ],
    3600,
  );
  const context = await chromium.browser.newContext({ locale: 'en-GB', timezoneId: 'Asia/Tokyo' });
  try {
    const p = await context.newPage();
    p.setDefaultTimeout(10_000);
    await p.goto(ex.link('team', 't01'));
    await p.waitForURL('**/team');
    const boot = JSON.parse((await p.locator('#cyrange-boot').textContent()) ?? '{}');
    expect(boot).toMatchObject({ epochMs: EPOCH, timezone: 'Europe/London', clock: { status: 'created' } });
    const item = p.locator('#inbox-list li', { hasText: 'Night shift call' });
    await item.waitFor();
    // The browser sits in Tokyo: only the scenario's zone may decide what the page shows.
    expect(await item.textContent()).toContain('02:30:00');
    expect(await item.textContent()).not.toContain('01:30:00');
  } finally {
    await context.close();
  }
});
