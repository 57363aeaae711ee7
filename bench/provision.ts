/**
 * Provisioning benchmark (`bench/provision`): brings up N teams × H live hosts on the local engine
 * with `rangeUp` (images cached, readiness checked), runs `up` again (must change nothing), takes
 * everything down, and times the same work from 8 parallel shells (the engine's practical CLI baseline
 * here): `docker network create` then `docker run -d` of the same containers, and `docker rm -f` then
 * `docker network rm` (the containers alone are printed too), and with
 * `--compose S` by Debian's docker-compose at half the teams and at all of them (capped at S s).
 * Prints the ratios against the limit (1.0: at least the baseline's speed). Run with
 * `npm run bench:provision -- --teams 10 --hosts 20 --compose 150` after `npm run images`. Needs
 * root's engine; leaves nothing behind (label cyrange.exercise).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Plan } from '../src/compiler/plan';
import { desiredState } from '../src/range/desired-state';
import { clientsFor, connectEngine } from '../src/range/docker/clients';
import { ensureImages } from '../src/range/images/image-builder';
import { rangeDown } from '../src/range/lifecycle/range-down';
import { rangeUp } from '../src/range/lifecycle/range-up';
import { swarmDown } from '../src/range/swarm/swarm-down';
import { swarmUp } from '../src/range/swarm/swarm-up';
import { benchRangePlan } from './bench-range';

interface Args {
  teams: number;
  hosts: number;
  limit: number;
  concurrency: number;
  baseline: boolean;
  /** Deploy as Swarm services (`--swarm`; the engine must be a swarm manager already) instead of containers. */
  swarm: boolean;
  /** Also time Debian's docker-compose (if installed), capped at this many seconds. */
  compose: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    teams: 10,
    hosts: 20,
    limit: 1.0,
    concurrency: 12,
    baseline: true,
    compose: 0,
    swarm: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if (flag === '--no-baseline') args.baseline = false;
    else if (flag === '--swarm') args.swarm = true;
    else if (['--teams', '--hosts', '--limit', '--concurrency', '--compose'].includes(flag ?? '')) {
      if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
      args[flag!.slice(2) as 'teams' | 'hosts' | 'limit' | 'concurrency' | 'compose'] = value;
      i++;
    } else throw new Error(`unknown flag ${flag}`);
  }
  return args;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs shell lines from 8 parallel shells (xargs -P 8), returning the wall time. */
function parallelShells(lines: string[], dir: string, name: string): number {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const started = Date.now();
  const result = spawnSync('sh', ['-c', `xargs -P 8 -I CMD sh -c CMD >/dev/null < ${file}`], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`${name}: parallel shells failed (exit ${result.status})`);
  return Date.now() - started;
}

interface BaselineTimes {
  /** Networks created, then containers started: the same work as `cyrange up` minus readiness. */
  up: number;
  /** Containers removed, then networks: the same work as `cyrange down`. */
  down: number;
  /** The containers alone (what earlier runs of this benchmark compared against). */
  containersUp: number;
  containersDown: number;
  /** Networks the engine refused to remove (it lost count of their endpoints), if any. */
  stuckNetworks: string[];
}

/** The same containers by `docker run -d` (one network each: the CLI cannot attach several at create). */
function baseline(
  plan: Plan,
  images: Awaited<ReturnType<typeof ensureImages>>,
  exercise: string,
): BaselineTimes {
  const state = desiredState(plan, exercise, images);
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-bench-'));
  try {
    const creates = state.networks.map(
      (n) =>
        `docker network create --internal --subnet ${n.options.IPAM?.Config?.[0]?.Subnet ?? ''} --label cyrange.exercise=${exercise} ${n.name}`,
    );
    const networksUp = parallelShells(creates, dir, 'net-create.txt');
    const runs = state.hosts.map((h) => {
      const hc = h.options.HostConfig ?? {};
      const first = h.interfaces[0]!;
      // The environment (the readiness check is a shell command) goes through a file, unquoted.
      const envFile = join(dir, `${h.name}.env`);
      writeFileSync(envFile, `${(h.options.Env ?? []).join('\n')}\n`);
      const flags = [
        `--name ${h.name} --hostname ${h.options.Hostname}`,
        `--network ${first.network} --ip ${first.ip}`,
        `--label cyrange.exercise=${exercise}`,
        '--cap-drop ALL',
        ...(hc.CapAdd ?? []).map((c: string) => `--cap-add ${c}`),
        '--security-opt no-new-privileges',
        `--memory ${hc.Memory} --pids-limit ${hc.PidsLimit} --cpus ${(hc.NanoCpus ?? 5e8) / 1e9}`,
        ...(hc.Ulimits ?? []).map((u) => `--ulimit ${u.Name}=${u.Soft}:${u.Hard}`),
        ...Object.entries(hc.Sysctls ?? {}).map(([k, v]) => `--sysctl ${k}=${v}`),
        ...(hc.ExtraHosts ?? []).map((e: string) => `--add-host ${e}`),
        '--log-opt max-size=1m --log-opt max-file=2',
        `--env-file ${envFile}`,
      ];
      return `docker run -d --init ${flags.join(' ')} ${h.options.Image}`;
    });
    const containersUp = parallelShells(runs, dir, 'run.txt');
    const removes = state.hosts.map((h) => `docker rm -f ${h.name}`);
    const containersDown = parallelShells(removes, dir, 'rm.txt');
    const started = Date.now();
    const stuckNetworks: string[] = [];
    // One `network rm` per network from 8 shells; a network that will not go is recorded, not fatal.
    const file = join(dir, 'net-rm.txt');
    writeFileSync(file, `${state.networks.map((n) => n.name).join('\n')}\n`);
    const rm = spawnSync(
      'sh',
      ['-c', `xargs -P 8 -I NET sh -c 'docker network rm NET >/dev/null 2>&1 || echo NET' < ${file}`],
      {
        encoding: 'utf8',
      },
    );
    stuckNetworks.push(...rm.stdout.split('\n').filter(Boolean));
    const networksDown = Date.now() - started;
    return {
      up: networksUp + containersUp,
      down: containersDown + networksDown,
      containersUp,
      containersDown,
      stuckNetworks,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same containers from one compose file (format 2.4: static addresses, limits, caps), started by
 * `docker-compose up -d` with a time cap, then `docker-compose down`. Returns how many were running.
 */
function composeBaseline(
  plan: Plan,
  images: Awaited<ReturnType<typeof ensureImages>>,
  exercise: string,
  capSeconds: number,
): { up: number; down: number; started: number; capped: boolean } {
  const state = desiredState(plan, exercise, images);
  const networks: Record<string, unknown> = {};
  for (const n of state.networks) {
    networks[n.name] = {
      name: n.name,
      internal: true,
      labels: { 'cyrange.exercise': exercise },
      ipam: { config: [{ subnet: n.options.IPAM?.Config?.[0]?.Subnet }] },
    };
  }
  const services: Record<string, unknown> = {};
  for (const h of state.hosts) {
    const hc = h.options.HostConfig ?? {};
    services[h.name] = {
      image: h.options.Image,
      container_name: h.name,
      init: true,
      labels: { 'cyrange.exercise': exercise },
      cap_drop: ['ALL'],
      cap_add: hc.CapAdd ?? [],
      security_opt: ['no-new-privileges'],
      mem_limit: hc.Memory,
      pids_limit: hc.PidsLimit,
      cpus: (hc.NanoCpus ?? 5e8) / 1e9,
      environment: (h.options.Env ?? []).filter((e) => !e.includes('FIREWALL_RULES')),
      networks: { [h.interfaces[0]!.network]: { ipv4_address: h.interfaces[0]!.ip } },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-compose-'));
  const file = join(dir, 'docker-compose.yml');
  writeFileSync(file, stringify({ version: '2.4', services, networks }));
  const compose = (verb: string[], timeoutS: number) =>
    spawnSync('docker-compose', ['-p', exercise, '-f', file, ...verb], {
      stdio: 'ignore',
      timeout: timeoutS * 1000,
    });
  try {
    let started = Date.now();
    const upRun = compose(['up', '-d'], capSeconds);
    const up = Date.now() - started;
    const running = execFileSync('docker', ['ps', '-q', '--filter', `label=cyrange.exercise=${exercise}`], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean).length;
    started = Date.now();
    compose(['down', '-t', '0'], 600);
    const down = Date.now() - started;
    return { up, down, started: running, capped: upRun.error !== undefined };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const clients = clientsFor(await connectEngine());
  const plan = benchRangePlan(args.teams, args.hosts);
  const images = await ensureImages(clients);
  const exercise = 'bench-up';
  for (const leftover of [exercise, `${exercise}-docker-run`]) {
    await rangeDown(clients, leftover).catch((e: unknown) =>
      console.warn(`cleanup before the run: ${(e as Error).message}`),
    );
  }
  const containers = args.teams * args.hosts;
  console.log(
    `range up: ${args.teams} teams × ${args.hosts} live hosts = ${containers} containers, concurrency ${args.concurrency}`,
  );

  const [bringUp, takeDown] = args.swarm ? [swarmUp, swarmDown] : [rangeUp, rangeDown];
  if (args.swarm) await swarmDown(clients, exercise);
  const up = await bringUp(clients, plan, { exercise, concurrency: args.concurrency });
  if (up.failed.length)
    console.log(`  ${up.failed.length} hosts failed: ${up.failed[0]?.name}: ${up.failed[0]?.reason}`);
  const again = await bringUp(clients, plan, { exercise, concurrency: args.concurrency });
  const down = await takeDown(clients, exercise, { concurrency: args.concurrency });
  console.log(
    `  cyrange up (ready):  ${seconds(up.ms)}  (${up.ready.length} ready, ${up.failed.length} failed)`,
  );
  console.log(
    `  cyrange up again:    ${seconds(again.ms)}  (${again.kept} unchanged, ${again.created + again.recreated} changed)`,
  );
  console.log(
    `  cyrange down:        ${seconds(down.ms)}  (${down.containers} containers, ${down.networks} networks)`,
  );
  const result: Record<string, number | string> = {
    teams: args.teams,
    hosts: containers,
    upMs: up.ms,
    upAgainMs: again.ms,
    downMs: down.ms,
    failed: up.failed.length,
  };
  if (args.baseline) {
    const cli = baseline(plan, images, `${exercise}-docker-run`);
    if (cli.stuckNetworks.length) {
      console.log(
        `  the engine lost count of the endpoints of ${cli.stuckNetworks.join(', ')} after \`docker rm -f\` from 8 shells: restart dockerd, then \`cyrange down --all\``,
      );
    } else {
      await rangeDown(clients, `${exercise}-docker-run`);
    }
    const upRatio = up.ms / cli.up;
    const downRatio = down.ms / cli.down;
    console.log(
      `  docker network create + run ×8 shells: ${seconds(cli.up)} (containers alone ${seconds(cli.containersUp)}; started, not checked ready)`,
    );
    console.log(
      `  docker rm -f + network rm ×8:         ${seconds(cli.down)} (containers alone ${seconds(cli.containersDown)})`,
    );
    console.log(
      `  ratio up   ${upRatio.toFixed(2)} (limit ${args.limit}) ${upRatio <= args.limit ? 'OK' : 'OVER'}`,
    );
    console.log(
      `  ratio down ${downRatio.toFixed(2)} (limit ${args.limit}) ${downRatio <= args.limit ? 'OK' : 'OVER'}`,
    );
    Object.assign(result, {
      baselineUpMs: cli.up,
      baselineDownMs: cli.down,
      baselineContainersUpMs: cli.containersUp,
      baselineContainersDownMs: cli.containersDown,
      baselineStuckNetworks: cli.stuckNetworks.length,
      upRatio,
      downRatio,
      limit: args.limit,
    });
  }
  if (args.compose) {
    // At half the teams and at all of them (100 and 200 containers for 10 × 20): compose stalls at some size.
    for (const teams of [...new Set([Math.max(1, Math.floor(args.teams / 2)), args.teams])]) {
      const size = teams * args.hosts;
      const compose = composeBaseline(
        benchRangePlan(teams, args.hosts),
        images,
        `${exercise}-compose`,
        args.compose,
      );
      await rangeDown(clients, `${exercise}-compose`);
      console.log(
        `  docker-compose up -d, ${size}: ${seconds(compose.up)} (${compose.started}/${size} running${compose.capped ? `, stopped at the ${args.compose} s cap` : ''})`,
      );
      console.log(`  docker-compose down, ${size}:  ${seconds(compose.down)}`);
      if (size === containers && !compose.capped)
        console.log(
          `  ratio up vs compose ${(up.ms / compose.up).toFixed(2)}, down ${(down.ms / compose.down).toFixed(2)}`,
        );
      Object.assign(result, {
        [`compose${size}UpMs`]: compose.up,
        [`compose${size}DownMs`]: compose.down,
        [`compose${size}Running`]: compose.started,
        [`compose${size}Capped`]: String(compose.capped),
      });
    }
  }
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
