/**
 * The scripted blue team: a serve-equivalent exercise on scenarios/quickstart.yaml (simulated
 * fidelity, real SQLite, real SessionRunner at 120×, real HTTP and socket.io). Team t01 reads the
 * SOC call, searches its logs, blocks the C2 domain at the proxy, tells the SOC, isolates the PC
 * once the attacker spreads, and reports to management; the test asserts its exact breakdown.
 * Team t02 does nothing and scores what the rules say: nothing, and no penalty.
 */
import type { FieldValue } from '../../src/engine/telemetry/record';
import { type Client, type Json, nextEvent, quickstartPlan } from '../server/support/harness';
import { EPOCH, type Exercise, startExercise } from './support/exercise';

jest.setTimeout(90_000);

const SPEED = 120;
const MIN = 60;

let x: Exercise;
let controller: Client;
let pandas: Client;
let herons: Client;

beforeAll(async () => {
  x = await startExercise(quickstartPlan());
  controller = await x.login('controller');
  pandas = await x.login('team', 't01');
  herons = await x.login('team', 't02');
});
afterAll(async () => {
  await x?.close();
});

function search(team: string, filters: Record<string, FieldValue>, fromS = -3600, toS = 3600) {
  return x.runner
    .telemetry(team)
    .search({ from: EPOCH + fromS * 1000, to: EPOCH + toS * 1000, filters, limit: 1000 }).records;
}

it('plays the quickstart end to end and scores exactly what the rules say', async () => {
  const socket = await pandas.socket();
  const socCall = nextEvent<Json>(socket, 'inbox:message', (m) => m.from === 'soc', 30_000);
  const start = await controller.req('POST', '/api/exercise/clock', { action: 'start', speed: SPEED });
  expect(start.status).toBe(200);

  // 1. The SOC calls (T+8m): read it from the inbox.
  await socCall;
  const inbox = await pandas.req('GET', '/api/teams/t01/inbox');
  const call = inbox.body.messages.find((m: Json) => m.from === 'soc');
  const domain = /([a-z0-9-]+\.example)/.exec(call.body)![1]!;
  expect(domain).toBe('update-check.example');

  // 2. Search the proxy log for the domain: one PC calls it, and the proxy lets it through.
  const calls = search('t01', { 'destination.domain': domain, 'event.action': 'proxy-request' });
  expect(calls.length).toBeGreaterThan(5);
  const hosts = [...new Set(calls.map((r) => r['host.name']))];
  expect(hosts).toEqual(['pc-victim']);
  expect(new Set(calls.map((r) => r['http.response.status_code']))).toEqual(new Set([200]));

  // 3. Block the domain at the proxy, and tell the SOC which PC it is.
  const heronSocket = await herons.socket();
  const leaked: unknown[] = [];
  heronSocket.on('team:action', (a) => leaked.push(a));
  const pushed = nextEvent<Json>(socket, 'team:action', (a) => a.action === 'proxy.block', 5000);
  const block = await pandas.req('POST', '/api/teams/t01/actions', { action: 'proxy.block', domain });
  expect(block.status).toBe(201);
  expect(block.body.action).toMatchObject({
    action: 'proxy.block',
    actor: expect.any(String),
    input: { action: 'proxy.block', domain },
    result: { ok: true, fidelity: 'simulated' },
  });
  const blockedAt = block.body.action.scenarioTime as number;
  // Pushed live to the team over socket.io, never to another team.
  expect(await pushed).toEqual(block.body.action);
  const toSoc = await pandas.req('POST', '/api/teams/t01/reports', {
    kind: 'situation',
    to: 'soc',
    title: 'Found the PC calling update-check.example',
    hosts: ['pc-victim'],
    indicators: ['update-check[.]example'],
    narrative: 'pc-victim calls the domain every 30 s; we blocked it at the proxy.',
  });
  expect(toSoc.status).toBe(201);

  // 4. The attacker spreads (T+15m): isolate the PC.
  await x.until(16 * MIN);
  const isolate = await pandas.req('POST', '/api/teams/t01/actions', {
    action: 'host.isolate',
    host: 'pc-victim',
  });
  expect(isolate.status).toBe(201);
  const isolatedAt = isolate.body.action.scenarioTime as number;

  // The simulation obeys: after the block the proxy denies the beacons; after the isolation the
  // PC sends nothing at all.
  await x.until(isolatedAt + 2 * MIN);
  const later = search(
    't01',
    { 'destination.domain': domain, 'event.action': 'proxy-request' },
    blockedAt + 1,
    3600,
  );
  expect(later.length).toBeGreaterThan(3);
  for (const r of later) {
    expect(r).toMatchObject({ 'http.response.status_code': 403, 'squid.result': 'TCP_DENIED' });
    expect(Date.parse(String(r['@timestamp']))).toBeLessThan(EPOCH + isolatedAt * 1000);
  }
  expect(search('t01', { 'host.name': 'pc-victim', 'event.category': 'web' }, isolatedAt + 1)).toEqual([]);
  expect(search('t01', { 'host.name': 'pc-victim', 'event.category': 'network' }, isolatedAt + 1)).toEqual(
    [],
  );
  // The other team's copy is untouched: its PC still reaches the C2.
  const theirs = search(
    't02',
    { 'destination.domain': domain, 'event.action': 'proxy-request' },
    blockedAt + 1,
    3600,
  );
  expect(theirs.length).toBeGreaterThan(3);
  expect(new Set(theirs.map((r) => r['http.response.status_code']))).toEqual(new Set([200]));

  // 5. Management asks for the report (T+20m): send it.
  await x.until(20 * MIN + 10);
  const report = await pandas.req('POST', '/api/teams/t01/reports', {
    kind: 'incident',
    to: 'management',
    title: 'Implant on pc-victim beaconing to update-check.example',
    hosts: ['pc-victim'],
    indicators: ['update-check[.]example'],
    techniques: ['T1071.001'],
    narrative: 'Blocked the C2 domain at the proxy, isolated pc-victim.',
  });
  expect(report.status).toBe(201);

  // 6. The exercise runs to its end (T+30m).
  await x.finished();
  expect(x.runner.scenarioNow()).toBeGreaterThanOrEqual(30 * MIN);

  // The probe verified the containment from the simulation's state.
  const verified = x.events().filter((e) => (e.type as string) === 'containment.verified');
  expect(verified.map((e) => [e.team, e.payload])).toEqual([
    ['t01', { expectation: 'contain-victim', ok: true, detail: 'pc-victim is isolated (simulation)' }],
  ]);
  // Every action is in the log, with who and what it changed.
  const actions = (await controller.req('GET', '/api/teams/t01/actions')).body.actions;
  expect(actions.map((a: Json) => [a.action, a.result.ok])).toEqual([
    ['proxy.block', true],
    ['host.isolate', true],
  ]);

  // The exact breakdowns, as the white cell sees them.
  const a = await waitForTotal(controller, 't01', 250);
  expect(
    a.entries.map((e: Json) => ({ kind: e.kind, expectation: e.expectation, points: e.points })),
  ).toEqual([
    { kind: 'expectation', expectation: 'detect-c2', points: 100 },
    { kind: 'expectation', expectation: 'contain-victim', points: 100 },
    { kind: 'expectation', expectation: 'incident-report', points: 50 },
  ]);
  const b = await waitForTotal(controller, 't02', 0);
  expect(b.entries).toEqual([]);
  const board = await controller.req('GET', '/api/scoreboard');
  expect(board.body.rows.map((t: Json) => [t.team, t.total, t.rank])).toEqual([
    ['t01', 250, 1],
    ['t02', 0, 2],
  ]);
  expect(leaked).toEqual([]);
});

async function waitForTotal(c: Client, team: string, total: number): Promise<Json> {
  let last: Json;
  for (let i = 0; i < 100; i++) {
    last = (await c.req('GET', `/api/teams/${team}/score`)).body;
    if (last.total === total) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`team ${team} total ${last.total}, expected ${total}: ${JSON.stringify(last.entries)}`);
}
