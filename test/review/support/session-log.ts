/**
 * A real session log for the review tests: the quickstart with two teams, run by a SessionRunner
 * at 3000× into a temporary SQLite database. Team t01 reports the C2 (a detection), isolates the
 * victim's PC and sends the incident report; team t02 does nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlan } from '../../../src/cli/load-plan';
import type { Plan } from '../../../src/compiler/plan';
import type { StoredEvent } from '../../../src/engine/events/event-types';
import { SandboxHostDriver } from '../../../src/engine/live/sandbox-host-driver';
import { SessionRunner } from '../../../src/engine/session/session-runner';
import { EventStore } from '../../../src/engine/store/event-store';

export const QUICKSTART = join(__dirname, '../../../scenarios/quickstart.yaml');
export const SESSION = 'review-session';

export interface SessionLog {
  plan: Plan;
  events: StoredEvent[];
  /** Scenario seconds of t01's report naming the C2. */
  reportedAt: number;
}

const report = (extra: Record<string, unknown>) =>
  JSON.stringify({
    kind: 'incident',
    to: 'management',
    title: 'Implant on pc-victim beaconing to <b>C2</b>',
    hosts: ['pc-victim'],
    indicators: ['update-check[.]example'],
    techniques: ['T1071.001'],
    timeline: [{ at: '10:03', text: 'beacon seen in proxy log' }],
    narrative: 'The PC pc-victim beacons every 30 s; we isolated it. <script>alert(1)</script>',
    ...extra,
  });

export async function runQuickstart(): Promise<SessionLog> {
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-review-'));
  const store = new EventStore(join(dir, 'exercise.db'));
  const driver = new SandboxHostDriver(join(dir, 'sandbox'));
  try {
    const plan = loadPlan(QUICKSTART, { fidelity: 'simulated', teams: 2 });
    SessionRunner.create(store, {
      id: SESSION,
      plan,
      scenarioEpochMs: Date.UTC(2026, 0, 5, 1),
      compression: 3000,
    });
    const runner = new SessionRunner({ store, session: SESSION, driver, maxSleepMs: 20 });
    runner.start();
    await runner.run({ untilScenario: 6 * 60, maxWallMs: 20_000 });
    const [r] = runner.record([
      {
        type: 'report.submitted',
        team: 't01',
        payload: {
          actor: 'a.mori',
          kind: 'incident',
          body: report({}),
          indicators: ['update-check[.]example'],
        },
      },
    ]);
    await runner.run({ untilScenario: 16 * 60, maxWallMs: 20_000 });
    runner.record([
      {
        type: 'team.action',
        team: 't01',
        payload: { actor: 'a.mori', action: 'isolate', detail: { host: 'pc-victim' } },
      },
    ]);
    await runner.run({ untilScenario: 22 * 60, maxWallMs: 20_000 });
    runner.record([
      {
        type: 'report.submitted',
        team: 't01',
        payload: {
          actor: 'a.mori',
          kind: 'incident',
          body: report({}),
          indicators: ['update-check[.]example'],
        },
      },
    ]);
    await runner.run({ untilScenario: plan.scenario.duration, maxWallMs: 20_000 });
    await runner.stop();
    await runner.close();
    const events = store.read(SESSION);
    return { plan: runner.plan, events, reportedAt: r!.scenarioTime };
  } finally {
    await driver.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
