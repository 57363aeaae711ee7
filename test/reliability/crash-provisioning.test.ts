/**
 * `kill -9` of `cyrange up` (a real process on the real engine) at seeded random moments: after each
 * kill a second `up` must reconcile whatever the kill left into exactly the plan — every planned
 * container present, running and labelled as planned, every planned network with its subnet and
 * Internal, nothing extra — and a final `down` must leave zero containers, networks and volumes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../src/compiler/plan';
import { type DesiredState, desiredState, imagesFor } from '../../src/range/desired-state';
import type { Clients } from '../../src/range/docker/clients';
import { ensureImages } from '../../src/range/images/image-builder';
import { exerciseFilter, LABEL } from '../../src/range/labels';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { containerName } from '../../src/range/reconcile/observed-state';
import { PROVISIONING_YAML, writeScenario } from './support/crash-fixtures';
import { seededRandom, sleep, spawnCli, until } from './support/crash-process';
import { engineClients, exerciseId, fixturePlanFile } from './support/crash-range';
import { budgetMs, repeats } from './support/scale';

const KILLS = repeats(4, 40);
const exercise = exerciseId('cup');
const dir = mkdtempSync(join(tmpdir(), 'cyrange-crash-up-'));
const file = writeScenario(dir, 'crash-up.yaml', PROVISIONING_YAML);
let clients: Clients;
let plan: Plan;
let desired: DesiredState;

beforeAll(async () => {
  clients = await engineClients();
  plan = fixturePlanFile(file);
  const images = await ensureImages(clients, {
    images: [...new Set([...imagesFor(plan), 'firewall' as const])],
  });
  desired = desiredState(plan, exercise, images);
}, 600_000);

afterAll(async () => {
  if (clients) await rangeDown(clients, exercise);
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

/** Every way the engine's range differs from the plan; empty when they match. */
async function differences(): Promise<string[]> {
  const problems: string[] = [];
  const containers = await clients.containers.list(exerciseFilter(exercise));
  const byName = new Map(containers.map((c) => [containerName(c), c]));
  for (const spec of desired.hosts) {
    const c = byName.get(spec.name);
    if (!c) {
      problems.push(`missing container ${spec.name}`);
      continue;
    }
    if (c.State !== 'running') problems.push(`${spec.name} is ${c.State}`);
    const want = {
      [LABEL.exercise]: exercise,
      [LABEL.team]: spec.team,
      [LABEL.host]: spec.host,
      [LABEL.role]: spec.role,
      [LABEL.configHash]: spec.configHash,
    };
    for (const [k, v] of Object.entries(want))
      if (c.Labels[k] !== v) problems.push(`${spec.name}: label ${k}=${c.Labels[k]}, planned ${v}`);
  }
  const planned = new Set(desired.hosts.map((h) => h.name));
  for (const name of byName.keys()) if (!planned.has(name)) problems.push(`extra container ${name}`);
  const networks = await clients.networks.list(exerciseFilter(exercise));
  const nets = new Map(networks.map((n) => [n.Name, n]));
  for (const spec of desired.networks) {
    const n = nets.get(spec.name);
    if (!n) {
      problems.push(`missing network ${spec.name}`);
      continue;
    }
    const subnet = n.IPAM?.Config?.[0]?.Subnet;
    const plannedSubnet = spec.options.IPAM?.Config?.[0]?.Subnet;
    if (subnet !== plannedSubnet) problems.push(`${spec.name}: subnet ${subnet}, planned ${plannedSubnet}`);
    if (n.Internal !== true) problems.push(`${spec.name} is not Internal`);
    if (n.Labels?.[LABEL.configHash] !== spec.configHash) problems.push(`${spec.name}: config hash differs`);
  }
  const plannedNets = new Set(desired.networks.map((n) => n.name));
  for (const name of nets.keys()) if (!plannedNets.has(name)) problems.push(`extra network ${name}`);
  return problems;
}

function progressLines(stderr: string): number {
  return stderr.split('\n').filter((l) => /: (hosts \d+ to create|created|ready)/.test(l)).length;
}

interface Span {
  /** ms from spawn to the plan line (start-up, images, host guard done). */
  planMs: number;
  /** ms from spawn to exit. */
  exitMs: number;
}

/** Times one uninterrupted `up` (from nothing) and one repair (one host missing). */
async function calibrate(): Promise<{ first: Span; repair: Span }> {
  const timed = async (): Promise<Span> => {
    const t0 = Date.now();
    const up = spawnCli(['up', file, '--exercise', exercise], 180_000);
    let planMs = 0;
    await until(
      'plan line',
      () => up.stderr().includes('to create') || up.child.exitCode !== null,
      60_000,
      5,
    );
    planMs = Date.now() - t0;
    expect((await up.exited).code).toBe(0);
    return { planMs, exitMs: Date.now() - t0 };
  };
  await rangeDown(clients, exercise);
  const first = await timed();
  await clients.containers.remove(desired.hosts[0]!.name);
  const repair = await timed();
  return { first, repair };
}

test(
  `up killed -9 at ${KILLS} random moments: the next up reconciles to the plan, down leaves nothing`,
  async () => {
    const rnd = seededRandom('crash-provisioning');
    const started = Date.now();
    const found: number[] = [];
    let missed = 0;
    const calibration = await calibrate();
    let kills = 0;
    // Bounded: a kill that came after `up` finished does not count, but at most 3 × KILLS rounds run.
    for (let round = 0; round < 3 * KILLS && kills < KILLS; round++) {
      // Rounds alternate between an empty engine (a first `up`) and a full range with one host
      // removed (a reconciling `up`), so kills land in creation and in repair alike.
      if (round % 2 === 0) await rangeDown(clients, exercise);
      else {
        const victim = desired.hosts[rnd.int(0, desired.hosts.length - 1)]!;
        await clients.containers.remove(victim.name);
      }
      // The kill moment: uniform over the calibrated span of this kind of `up`, from half-way
      // through its start-up to just before it exits, so kills land in every stage.
      const span = round % 2 === 0 ? calibration.first : calibration.repair;
      const killAt = rnd.int(Math.floor(span.planMs / 2), Math.floor(span.exitMs * 0.97));
      const up = spawnCli(
        ['up', file, '--exercise', exercise, '--concurrency', String(rnd.int(1, 4))],
        120_000,
      );
      const finished = await Promise.race([up.exited.then(() => true), sleep(killAt).then(() => false)]);
      if (!finished) await up.kill9();
      const left = await clients.containers.list(exerciseFilter(exercise));
      const leftNets = await clients.networks.list(exerciseFilter(exercise));
      process.stdout.write(
        `round ${round}: kill -9 at ${killAt} ms${finished ? ' — up had already finished' : ''}; ` +
          `${progressLines(up.stderr())} progress lines, ${left.length} containers (${left.filter((c) => c.State === 'running').length} running), ${leftNets.length} networks left\n`,
      );
      if (finished) missed++;
      else {
        kills++;
        found.push(left.length);
      }
      const again = spawnCli(['up', file, '--exercise', exercise], 180_000);
      const result = await again.exited;
      expect([round, result.code, again.stderr().slice(-500)]).toEqual([round, 0, expect.any(String)]);
      expect([round, await differences()]).toEqual([round, []]);
    }
    expect(kills).toBe(KILLS);
    const down = spawnCli(['down', '--exercise', exercise], 120_000);
    expect((await down.exited).code).toBe(0);
    expect(await clients.containers.list(exerciseFilter(exercise))).toEqual([]);
    expect(await clients.networks.list(exerciseFilter(exercise))).toEqual([]);
    expect(await clients.volumes.list(exerciseFilter(exercise))).toEqual([]);
    process.stdout.write(
      `crash-provisioning: ${kills} kills (${missed} more rounds where up finished first; calibrated ${JSON.stringify(calibration)}), containers left by the kills ${found.join(',')}, ${Date.now() - started} ms\n`,
    );
  },
  budgetMs(KILLS, 15_000, 60_000),
);
