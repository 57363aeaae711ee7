/**
 * The Docker engine restarted mid-exercise (issue 7) and during `up` (issue 3). The shared engine
 * is never touched: a private dockerd (support/private-engine.ts: own data root, exec root, pid
 * file, socket and bridge; no iptables) gets the range images by `docker save | docker load`,
 * and the orchestrator's range layer is pointed at its socket — the same code `serve --live` runs.
 *
 * Mid-exercise, `kill -9` of that dockerd at a random moment, N times (seeded, bounded): the
 * controller's health API and socket say "unreachable since …", the log gets `range.engine.lost`,
 * the console says so; restores are refused softly meanwhile. Restarted after a random pause, the
 * watch reconnects (`range.engine.restored`), reconciles (`range.reconciled` with `up`'s counts:
 * the restart stopped every container) and the range equals the plan again.
 *
 * Killed during `up`, the `up` fails in bounded time; after the restart `up` reconciles the
 * partial range into the whole one. Teardown leaves the private engine with zero containers,
 * networks and volumes, counted, and the engine itself is stopped and its directories deleted.
 */
import { join } from 'node:path';
import { loadPlan } from '../../src/cli/load-plan';
import { Random } from '../../src/common/random';
import { desiredState } from '../../src/range/desired-state';
import type { SizedContainer } from '../../src/range/docker/clients';
import { EngineWatch, type WatchEvent } from '../../src/range/health/engine-watch';
import { classifyHosts } from '../../src/range/health/host-health';
import { ensureImages, type ImageSet } from '../../src/range/images/image-builder';
import { LABEL } from '../../src/range/labels';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { rangeUp } from '../../src/range/lifecycle/range-up';
import { observe } from '../../src/range/reconcile/observed-state';
import { diffRange, isEmptyDiff } from '../../src/range/reconcile/range-diff';
import { engineClients, exerciseId, httpStatus } from '../range/support/live-range';
import { Client } from '../server/support/harness';
import { type EngineExercise, eventually, startEngineExercise } from './support/engine-exercise';
import { type PrivateEngine, privateEngine, privateEngineSupported } from './support/private-engine';
import { budgetMs, repeats } from './support/scale';

const ROUNDS = repeats(2, 6);
const SEED = Number(process.env.CYRANGE_ENGINE_SEED ?? 0x5eed);
const unsupported = privateEngineSupported();
const suite = unsupported ? describe.skip : describe;
if (unsupported) process.stderr.write(`engine-restart: skipped, no private engine here: ${unsupported}\n`);

const plan = loadPlan(join(__dirname, 'support', 'engine-restart-range.yaml'));
const exercise = exerciseId('eng');
const duringUp = exerciseId('engup');
const random = new Random(SEED);
const webIp = plan.teams[0]!.hosts.find((h) => h.name === 'web')!.ip;
const figures: Record<string, unknown> = { seed: SEED, rounds: ROUNDS };
let engine: PrivateEngine;
let images: ImageSet;
let ex: EngineExercise | undefined;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Plan == range: nothing to create, recreate, restart or remove, and every host running. */
async function planEqualsRange(id: string): Promise<void> {
  const observed = await observe(engine.clients, id);
  const diff = diffRange(desiredState(plan, id, images), observed);
  expect(isEmptyDiff(diff)).toBe(true);
  expect(observed.containers.map((c) => c.State)).toEqual(['running', 'running', 'running']);
}

describe('the engine watch on its own (a ping that fails on demand)', () => {
  test('lost after 2 failures, backs off doubling to the cap, restored with the count, gives up bounded', async () => {
    let up = true;
    let pings = 0;
    const seen: WatchEvent[] = [];
    const watch = new EngineWatch(
      async () => {
        pings++;
        if (!up) throw new Error('connect ECONNREFUSED');
      },
      (e) => {
        seen.push(e);
      },
      { pingEveryMs: 20, backoffBaseMs: 10, backoffMaxMs: 40, maxAttempts: 6 },
    );
    watch.start();
    await pause(100);
    expect(watch.state).toBe('connected');
    up = false;
    await eventually('lost', 2000, async () => (watch.state === 'unreachable' ? true : undefined));
    await eventually('3 retries', 2000, async () =>
      seen.filter((e) => e.type === 'retry').length >= 3 ? true : undefined,
    );
    up = true;
    await eventually('restored', 2000, async () => (watch.state === 'connected' ? true : undefined));
    const retries = seen.filter((e) => e.type === 'retry').map((e) => (e as { nextInMs: number }).nextInMs);
    expect(retries.slice(0, 4)).toEqual([10, 20, 40, 40].slice(0, retries.length));
    const restored = seen.find((e) => e.type === 'restored') as { attempts: number; downMs: number };
    expect(restored.attempts).toBe(retries.length - 1);
    expect(seen.map((e) => e.type).filter((t) => t !== 'retry')).toEqual(['lost', 'restored']);
    // Down for good: at most maxAttempts retries, then it gives up and pings no more.
    up = false;
    await eventually('given up', 3000, async () => (watch.state === 'given-up' ? true : undefined));
    const after = pings;
    await pause(200);
    expect(pings).toBe(after);
    expect(seen.filter((e) => e.type === 'gave-up')).toHaveLength(1);
    await watch.stop();
  });
});

describe('host states from one listing (pure)', () => {
  const c = (host: string, State: string, extra: Partial<SizedContainer> = {}): SizedContainer =>
    ({
      Id: `id-${host}`,
      Names: [`/x-t01-${host}`],
      State,
      Status: `${State} status`,
      Labels: {},
      ...extra,
    }) as SizedContainer;

  test('running, unhealthy (check or disk), stopped with a note, restarting, missing', () => {
    const hosts = classifyHosts(plan, 'x', {
      containers: [c('web', 'running', { SizeRw: 2048 }), c('pc-01', 'exited'), c('fw', 'restarting')],
      checks: new Map([['x-t01-web', { ok: false, detail: 'nginx gone' }]]),
      diskLimitBytes: 1024,
      notes: new Map([['id-pc-01', 'stopped by the disk guard']]),
    });
    expect(hosts.map((h) => [h.host, h.state, h.detail])).toEqual([
      ['web', 'unhealthy', 'writable layer 0 MiB is over the 0 MiB limit'],
      ['pc-01', 'stopped', 'stopped by the disk guard (exited status)'],
      ['fw', 'restarting', 'restarting status'],
    ]);
    const healthy = classifyHosts(plan, 'x', {
      containers: [c('web', 'running', { SizeRw: 10 })],
      checks: new Map([['x-t01-web', { ok: false, detail: 'nginx gone' }]]),
      diskLimitBytes: 1024,
    });
    expect(healthy.map((h) => [h.host, h.state])).toEqual([
      ['web', 'unhealthy'],
      ['pc-01', 'missing'],
      ['fw', 'missing'],
    ]);
    expect(healthy[0]!.detail).toBe('service check failed: nginx gone');
  });
});

suite('the Docker engine restarts under a live exercise (private engine)', () => {
  beforeAll(async () => {
    engine = privateEngine();
    let t0 = Date.now();
    await engine.start();
    figures.engineStartMs = Date.now() - t0;
    // The tags the shared engine already built (no build: they are cached there).
    images = await ensureImages(await engineClients(), { images: ['firewall', 'web', 'workstation'] });
    t0 = Date.now();
    const bytes = engine.loadImages([
      images.base,
      images.tags.firewall,
      images.tags.web,
      images.tags.workstation,
    ]);
    figures.imageLoad = { ms: Date.now() - t0, MiB: Math.round(bytes / 1024 / 1024) };
    t0 = Date.now();
    const up = await rangeUp(engine.clients, plan, { exercise });
    expect(up.failed).toEqual([]);
    figures.upMs = Date.now() - t0;
    ex = await startEngineExercise(engine.clients, plan, exercise, {}, { collectLogs: true });
    await eventually('first health look', 10_000, async () =>
      (await ex!.health()).checkedAt > 0 ? true : undefined,
    );
  }, 150_000);

  afterAll(async () => {
    try {
      await ex?.close();
      if (engine?.running()) {
        await rangeDown(engine.clients, exercise);
        await rangeDown(engine.clients, duringUp);
        // The private engine holds nothing of ours any more: count everything it has.
        const containers = await engine.clients.containers.list({});
        const networks = (await engine.clients.networks.list({})).filter(
          (n) => !['bridge', 'host', 'none'].includes(n.Name),
        );
        const volumes = await engine.clients.volumes.list({});
        figures.teardown = {
          containers: containers.length,
          networks: networks.length,
          volumes: volumes.length,
        };
      }
    } finally {
      const bridges = [exercise, duringUp].flatMap((id) =>
        images
          ? desiredState(plan, id, images).networks.map(
              (n) => n.options.Options?.['com.docker.network.bridge.name'] ?? '',
            )
          : [],
      );
      await engine?.destroy(bridges.filter(Boolean));
      process.stderr.write(`engine-restart figures: ${JSON.stringify(figures)}\n`);
    }
    expect(figures.teardown).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 120_000);

  test(
    `killed -9 ${ROUNDS} times mid-exercise: noticed, reconnected, reconciled, said`,
    async () => {
      const rounds: Record<string, number>[] = [];
      const actions: Record<string, unknown>[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        await pause(300 + random.int(1200));
        const killedAt = Date.now();
        await engine.kill();
        const lost = await eventually('engine unreachable in the health API', 10_000, async () => {
          const v = await ex!.health();
          return v.engine.state === 'unreachable' ? v : undefined;
        });
        const noticedMs = Date.now() - killedAt;
        expect(lost.engine.outages).toBe(round);
        expect(lost.engine.since).toBeGreaterThanOrEqual(killedAt - 1000);
        expect(ex!.pushes.some((p) => p.engine.state === 'unreachable' && p.engine.outages === round)).toBe(
          true,
        );
        expect(ex!.events('range.engine.lost')).toHaveLength(round);
        expect(ex!.console.some((l) => /unreachable since/.test(l))).toBe(true);
        // Meanwhile the controller's verbs fail softly, with the reason.
        const refused = await ex!.controller.req('POST', '/api/range/hosts/t01/web/restore', {});
        expect(refused.status).toBe(503);
        expect(refused.body.error.message).toMatch(/unreachable since/);
        // A team's live action during the outage: answered (not a 5xx, not a hang), recorded once.
        const team = await Client.join(
          ex!.url,
          ex!.server.createJoinLink({ role: 'team', team: 't01' }).token,
        );
        const acted = await team.req('POST', '/api/teams/t01/actions', {
          action: 'process.kill',
          host: 'pc-01',
          process: `outage-${round}`,
          reason: 'kill during the engine outage',
        });
        team.disconnect();
        expect(acted.status).toBeLessThan(500);
        actions.push({
          round,
          status: acted.status,
          ok: acted.body?.action?.result?.ok ?? acted.body?.error?.code,
        });

        await pause(300 + random.int(1200));
        const restartedAt = Date.now();
        await engine.start();
        const reconciled = await eventually('range.reconciled after the restart', 90_000, async () => {
          const all = ex!.events('range.reconciled');
          return all.length >= round ? all[round - 1] : undefined;
        });
        const p = reconciled.payload as unknown as {
          restarted: number;
          created: number;
          recreated: number;
          failed: unknown[];
        };
        expect(p.failed).toEqual([]);
        // dockerd without live-restore stops every container it finds at start: all three come back.
        expect(p.restarted + p.created + p.recreated).toBe(3);
        expect(ex!.events('range.engine.restored')).toHaveLength(round);
        const healthy = await eventually('every host running in the health API', 30_000, async () => {
          const v = await ex!.health();
          const states = v.teams.flatMap((t) => t.hosts.map((h) => h.state));
          return v.engine.state === 'connected' && states.every((s) => s === 'running') ? v : undefined;
        });
        expect(healthy.reconciled?.failed).toEqual([]);
        await planEqualsRange(exercise);
        expect(ex!.console.some((l) => /range reconciled in \d+ ms/.test(l))).toBe(true);
        // Log collection resumes: a request to the web server after the restart is collected.
        const webLogs = () =>
          ex!.events('telemetry.collected').filter((e) => (e.payload as { host: string }).host === 'web')
            .length;
        const before = webLogs();
        expect(
          await httpStatus(engine.clients, `${exercise}-t01-pc-01`, `http://${webIp}/after-restart-${round}`),
        ).toBe('404');
        await eventually('the web server log collected after the restart', 15_000, async () =>
          webLogs() > before ? true : undefined,
        );
        const fired = ex!
          .events('team.action')
          .filter(
            (e) => (e.payload as { detail: { process?: string } }).detail.process === `outage-${round}`,
          );
        expect(fired.length).toBeLessThanOrEqual(1);
        rounds.push({
          noticedMs,
          downMs: restartedAt - killedAt,
          backMs: Date.now() - restartedAt,
          restarted: p.restarted,
        });
      }
      figures.midExercise = rounds;
      figures.actionsDuringOutage = actions;
    },
    budgetMs(ROUNDS, 40_000),
  );

  test('killed during up: up fails in bounded time, then reconciles the partial range', async () => {
    await ex?.close();
    ex = undefined;
    // Same plan, same subnets: the first exercise goes before the second comes up.
    await rangeDown(engine.clients, exercise);
    // Range hosts only (the one-shot host-guard container carries the exercise label too).
    const filter = { label: [`${LABEL.exercise}=${duringUp}`, LABEL.host] };
    const t0 = Date.now();
    const first = rangeUp(engine.clients, plan, {
      exercise: duringUp,
      concurrency: 1,
      readyTimeoutMs: 15_000,
    }).then(
      (r) => ({
        ok: r.failed.length === 0 && r.ready.length === 3,
        detail: `${r.ready.length} ready, ${r.failed.length} failed`,
      }),
      (e: Error) => ({ ok: false, detail: e.message.slice(0, 160) }),
    );
    await eventually('the first container of the second up', 60_000, async () =>
      (await engine.clients.containers.list(filter)).length > 0 ? true : undefined,
    );
    await engine.kill();
    const outcome = await first;
    figures.duringUp = { failedAfterMs: Date.now() - t0, detail: outcome.detail };
    expect(outcome.ok).toBe(false);
    await engine.start();
    const again = await rangeUp(engine.clients, plan, { exercise: duringUp });
    expect(again.failed).toEqual([]);
    expect(again.ready.length + again.kept).toBe(3);
    await planEqualsRange(duringUp);
    (figures.duringUp as Record<string, unknown>).reconcile = {
      created: again.created,
      recreated: again.recreated,
      restarted: again.restarted,
      kept: again.kept,
      ms: again.ms,
    };
  }, 150_000);
});
