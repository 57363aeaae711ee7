/**
 * The runner as a separate process for the crash test: `node -r ./test/engine/support/register-ts.js
 * test/engine/support/crash-child.ts DB SANDBOX SESSION...`. It creates (once) and runs each session
 * to the end, printing `ACK <session> <seq> <type> <key>` after every durably written event and
 * `CLOCK <session> <scenario seconds> <wall ms>` when it opens a session. The parent kills it.
 */
import { SandboxHostDriver } from '../../../src/engine/live/sandbox-host-driver';
import { SessionRunner } from '../../../src/engine/session/session-runner';
import { EventStore } from '../../../src/engine/store/event-store';
import { CRASH_END, CRASH_EPOCH, crashPlan } from './crash-plan';

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
    if (r.clock.status === 'created') r.start();
    process.stdout.write(`CLOCK ${id} ${r.scenarioNow()} ${Date.now()}\n`);
    return r;
  });
  await Promise.all(runners.map((r) => r.run({ untilScenario: CRASH_END, maxWallMs: 60_000 })));
  for (const r of runners) await r.stop();
  await driver.close();
  store.close();
  process.stdout.write('DONE\n');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
