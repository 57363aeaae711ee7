/**
 * `up` waits for what each host says on its output (the image's `cyrange-ready`), not for execs: it
 * runs no exec at all, still fails a host whose check never passes with the check's own complaint,
 * and never trusts the "ready" an earlier run of a restarted container left in its log.
 */
import { formatDiagnostic } from '../../src/common/diagnostic';
import { compile } from '../../src/compiler/compile';
import type { Plan } from '../../src/compiler/plan';
import type { Clients } from '../../src/range/docker/clients';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { rangeUp } from '../../src/range/lifecycle/range-up';
import { READY_LINE } from '../../src/range/readiness/readiness-checks';
import { loadScenarioText } from '../../src/scenario/load';
import { engineClients, exerciseId } from './support/live-range';

jest.setTimeout(120_000);

const exercise = exerciseId('ready');
const pc = `${exercise}-t01-pc-01`;
// Passes until a file appears on the host's disk, which survives a restart of the container.
const readiness = {
  workstation: { command: 'echo "blocked by /etc/cyrange-block" >&2; test ! -f /etc/cyrange-block' },
};
let clients: Clients;
let plan: Plan;

function onePc(): Plan {
  const yaml = [
    'cyrange: 1',
    'metadata: { id: ready-range, title: Ready test, duration: 1h }',
    'organisation: { name: Ready, domain: ready.example, departments: [{ id: staff, name: Staff, headcount: 1, segment: staff }] }',
    'network:',
    '  domain: corp.ready.example',
    '  segments: [{ id: staff, zone: staff, cidr: 10.243.16.0/24 }]',
    'hosts: [{ name: pc-01, role: workstation, segment: staff, department: staff, fidelity: live }]',
    'teams: { count: 1 }',
  ].join('\n');
  const result = loadScenarioText('ready.yaml', yaml);
  if (!result.scenario) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return compile(result.scenario);
}

beforeAll(async () => {
  clients = await engineClients();
  plan = onePc();
});

afterAll(async () => {
  if (clients) await rangeDown(clients, exercise);
}, 120_000);

test('up brings a host to ready without a single exec, and the host said so on its output', async () => {
  const run = clients.exec.run.bind(clients.exec);
  let execs = 0;
  clients.exec.run = (...args) => {
    execs++;
    return run(...args);
  };
  try {
    const up = await rangeUp(clients, plan, { exercise, readiness });
    expect(up.failed).toEqual([]);
    expect(up.ready).toEqual([pc]);
  } finally {
    clients.exec.run = run;
  }
  expect(execs).toBe(0);
  expect(await clients.containers.logs(pc, 50)).toContain(READY_LINE);
});

test("a restarted host is not ready on its last run's word, and fails with its check's complaint", async () => {
  await clients.exec.run(pc, ['touch', '/etc/cyrange-block']);
  await clients.containers.kill(pc);
  const again = await rangeUp(clients, plan, { exercise, readiness, readyTimeoutMs: 3_000 });
  expect(again.restarted).toBe(1);
  expect(again.ready).toEqual([]);
  expect(again.failed).toEqual([
    { name: pc, reason: expect.stringMatching(/^not ready after 3s: blocked by \/etc\/cyrange-block/) },
  ]);
  // Failed hosts are removed, never left half-started.
  expect(await clients.containers.list({ name: [pc] })).toEqual([]);
});

test('a host whose check passes again after a restart is ready again', async () => {
  const up = await rangeUp(clients, plan, { exercise, readiness });
  expect(up.created).toBe(1);
  await clients.containers.kill(pc);
  const again = await rangeUp(clients, plan, { exercise, readiness });
  expect(again).toMatchObject({ restarted: 1, ready: [pc], failed: [] });
  const said = (await clients.containers.logs(pc, 50)).split('\n').filter((l) => l === READY_LINE);
  expect(said).toHaveLength(2);
});
