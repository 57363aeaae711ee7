import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scenarioAt } from '../../src/engine/clock/exercise-clock';
import { isEvent } from '../../src/engine/events/event-types';
import { applyEvent, emptySession } from '../../src/engine/state/session-state';
import { EventStore } from '../../src/engine/store/event-store';
import { CRASH_ONE_SHOTS, crashPlan } from './support/crash-plan';
import { firingCounts } from './support/firing-counts';
import { tempDir } from './support/temp-dir';

/**
 * Kill -9 the runner at random moments, many times, restart it, and check the log: every event
 * the runner acknowledged is there, no occurrence was decided twice, every one-shot inject fired
 * exactly once per team with one outcome, and the clock resumed where it would have been.
 */

const ROOT = resolve(__dirname, '../..');
const KILLS = 15;
const SESSIONS = ['crash-a', 'crash-b'];

interface ChildRun {
  acks: { session: string; seq: number; type: string; key: string }[];
  clocks: { session: string; scenario: number; wall: number }[];
  /** Firings found decided but without an outcome when the runner opened (finished by recovery). */
  recovered: number;
  done: boolean;
}

function runChild(db: string, sandbox: string, killAfterMs: number | undefined): Promise<ChildRun> {
  return new Promise((done, fail) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['-r', './test/support/register-ts.js', 'test/engine/support/crash-child.ts', db, sandbox, ...SESSIONS],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const run: ChildRun = { acks: [], clocks: [], recovered: 0, done: false };
    let buf = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines) {
        const [tag, a, b, c, d2] = line.split(' ');
        if (tag === 'ACK') run.acks.push({ session: a!, seq: Number(b), type: c!, key: d2! });
        else if (tag === 'CLOCK' && d2 === 'running')
          run.clocks.push({ session: a!, scenario: Number(b), wall: Number(c) });
        else if (tag === 'RECOVER') run.recovered += Number(b);
        else if (tag === 'DONE') run.done = true;
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const killer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    // Every child is bounded in time, killed or not.
    const bound = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(bound);
      if (killer) clearTimeout(killer);
      if (signal !== 'SIGKILL' && code !== 0) fail(new Error(`runner exited ${code}: ${err}`));
      else done(run);
    });
  });
}

describe('crash and resume', () => {
  it(`loses nothing acknowledged and fires nothing twice across ${KILLS} kill -9s`, async () => {
    const dir = tempDir('crash');
    try {
      const db = join(dir.path, 'events.db');
      const sandbox = join(dir.path, 'sandbox');
      const runs: ChildRun[] = [];
      // Kill moments spread over startup, steady firing and the end; a fixed LCG keeps them reproducible.
      let seed = 12345;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed / 0x7fffffff;
      };
      for (let k = 0; k < KILLS; k++) runs.push(await runChild(db, sandbox, 250 + Math.floor(rand() * 900)));
      const final = await runChild(db, sandbox, undefined);
      runs.push(final);
      expect(final.done).toBe(true);

      const store = new EventStore(db);
      try {
        for (const session of SESSIONS) {
          const log = store.read(session);
          // 1. Every acknowledged event is in the log, with the same seq, type and key.
          const bySeq = new Map(log.map((e) => [e.seq, e]));
          const acks = runs.flatMap((r) => r.acks).filter((a) => a.session === session);
          expect(acks.length).toBeGreaterThan(0);
          for (const a of acks) {
            const e = bySeq.get(a.seq);
            expect(e && `${e.type} ${e.key ?? '-'}`).toBe(`${a.type} ${a.key}`);
          }
          // 2. One decision per occurrence; 3. every one-shot fired once per team with one outcome.
          const { decided, outcomes } = firingCounts(log);
          expect([...decided.values()].every((n) => n === 1)).toBe(true);
          const plan = crashPlan();
          for (const t of plan.teams) {
            for (let i = 0; i < CRASH_ONE_SHOTS; i++) {
              const k = `${t.id}/step-${i}/0`;
              expect([k, decided.get(k)]).toEqual([k, 1]);
              expect([k, outcomes.get(k)]).toEqual([k, 1]);
              const fired = log.find(
                (e) => isEvent(e, 'inject.fired') && e.team === t.id && e.payload.inject === `step-${i}`,
              );
              expect(
                fired && isEvent(fired, 'inject.fired') && fired.scenarioTime >= fired.payload.scheduledAt,
              ).toBe(true);
              if (i % 10 === 0)
                expect(existsSync(join(sandbox, t.id, 'web01', 'drop', `step-${i}.txt`))).toBe(true);
            }
          }
          // Exactly one message per fired message inject (effects re-executed after a crash are not doubled).
          const messageInjects = new Set(
            plan.injects.filter((x) => x.action.type === 'message').map((x) => x.id),
          );
          const firedMessages = log.filter(
            (e) => isEvent(e, 'inject.fired') && messageInjects.has(e.payload.inject),
          );
          expect(log.filter((e) => e.type === 'message.delivered')).toHaveLength(firedMessages.length);
          // 4. The clock: every event's scenario time is the reading, at its wall time, of the clock
          //    folded from the clock events before it (start, speed change, pause, resume, stop) —
          //    and every restart resumed the clock there (it runs on while the orchestrator is down).
          const clockAt = (wall: number, beforeSeq = Number.POSITIVE_INFINITY) => {
            const st = emptySession(session);
            for (const e of log)
              if (
                e.seq < beforeSeq &&
                (e.type.startsWith('clock.') || e.type === 'session.created') &&
                e.wallTime <= wall
              )
                applyEvent(st, e);
            return scenarioAt(st.clock, wall);
          };
          const drift = log.map((e) => Math.abs(e.scenarioTime - clockAt(e.wallTime, e.seq)));
          expect(Math.max(...drift)).toBeLessThan(1e-6);
          for (const c of runs.flatMap((r) => r.clocks).filter((x) => x.session === session)) {
            expect(Math.abs(c.scenario - clockAt(c.wall))).toBeLessThan(1e-6);
          }
          expect(log.filter((e) => e.type === 'clock.speed-changed')).toHaveLength(1);
          expect(log.filter((e) => e.type === 'clock.paused').length).toBeGreaterThanOrEqual(1);
          expect(log.some((e) => e.type === 'clock.stopped')).toBe(true);
        }
        const killedMidway = runs.slice(0, KILLS).filter((r) => !r.done).length;
        process.stdout.write(
          `crash test: ${KILLS} kills (${killedMidway} before the end), ${runs.reduce((n, r) => n + r.acks.length, 0)} acknowledged events checked, ` +
            `${runs.reduce((n, r) => n + r.recovered, 0)} interrupted firings finished on restart\n`,
        );
      } finally {
        store.close();
      }
    } finally {
      dir.remove();
    }
  }, 120_000);
});
