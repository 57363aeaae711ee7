/**
 * The runner as a separate process for the crash test: `node -r ./test/support/register-ts.js
 * test/engine/support/crash-child.ts DB SANDBOX SESSION...`. It creates (once) and runs each session
 * to the end, printing `ACK <session> <seq> <type> <key>` after every durably written event and
 * `CLOCK <session> <scenario seconds> <wall ms> <status>` when it opens a session. It also plays a
 * controller: a speed change at T+120 and a 300 ms pause at T+200. The parent kills it.
 */
import { scenarioAt } from '../../../src/engine/clock/exercise-clock';
import { SandboxHostDriver } from '../../../src/engine/live/sandbox-host-driver';
import { SessionRunner } from '../../../src/engine/session/session-runner';
import { EventStore } from '../../../src/engine/store/event-store';
import {
  CRASH_COMPRESSION,
  CRASH_END,
  CRASH_EPOCH,
  CRASH_FASTER,
  CRASH_PAUSE_AT,
  CRASH_SPEED_AT,
  crashPlan,
} from './crash-plan';

async function main(): Promise<void> {
  const [db, sandbox, ...sessions] = process.argv.slice(2);
  const store = new EventStore(db!);
  const driver = new SandboxHostDriver(sandbox!);
  const runners = sessions.map((id) => {
    if (!store.sessionPlan(id))
      SessionRunner.create(store, { id, plan: crashPlan(), scenarioEpochMs: CRASH_EPOCH });
    const r = new SessionRunner({
      store,
      session: id,
      driver,
      graceMs: 2000,
      onEvent: (e) => process.stdout.write(`ACK ${e.session} ${e.seq} ${e.type} ${e.key ?? '-'}\n`),
    });
    let pending = 0;
    for (const t of r.state.teams.values())
      for (const occs of t.occurrences.values())
        for (const o of occs.values()) if (o.status === 'fired') pending++;
    process.stdout.write(`RECOVER ${id} ${pending}\n`);
    if (r.clock.status === 'created') r.start();
    // A pause cut by a kill is ended by the next process (the controller resumes).
    if (r.clock.status === 'paused') r.resume();
    // The clock as this restarted process folds it from the log, read at a known wall time.
    const wall = Date.now();
    process.stdout.write(`CLOCK ${id} ${scenarioAt(r.clock, wall)} ${wall} ${r.clock.status}\n`);
    return r;
  });
  // The controller's moves, once per session whatever the kills: speed up at T+120, pause 300 ms at T+200.
  let paused = new Set(sessions.filter((id) => store.read(id).some((e) => e.type === 'clock.paused')));
  const control = () => {
    for (const r of runners) {
      if (r.clock.status !== 'running') continue;
      const t = r.scenarioNow();
      if (t >= CRASH_SPEED_AT && r.clock.compression === CRASH_COMPRESSION) r.setSpeed(CRASH_FASTER);
      if (t >= CRASH_PAUSE_AT && !paused.has(r.id)) {
        paused = new Set([...paused, r.id]);
        r.pause();
        setTimeout(() => r.clock.status === 'paused' && r.resume(), 300);
      }
    }
  };
  // Also at once: the clock may have passed both moves while no process was running.
  control();
  const controller = setInterval(control, 10);
  await Promise.all(runners.map((r) => r.run({ untilScenario: CRASH_END, maxWallMs: 60_000 })));
  clearInterval(controller);
  for (const r of runners) await r.stop();
  await driver.close();
  store.close();
  process.stdout.write('DONE\n');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
