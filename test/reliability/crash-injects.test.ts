/**
 * `kill -9` of `cyrange run --live` at seeded random moments while live injects fire on a real range
 * (file drops on a workstation, mails into a Maildir through Postfix, a beacon), restarted each
 * time until the MSEL is done. Then: in the log every occurrence was decided once and every
 * firing has one outcome; on the containers every file drop exists once with its content, every
 * mail sits in the victim's Maildir, and the beacon was stopped by the final cleanup.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../src/compiler/plan';
import { isEvent } from '../../src/engine/events/event-types';
import { EventStore } from '../../src/engine/store/event-store';
import type { Clients } from '../../src/range/docker/clients';
import { exerciseFilter } from '../../src/range/labels';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { rangeUp } from '../../src/range/lifecycle/range-up';
import { injectsYaml, writeScenario } from './support/crash-fixtures';
import { seededRandom, sleep, spawnCli, until } from './support/crash-process';
import { engineClients, exerciseId, fixturePlanFile } from './support/crash-range';
import { budgetMs, repeats } from './support/scale';

const KILLS = repeats(4, 30);
/** Drops and mails (each), one of each every EVERY scenario seconds from T+1m. */
const COUNT = repeats(10, 60);
const EVERY = repeats(20, 30);
/** Slow enough that the kills land before the end, so the last kill can hit the cleanup. */
const SPEED = repeats(12, 8);
const UNTIL_SEC = 60 + COUNT * EVERY + 30;
const exercise = exerciseId('cinj');
const dir = mkdtempSync(join(tmpdir(), 'cyrange-crash-inj-'));
const file = writeScenario(dir, 'crash-inj.yaml', injectsYaml(COUNT, EVERY));
const db = join(dir, 'events.db');
let clients: Clients;
let plan: Plan;

beforeAll(async () => {
  clients = await engineClients();
  plan = fixturePlanFile(file);
  const up = await rangeUp(clients, plan, { exercise });
  expect(up.failed).toEqual([]);
}, 600_000);

afterAll(async () => {
  if (clients) {
    await rangeDown(clients, exercise);
    expect(await clients.containers.list(exerciseFilter(exercise))).toEqual([]);
    expect(await clients.networks.list(exerciseFilter(exercise))).toEqual([]);
  }
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function sh(host: string, script: string): Promise<string> {
  const r = await clients.exec.run(`${exercise}-t01-${host}`, ['sh', '-c', script], { timeoutSec: 20 });
  return r.stdout;
}

function runArgs(): string[] {
  return [
    'run',
    file,
    '--live',
    '--exercise',
    exercise,
    '--db',
    db,
    '--session',
    'inj',
    '--speed',
    String(SPEED),
    '--until',
    `${UNTIL_SEC}s`,
  ];
}

test(
  `run --live killed -9 at ${KILLS} random moments: every firing and every live effect happens once`,
  async () => {
    const rnd = seededRandom('crash-injects');
    const started = Date.now();
    let kills = 0;
    /** Wall ms of every kill -9. */
    const killedAt: number[] = [];
    let ended = false;
    // Bounded by the kill count and by the exercise's end, whichever comes first.
    // Random kills stop at 85% of the exercise so that the last run can be killed mid-cleanup.
    const killsUntil = Date.now() + 0.85 * (UNTIL_SEC / SPEED) * 1000;
    for (let round = 0; round < KILLS && !ended && Date.now() < killsUntil; round++) {
      const run = spawnCli(runArgs(), 120_000);
      let exited = false;
      void run.exited.then(() => {
        exited = true;
      });
      await until('run opened the session', () => exited || /session inj/.test(run.stdout()), 60_000, 10);
      const killAt = rnd.int(0, 2500);
      const finished = await Promise.race([run.exited.then(() => true), sleep(killAt).then(() => false)]);
      if (finished) {
        ended = /exercise ended/.test(run.stdout());
        expect([round, (await run.exited).code, run.stderr().slice(-400)]).toEqual([
          round,
          0,
          expect.any(String),
        ]);
        break;
      }
      await run.kill9();
      kills++;
      killedAt.push(Date.now());
      const fired = (run.stdout().match(/ fired /g) ?? []).length;
      process.stdout.write(
        `round ${round}: kill -9 ${killAt} ms after the session opened; ${fired} firings printed\n`,
      );
    }
    // Run to the end (bounded: the rest of the scenario at SPEED plus slack), killing the run once
    // more the moment it prints that the clock stopped: mid-cleanup (the beacon still running).
    let killedInCleanup = false;
    for (let attempt = 0; attempt < 2 && !ended; attempt++) {
      const last = spawnCli(runArgs(), (UNTIL_SEC / SPEED) * 1000 + 90_000);
      let exited = false;
      void last.exited.then(() => {
        exited = true;
      });
      if (attempt === 0) {
        await until(
          'the clock stopped',
          () => exited || /clock stopped/.test(last.stdout()),
          (UNTIL_SEC / SPEED) * 1000 + 60_000,
          2,
        );
        if (!exited) {
          await last.kill9();
          killedInCleanup = true;
          kills++;
          killedAt.push(Date.now());
          process.stdout.write('kill -9 as the clock stopped, before the cleanup finished\n');
          continue;
        }
      }
      const { code } = await last.exited;
      expect([code, last.stderr().slice(-400)]).toEqual([0, expect.any(String)]);
      ended = /exercise ended/.test(last.stdout());
    }
    expect(ended).toBe(true);
    expect(kills).toBeGreaterThan(0);

    // The log: one decision per occurrence, one outcome per firing, every one-shot fired once.
    const store = new EventStore(db);
    let firings = 0;
    /** Mail injects whose delivery a kill cut: decided by one process, finished by the next. */
    const cut = new Set<string>();
    /** Wall ms from each mail's decision to its recorded outcome. */
    const deliveryMs: number[] = [];
    try {
      const log = store.read('inj');
      const decided = new Map<string, number>();
      const outcomes = new Map<string, string[]>();
      for (const e of log) {
        if (isEvent(e, 'inject.fired') || isEvent(e, 'inject.skipped')) {
          const k = `${e.payload.inject}/${e.payload.occurrence}`;
          decided.set(k, (decided.get(k) ?? 0) + 1);
          if (isEvent(e, 'inject.fired')) firings++;
        }
        if (isEvent(e, 'inject.succeeded') || isEvent(e, 'inject.failed')) {
          const k = `${e.payload.inject}/${e.payload.occurrence}`;
          outcomes.set(k, [...(outcomes.get(k) ?? []), e.type]);
        }
      }
      expect([...decided.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      const firedAt = new Map<string, number>();
      for (const e of log) {
        if (isEvent(e, 'inject.fired')) firedAt.set(e.payload.inject, e.wallTime);
        if (isEvent(e, 'inject.succeeded') && e.payload.inject.startsWith('mail-')) {
          const from = firedAt.get(e.payload.inject) ?? 0;
          deliveryMs.push(e.wallTime - from);
          if (killedAt.some((k) => k > from && k < e.wallTime)) cut.add(e.payload.inject);
        }
      }
      for (let i = 0; i < COUNT; i++) {
        for (const id of [`drop-${i}`, `mail-${i}`]) {
          expect([id, decided.get(`${id}/0`), outcomes.get(`${id}/0`)]).toEqual([
            id,
            1,
            ['inject.succeeded'],
          ]);
        }
      }
      expect(outcomes.get('beacon/0')).toEqual(['inject.succeeded']);
    } finally {
      store.close();
    }

    // The containers: each drop once with its content, each mail in the Maildir, the beacon stopped.
    const drops = (await sh('pc-01', 'for f in /opt/crash/*; do printf "%s=%s\\n" "$f" "$(cat "$f")"; done'))
      .trim()
      .split('\n')
      .sort();
    expect(drops).toEqual(
      Array.from({ length: COUNT }, (_, i) => `/opt/crash/drop-${i}.txt=drop ${i}`).sort(),
    );
    // Postfix delivers from its queue: wait (bounded) for every mail to land, then let a
    // duplicate still in the queue land too before counting.
    const readSubjects = async () =>
      (await sh('mail', 'grep -h "^Subject: Crash mail" /home/k.sato/Maildir/new/* 2>/dev/null'))
        .trim()
        .split('\n')
        .filter(Boolean);
    let subjects: string[] = [];
    await until(
      'every mail in the Maildir',
      async () => {
        subjects = await readSubjects();
        return new Set(subjects).size >= COUNT;
      },
      30_000,
      500,
    ).catch(async (e: Error) => {
      const where = await sh('mail', 'ls -R /home 2>&1 | head -40; tail -20 /var/log/mail.log');
      throw new Error(`${e.message}: ${subjects.length} found\n${where}`);
    });
    await until(
      'the mail queue is empty',
      async () => /empty/i.test(await sh('mail', 'postqueue -p 2>&1')),
      30_000,
      500,
    );
    subjects = await readSubjects();
    const perMail = new Map<string, number>();
    for (const s of subjects) perMail.set(s, (perMail.get(s) ?? 0) + 1);
    const duplicates = [...perMail.entries()].filter(([, n]) => n > 1);
    expect(Array.from({ length: COUNT }, (_, i) => perMail.has(`Subject: Crash mail ${i}`))).toEqual(
      Array.from({ length: COUNT }, () => true),
    );
    // The Docker driver claims, sends and marks a mail in one process inside the mail container
    // (src/range/driver/container-commands.ts `sendMailOnce`), which a kill of the orchestrator
    // does not interrupt: every mail lands exactly once, even those whose delivery a kill cut.
    expect(duplicates).toEqual([]);
    expect(await sh('pc-01', 'ps -eo args')).not.toContain('while :; do curl');
    process.stdout.write(
      `crash-injects: ${kills} kills (${killedInCleanup ? 'one' : 'none'} mid-cleanup), ${firings} firings each decided once, ${COUNT} drops and ${subjects.length} mails ` +
        `on the containers (${duplicates.length} duplicated, by a kill cutting ${cut.size} deliveries; decision to outcome median ${median(deliveryMs)} ms); ${Date.now() - started} ms\n`,
    );
  },
  budgetMs(KILLS, 6000, 120_000),
);
