/**
 * The controller console's MSEL and adjudication queue in a real browser: the MSEL table lists
 * the quickstart's injects, firing one for a team from its row changes that team's state; a
 * report a team submits appears in the adjudication queue, and grading the debrief with a rubric
 * level changes the team's score. A screenshot goes to /tmp (CYRANGE_SCREENSHOTS to change).
 */
import { join as joinPath } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { Client, goodReport, quickstartPlanWithDebrief } from '../server/support/harness';
import { launchChromium, startWebExercise, type WebExercise } from './support/web-harness';

const SHOTS = process.env.CYRANGE_SCREENSHOTS ?? '/tmp';

let ex: WebExercise;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let controller: Page;

beforeAll(async () => {
  const plan = quickstartPlanWithDebrief([{ level: 'partial', points: 30, description: 'some gaps' }]);
  ex = await startWebExercise({ plan });
  chromium = await launchChromium();
  context = await chromium.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
  controller = await context.newPage();
  controller.setDefaultTimeout(8000);
  controller.on('pageerror', (e) => {
    throw e;
  });
}, 60_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await chromium?.close();
  await ex?.close();
});

describe('controller console: MSEL and adjudication', () => {
  it('shows the MSEL, fires an inject for one team, and grades a submitted report', async () => {
    await controller.goto(ex.link('controller'));
    await controller.waitForURL('**/controller');
    const table = controller.locator('#msel-table');
    await table.waitFor();
    for (const id of ['phish-opened', 'beacon', 'soc-call', 'spread', 'report-due'])
      await table.locator(`tr[data-inject="${id}"]`).waitFor();
    expect(await controller.locator('#msel-phish-opened-t01').getAttribute('data-state')).toBe('pending');
    await expect(controller.locator('#msel-phish-opened-t01').textContent()).resolves.toContain('next');

    await controller.getByRole('button', { name: 'Start', exact: true }).click();
    await controller.locator('#clock-status', { hasText: 'running' }).waitFor();
    await controller.locator('#msel-soc-call-t01 button[data-verb="fire"]').click();
    await controller.locator('#msel-soc-call-t01:not([data-state="pending"])').waitFor();
    expect(['fired', 'succeeded']).toContain(
      await controller.locator('#msel-soc-call-t01').getAttribute('data-state'),
    );
    // Only t01's branch moved.
    expect(await controller.locator('#msel-soc-call-t02').getAttribute('data-state')).toBe('pending');

    // A team submits a report: it appears in the queue with the debrief awaiting grading.
    const link = ex.server.createJoinLink({ role: 'team', team: 't01' });
    const team = await Client.join(ex.url, link.token);
    const posted = await team.req(
      'POST',
      '/api/teams/t01/reports',
      goodReport({ title: 'Debrief for the white cell' }),
    );
    expect(posted.status).toBe(201);
    team.disconnect();
    await controller
      .locator('#adj-team-t01 .adj-report', { hasText: 'Debrief for the white cell' })
      .waitFor();
    const row = controller.locator('#adj-t01-debrief');
    expect(await row.getAttribute('data-graded')).toBe('no');

    // A grade without a reason is refused in place; with one, the team's score moves by 60.
    await controller.click('#adj-t01-debrief-grade');
    await controller.locator('.adj-card .status.error', { hasText: 'reason' }).waitFor();
    const before = Number(await controller.locator('#adj-score-t01').textContent());
    await controller.selectOption('#adj-t01-debrief-level', 'excellent');
    await controller.fill('#adj-t01-debrief-reason', 'clear timeline');
    await controller.click('#adj-t01-debrief-grade');
    await controller.locator('#adj-t01-debrief[data-graded="yes"]').waitFor();
    await expect(controller.locator('#adj-t01-debrief').textContent()).resolves.toContain('clear timeline');
    const after = Number(await controller.locator('#adj-score-t01').textContent());
    expect(after).toBe(before + 60);

    // An override needs its reason too, then sets the expectation's points (60 → 20).
    await controller.fill('#adj-t01-debrief-points', '20');
    await controller.click('#adj-t01-debrief-override');
    await controller.locator('.adj-card .status.error', { hasText: 'reason' }).waitFor();
    await controller.fill('#adj-t01-debrief-oreason', 'timeline was copied from the SOC');
    await controller.click('#adj-t01-debrief-override');
    await controller.locator('#adj-score-t01', { hasText: String(after - 40) }).waitFor();
    await expect(controller.locator('#adj-t01-debrief').textContent()).resolves.toContain(
      'copied from the SOC',
    );

    await controller.locator('#msel-card, .msel-card').first().scrollIntoViewIfNeeded();
    await controller.screenshot({ path: joinPath(SHOTS, 'cyrange-controller-msel.png'), fullPage: true });
  }, 60_000);
});
