/**
 * Compile benchmark: a generated 10,000-host scenario compiled for 20 teams (200,000 host plans).
 * Measures compilation itself (not loading, not writing output): wall time and peak memory (the
 * process's high-water resident set, which also covers loading and a warm-up run), against
 * the targets of 0.5 s and 300 MB. Run with `npm run bench:compile` (after `npm run build`).
 */
import os from 'node:os';
import { compile } from '../src/compiler/compile';
import type { Plan } from '../src/compiler/plan';
import { loadScenarioText } from '../src/scenario/load';

const HOSTS = 10_000;
const TEAMS = 20;
const TARGET_SECONDS = 0.5;
const TARGET_MB = 300;
const DEPARTMENTS = 20;
const RUNS = 5;

/** A ministry of 20 departments, each with its own /21 staff segment, plus servers and a DMZ. */
export function generateScenario(hosts = HOSTS, teams = TEAMS): string {
  const perDept = Math.floor((hosts - 10) / DEPARTMENTS);
  const lines = [
    'cyrange: 1',
    'metadata: { id: bench, title: Compile benchmark, duration: 8h, language: ja }',
    'organisation:',
    '  name: Bench Ministry',
    '  domain: bench.example.go.jp',
    '  departments:',
  ];
  for (let d = 0; d < DEPARTMENTS; d++)
    lines.push(`    - { id: d${d}, name: Dept ${d}, headcount: ${perDept}, segment: staff-${d} }`);
  lines.push('network:', '  domain: ad.bench.example.go.jp', '  segments:');
  lines.push('    - { id: internet, zone: internet, cidr: 198.18.0.0/24, teamStride: 24 }');
  lines.push(
    '    - { id: dmz, zone: dmz, cidr: 10.0.1.0/24 }',
    '    - { id: servers, zone: servers, cidr: 10.0.2.0/24 }',
  );
  for (let d = 0; d < DEPARTMENTS; d++)
    lines.push(`    - { id: staff-${d}, zone: staff, cidr: 10.0.${8 + d * 8}.0/21 }`);
  lines.push('  egress: { proxy: proxy }', '  firewall: { name: fw }');
  lines.push(
    '  policy: { rules: [{ from: "zone:staff", to: dmz, ports: [3128] }, { from: dmz, to: internet, ports: [80, 443] }] }',
  );
  lines.push('hosts:');
  lines.push(
    '  - { name: proxy, role: proxy, segment: dmz, fidelity: live }',
    '  - { name: c2, role: c2, segment: internet, fidelity: live, aliases: [c2.example] }',
  );
  lines.push('  - { name: "srv-{n:02}", count: 8, role: server, segment: servers }');
  let placed = 10;
  for (let d = 0; d < DEPARTMENTS; d++) {
    const count = d === DEPARTMENTS - 1 ? hosts - placed : perDept;
    placed += count;
    lines.push(
      `  - { name: "pc-d${d}-{n:04}", count: ${count}, role: workstation, segment: staff-${d}, department: d${d} }`,
    );
  }
  lines.push(`teams: { count: ${teams} }`);
  return `${lines.join('\n')}\n`;
}

/** A full collection when run with --expose-gc (as `npm run bench:compile` does), else nothing. */
function gc(): void {
  (global as { gc?: () => void }).gc?.();
}

function main(): void {
  const loadStart = process.hrtime.bigint();
  const loaded = loadScenarioText('bench.yaml', generateScenario());
  const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
  if (!loaded.scenario)
    throw new Error(loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n'));
  const scenario = loaded.scenario;
  // Warm-up on a copy so JIT compilation is not billed to the measured run.
  compile(structuredClone(scenario));
  // The machine may be shared: time several runs and report the median (and the best).
  // CPU time (all threads of the process, GC helpers included) does not count waiting for a core.
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let plan: Plan | undefined;
  for (let run = 0; run < RUNS; run++) {
    plan = undefined;
    gc();
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    plan = compile(scenario);
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1e6);
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  const cpuSeconds = cpuTimes[Math.floor(RUNS / 2)]!;
  const seconds = times[Math.floor(RUNS / 2)]!;
  const users = plan?.users.length ?? 0;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  plan = undefined;
  gc();
  const heapAfterFree = process.memoryUsage().heapUsed;
  // What freeing the plan gives back is what compiling it holds on to (needs --expose-gc).
  const heapMb = (heapBefore - heapAfterFree) / 1024 / 1024;
  // Peak resident set of the whole process (kernel's high-water mark): loader, warm-up and all.
  const mb = process.resourceUsage().maxRSS / 1024;
  const hostPlans = TEAMS * (HOSTS + 1);
  const lines = [
    `compile: ${HOSTS} hosts × ${TEAMS} teams = ${hostPlans} host plans (with each team's firewall), ${users} users`,
    `wall time: ${(seconds * 1000).toFixed(0)} ms median of ${RUNS} (best ${(times[0]! * 1000).toFixed(0)} ms; target ${TARGET_SECONDS * 1000} ms, ratio ${(seconds / TARGET_SECONDS).toFixed(2)})`,
    `CPU time:  ${(cpuSeconds * 1000).toFixed(0)} ms median (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores while measuring)`,
    `peak RSS:  ${mb.toFixed(0)} MB (target ${TARGET_MB} MB, ratio ${(mb / TARGET_MB).toFixed(2)}; the plan itself holds ${heapMb.toFixed(0)} MB of heap)`,
    `(not counted: generating, parsing and validating the scenario took ${loadMs.toFixed(0)} ms)`,
    `node ${process.version}, ${process.platform}/${process.arch}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exitCode = seconds <= TARGET_SECONDS && mb <= TARGET_MB ? 0 : 1;
}

if (require.main === module) main();
