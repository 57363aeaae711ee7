/**
 * A scenario that asks for anonymous names: the projector shows `Team A`, `Team B`… and never a
 * real team name, while the white cell's own board keeps the real names.
 */
import type { Browser } from 'playwright-core';
import { quickstartPlan } from '../server/support/harness';
import { launchChromium, startWebExercise, type WebExercise } from './support/web-harness';

let ex: WebExercise;
let chromium: { browser: Browser; close(): Promise<void> };

beforeAll(async () => {
  const plan = quickstartPlan();
  plan.scoring.anonymise = true;
  ex = await startWebExercise({ plan });
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await ex?.close();
});

it('shows anonymous names on the public board and real ones to the white cell', async () => {
  const spectator = await chromium.browser.newContext();
  const staff = await chromium.browser.newContext();
  try {
    const board = await spectator.newPage();
    await board.goto(ex.link('spectator'));
    await board.waitForURL('**/scoreboard');
    await board.locator('#ranking tbody tr').nth(1).waitFor();
    const names = await board.locator('#ranking td.name').allTextContents();
    expect([...names].sort()).toEqual(['Team A', 'Team B']);
    const text = await board.locator('body').textContent();
    expect(text).not.toContain('Red Pandas');
    expect(text).not.toContain('Blue Herons');

    const white = await staff.newPage();
    await white.goto(ex.link('evaluator'));
    await white.waitForURL('**/controller');
    await white.goto(`${ex.url}/scoreboard`);
    await white.locator('#ranking tbody tr').nth(1).waitFor();
    expect([...(await white.locator('#ranking td.name').allTextContents())].sort()).toEqual([
      'Blue Herons',
      'Red Pandas',
    ]);
  } finally {
    await spectator.close();
    await staff.close();
  }
});
