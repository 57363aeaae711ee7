/**
 * The live range the range benchmarks bring up (`bench/provision`, `bench/range-health`): one
 * firewall, one web server and H-2 workstations per team, in two segments; each team in its own /20.
 */
import { formatDiagnostic } from '../src/common/diagnostic';
import { compile } from '../src/compiler/compile';
import type { Plan } from '../src/compiler/plan';
import { loadScenarioText } from '../src/scenario/load';

function benchScenario(teams: number, hosts: number): string {
  return [
    'cyrange: 1',
    'metadata: { id: bench-range, title: Range benchmark, duration: 1h }',
    'organisation: { name: Bench, domain: bench.example, departments: [{ id: staff, name: Staff, headcount: 1, segment: staff }] }',
    'network:',
    '  domain: corp.bench.example',
    '  teamStride: 20',
    '  segments:',
    '    - { id: servers, zone: servers, cidr: 10.160.1.0/24 }',
    '    - { id: staff, zone: staff, cidr: 10.160.2.0/24 }',
    '  firewall: { name: fw, fidelity: live }',
    '  policy: { rules: [{ from: staff, to: servers, ports: [80] }] }',
    'hosts:',
    '  - { name: web, role: web, segment: servers, fidelity: live }',
    `  - { name: "pc-{n:03}", count: ${hosts - 2}, role: workstation, segment: staff, fidelity: live }`,
    `teams: { count: ${teams} }`,
  ].join('\n');
}

export function benchRangePlan(teams: number, hosts: number): Plan {
  const result = loadScenarioText('bench-range.yaml', benchScenario(teams, hosts));
  if (!result.scenario) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return compile(result.scenario);
}
