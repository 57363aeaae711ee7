/**
 * The action API: a closed, validated catalog; team scoping in the route (another team's path is
 * 404) and in the action layer (another team's address is 403, and nothing is recorded); every
 * action durable in the log before the answer; the controller's undo with a reason.
 */
import { type Client, type Harness, type Json, startHarness } from '../server/support/harness';

let h: Harness;
let team: Client;
let controller: Client;

beforeEach(async () => {
  h = await startHarness();
  team = await h.login('team', 't01');
  controller = await h.login('controller');
});
afterEach(async () => {
  await h.close();
});

const actionsInLog = () => h.store.read('test-session').filter((e) => e.type === 'team.action');

it('refuses what is not in the catalog, naming the field', async () => {
  const cases: [unknown, string][] = [
    [{ action: 'host.format', host: 'pc-victim' }, 'body.action'],
    [{ action: 'proxy.block', domain: 'evil example' }, 'body.domain'],
    [{ action: 'firewall.block', ip: '300.1.1.1' }, 'body.ip'],
    [{ action: 'process.kill', host: 'pc-victim', process: 'x; rm -rf /' }, 'body.process'],
    [{ action: 'host.isolate', host: 'pc-victim', extra: 1 }, 'body'],
    [{ action: 'evidence.collect', host: 'pc-victim', kind: 'hash' }, 'body.path'],
  ];
  for (const [body, field] of cases) {
    const r = await team.req('POST', '/api/teams/t01/actions', body);
    expect({ status: r.status, code: r.body.error?.code }).toEqual({
      status: 422,
      code: 'validation_failed',
    });
    expect(r.body.error.field).toBe(field);
  }
  expect(actionsInLog()).toEqual([]);
});

it("acts on the team's own range only", async () => {
  const other = await team.req('POST', '/api/teams/t02/actions', {
    action: 'host.isolate',
    host: 'pc-victim',
  });
  expect(other.status).toBe(404);
  const t02Victim = h.plan.teams[1]!.hosts.find((x) => x.name === 'pc-victim')!;
  const byAddress = await team.req('POST', '/api/teams/t01/actions', {
    action: 'host.isolate',
    host: t02Victim.ip,
  });
  expect(byAddress.status).toBe(403);
  expect(byAddress.body.error.message).toContain('not a host of team t01');
  const unknown = await team.req('POST', '/api/teams/t01/actions', {
    action: 'host.isolate',
    host: 'pc-nope',
  });
  expect(unknown.status).toBe(404);
  expect(actionsInLog()).toEqual([]);
  // Its own PC by address is its own PC by name.
  const own = h.plan.teams[0]!.hosts.find((x) => x.name === 'pc-victim')!;
  const ok = await team.req('POST', '/api/teams/t01/actions', { action: 'host.isolate', host: own.ip });
  expect(ok.status).toBe(201);
  expect(ok.body.action.input).toEqual({ action: 'host.isolate', host: 'pc-victim' });
});

it('records who, when, what and what changed before answering; the white cell reads it, others do not', async () => {
  const r = await team.req('POST', '/api/teams/t01/actions', {
    action: 'account.disable',
    account: 'ALICE.TANAKA',
    reason: 'her PC beacons',
  });
  expect(r.status).toBe(201);
  const [e] = actionsInLog();
  expect(e).toMatchObject({
    team: 't01',
    seq: r.body.action.id,
    payload: {
      actor: expect.any(String),
      action: 'account.disable',
      detail: {
        account: 'alice.tanaka',
        result: {
          ok: true,
          fidelity: 'simulated',
          changed: 'account alice.tanaka is disabled: its logons fail',
        },
      },
    },
  });
  const list = await controller.req('GET', '/api/teams/t01/actions');
  expect(list.body.actions).toEqual([r.body.action]);
  const t02 = await h.login('team', 't02');
  expect((await t02.req('GET', '/api/teams/t01/actions')).status).toBe(404);
  expect((await t02.req('GET', '/api/teams/t02/actions')).body.actions).toEqual([]);
});

it('the controller undoes an action with its reverse, once, with a reason', async () => {
  const block = await team.req('POST', '/api/teams/t01/actions', {
    action: 'proxy.block',
    domain: 'agency.example',
  });
  const id = block.body.action.id as number;
  expect((await team.req('POST', `/api/teams/t01/actions/${id}/undo`, { reason: 'mine' })).status).toBe(403);
  expect((await controller.req('POST', `/api/teams/t01/actions/${id}/undo`, {})).status).toBe(422);
  const undo = await controller.req('POST', `/api/teams/t01/actions/${id}/undo`, {
    reason: 'blocked the agency itself',
  });
  expect(undo.status).toBe(200);
  expect(undo.body.action.undone).toMatchObject({
    by: expect.any(String),
    reason: 'blocked the agency itself',
    result: { ok: true },
  });
  const last = actionsInLog().at(-1)!;
  expect(last.payload).toMatchObject({
    action: 'undo.proxy.unblock',
    detail: { domain: 'agency.example', undoes: id },
  });
  const again = await controller.req('POST', `/api/teams/t01/actions/${id}/undo`, { reason: 'twice' });
  expect(again.status).toBe(409);
  const evidence = await team.req('POST', '/api/teams/t01/actions', {
    action: 'evidence.collect',
    host: 'pc-victim',
    kind: 'processes',
  });
  expect(evidence.body.action.result.output).toContain('simulated host');
  const undoEvidence = await controller.req(
    'POST',
    `/api/teams/t01/actions/${evidence.body.action.id}/undo`,
    {
      reason: 'no',
    },
  );
  expect(undoEvidence.status).toBe(409);
  expect((await controller.req('POST', '/api/teams/t01/actions/999999/undo', { reason: 'x' })).status).toBe(
    404,
  );
});

it('isolating a critical host costs the destructive-action penalty', async () => {
  h.append([{ type: 'team.joined', team: 't01', payload: { name: 'Red Pandas', members: [] } }]);
  const r = await team.req('POST', '/api/teams/t01/actions', { action: 'host.isolate', host: 'dns' });
  expect(r.status).toBe(201);
  let score: Json;
  for (let i = 0; i < 60; i++) {
    score = (await controller.req('GET', '/api/teams/t01/score')).body;
    if (score.total !== 0) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  expect(score.entries).toEqual([
    expect.objectContaining({
      kind: 'destructive',
      points: -100,
      reason: 'destructive action: isolated critical host dns',
    }),
  ]);
});
