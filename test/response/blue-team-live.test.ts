/**
 * The scripted blue team on the live quickstart range: `rangeUp` brings up both teams' live hosts
 * (firewall, proxy, DNS, C2, the victim's PC) under this suite's own exercise id, the exercise
 * runs as `serve --live` runs it (Docker driver, real logs collected), and the range is always
 * torn down. The real implant beacons through Squid; the team finds it in the collected proxy
 * log, blocks the domain (Squid denies it), isolates the PC (DROP rules on the firewall, verified
 * by the probe) and reports. The breakdown is the same as on the simulated range.
 */
import { loadPlan } from '../../src/cli/load-plan';
import type { FieldValue } from '../../src/engine/telemetry/record';
import type { Clients } from '../../src/range/docker/clients';
import { LABEL } from '../../src/range/labels';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { rangeUp } from '../../src/range/lifecycle/range-up';
import { engineClients, eventually, exerciseId, requireImages } from '../range-driver/support/driver-range';
import { type Client, type Json, nextEvent, QUICKSTART } from '../server/support/harness';
import { EPOCH, type Exercise, startExercise } from './support/exercise';

jest.setTimeout(300_000);

const exercise = exerciseId('blue');
const MIN = 60;
let clients: Clients;
let x: Exercise;
let controller: Client;
let pandas: Client;

beforeAll(async () => {
  clients = await engineClients();
  const plan = loadPlan(QUICKSTART, {});
  await requireImages(clients, plan);
  const up = await rangeUp(clients, plan, { exercise });
  expect(up.failed).toEqual([]);
  x = await startExercise(plan, { exercise, clients });
  controller = await x.login('controller');
  pandas = await x.login('team', 't01');
}, 600_000);

afterAll(async () => {
  await x?.close();
  if (clients) {
    await rangeDown(clients, exercise);
    const filter = { label: [`${LABEL.exercise}=${exercise}`] };
    expect(await clients.containers.list(filter)).toEqual([]);
    expect(await clients.networks.list(filter)).toEqual([]);
  }
}, 120_000);

const proxyLog = (team: string, filters: Record<string, FieldValue>) =>
  x.runner.telemetry(team).search({
    from: EPOCH - 3600_000,
    to: EPOCH + 3600_000,
    filters: { 'event.action': 'proxy-request', ...filters },
    limit: 1000,
  }).records;

it('finds, blocks, isolates and reports on real containers, and scores exactly the same', async () => {
  const socket = await pandas.socket();
  const socCall = nextEvent<Json>(socket, 'inbox:message', (m) => m.from === 'soc', 60_000);
  expect((await controller.req('POST', '/api/exercise/clock', { action: 'start', speed: 40 })).status).toBe(
    200,
  );
  await socCall;

  // The real beacon is in the proxy log the collector read from Squid.
  const domain = 'update-check.example';
  const seen = await eventually(async () => {
    const r = proxyLog('t01', { 'destination.domain': domain });
    return r.length > 0 ? r : undefined;
  }, 30_000);
  expect(seen).toBeDefined();
  expect([...new Set(seen!.map((r) => r['host.name']))]).toEqual(['pc-victim']);

  const block = await pandas.req('POST', '/api/teams/t01/actions', { action: 'proxy.block', domain });
  expect(block.body.action.result).toMatchObject({ ok: true, fidelity: 'live' });
  // Squid denies it now, and the denial reaches the team's proxy log.
  const proxy = x.plan.teams[0]!.hosts.find((h) => h.role === 'proxy')!;
  const curl = await clients.exec.run(
    `${exercise}-t01-pc-victim`,
    [
      'curl',
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-m',
      '5',
      '-x',
      `http://${proxy.ip}:3128`,
      `http://${domain}/gate`,
    ],
    { timeoutSec: 15 },
  );
  expect(curl.stdout).toBe('403');
  const denied = await eventually(async () => {
    const r = proxyLog('t01', { 'destination.domain': domain, 'http.response.status_code': 403 });
    return r.length > 0 ? r : undefined;
  }, 30_000);
  expect(denied![0]).toMatchObject({ 'squid.result': 'TCP_DENIED', 'host.name': 'pc-victim' });
  await pandas.req('POST', '/api/teams/t01/reports', {
    kind: 'situation',
    to: 'soc',
    title: 'Found the PC calling update-check.example',
    hosts: ['pc-victim'],
    indicators: ['update-check[.]example'],
  });

  await x.until(16 * MIN, 120_000);
  const isolate = await pandas.req('POST', '/api/teams/t01/actions', {
    action: 'host.isolate',
    host: 'pc-victim',
  });
  expect(isolate.body.action.result).toMatchObject({ ok: true, fidelity: 'live' });
  const rules = (
    await clients.exec.run(`${exercise}-t01-fw`, ['iptables', '-S', 'FORWARD'], { timeoutSec: 10 })
  ).stdout;
  expect(rules).toContain('cyrange-isolate -j DROP');
  // The other team's firewall is untouched.
  const theirs = (
    await clients.exec.run(`${exercise}-t02-fw`, ['iptables', '-S', 'FORWARD'], { timeoutSec: 10 })
  ).stdout;
  expect(theirs).not.toContain('cyrange-');

  await x.until(20 * MIN + 10, 120_000);
  await pandas.req('POST', '/api/teams/t01/reports', {
    kind: 'incident',
    to: 'management',
    title: 'Implant on pc-victim beaconing to update-check.example',
    hosts: ['pc-victim'],
    indicators: ['update-check[.]example'],
    narrative: 'Blocked the C2 domain at the proxy, isolated pc-victim.',
  });
  await x.finished();

  // The live probe saw the DROP rules on the firewall.
  const verified = x.events().filter((e) => (e.type as string) === 'containment.verified');
  expect(verified.map((e) => [e.team, (e.payload as Json).expectation, (e.payload as Json).detail])).toEqual([
    ['t01', 'contain-victim', expect.stringMatching(/^firewall fw drops traffic from pc-victim/)],
  ]);
  // Services were checked every round, from inside the range.
  const checks = x.events().filter((e) => (e.type as string) === 'service.checked');
  expect(new Set(checks.map((e) => (e.payload as Json).host))).toEqual(new Set(['proxy', 'dns']));

  const score = async (team: string) => (await controller.req('GET', `/api/teams/${team}/score`)).body;
  const a = await eventually(
    async () => ((await score('t01')).total === 250 ? score('t01') : undefined),
    10_000,
  );
  expect(a?.entries.map((e: Json) => [e.kind, e.expectation, e.points])).toEqual([
    ['expectation', 'detect-c2', 100],
    ['expectation', 'contain-victim', 100],
    ['expectation', 'incident-report', 50],
  ]);
  const b = await score('t02');
  expect({ total: b.total, entries: b.entries }).toEqual({ total: 0, entries: [] });
});
