/**
 * The simulation obeys response actions: a pure fold of `team.action` events decides which
 * records a team's range still produces, and how.
 */
import type { StoredEvent } from '../../src/engine/events/event-types';
import { applyResponseEffects, foldResponseEffects } from '../../src/engine/simulation/response-effects';
import type { TelemetryRecord } from '../../src/engine/telemetry/record';

const EPOCH = Date.UTC(2026, 0, 5, 10);
let seq = 0;

function action(at: number, name: string, detail: Record<string, unknown>, team = 't01'): StoredEvent {
  return {
    type: 'team.action',
    team,
    session: 's',
    seq: ++seq,
    scenarioTime: at,
    wallTime: 0,
    payload: { actor: 'bob', action: name, detail: { ...detail, result: { ok: true } } },
  };
}

const rec = (at: number, fields: Record<string, string | number>): TelemetryRecord => ({
  id: `r${at}`,
  ts: EPOCH + at * 1000,
  fields,
});
const proxy = (at: number, host: string, domain: string) =>
  rec(at, {
    'event.category': 'web',
    'event.action': 'proxy-request',
    'host.name': host,
    'destination.domain': domain,
    'http.response.status_code': 200,
  });

it('an isolated host stops talking from the action until its release; other records stay', () => {
  const fx = foldResponseEffects(
    [
      action(100, 'host.isolate', { host: 'pc-victim' }),
      action(200, 'undo.host.release', { host: 'pc-victim' }),
    ],
    't01',
    EPOCH,
  );
  expect(applyResponseEffects(fx, proxy(99, 'pc-victim', 'a.example'))).toBeDefined();
  expect(applyResponseEffects(fx, proxy(100, 'pc-victim', 'a.example'))).toBeUndefined();
  expect(
    applyResponseEffects(
      fx,
      rec(150, { 'event.category': 'network', 'event.action': 'dns-query', 'host.name': 'PC-VICTIM' }),
    ),
  ).toBeUndefined();
  expect(applyResponseEffects(fx, proxy(150, 'pc-other', 'a.example'))).toBeDefined();
  // A process start on the isolated host still happens: it is cut off, not switched off.
  expect(
    applyResponseEffects(
      fx,
      rec(150, { 'event.category': 'process', 'event.action': 'process-created', 'host.name': 'pc-victim' }),
    ),
  ).toBeDefined();
  expect(applyResponseEffects(fx, proxy(200, 'pc-victim', 'a.example'))).toBeDefined();
});

it('a blocked domain (and its subdomains) shows TCP_DENIED/403 instead of successes', () => {
  const fx = foldResponseEffects([action(60, 'proxy.block', { domain: 'evil.example' })], 't01', EPOCH);
  expect(applyResponseEffects(fx, proxy(59, 'pc', 'evil.example'))!.fields['http.response.status_code']).toBe(
    200,
  );
  for (const d of ['evil.example', 'cdn.evil.example', 'EVIL.example']) {
    expect(applyResponseEffects(fx, proxy(61, 'pc', d))!.fields).toMatchObject({
      'http.response.status_code': 403,
      'squid.result': 'TCP_DENIED',
      'event.outcome': 'failure',
    });
  }
  expect(
    applyResponseEffects(fx, proxy(61, 'pc', 'notevil.example'))!.fields['http.response.status_code'],
  ).toBe(200);
});

it('a disabled account logs on no more (4625); only the team that acted is affected', () => {
  const events = [action(10, 'account.disable', { account: 'alice.tanaka' })];
  const logon = rec(20, {
    'event.category': 'authentication',
    'event.action': 'logged-in',
    'event.code': '4624',
    'user.name': 'alice.tanaka',
  });
  expect(applyResponseEffects(foldResponseEffects(events, 't01', EPOCH), logon)!.fields).toMatchObject({
    'event.action': 'logon-failed',
    'event.code': '4625',
    'event.outcome': 'failure',
  });
  expect(applyResponseEffects(foldResponseEffects(events, 't02', EPOCH), logon)).toBe(logon);
});

it('failed actions and blocks of an IP at the firewall', () => {
  const failed = action(10, 'host.isolate', { host: 'pc' });
  (failed.payload as { detail: Record<string, unknown> }).detail.result = { ok: false };
  const fx = foldResponseEffects([failed, action(10, 'firewall.block', { ip: '203.0.113.7' })], 't01', EPOCH);
  expect(applyResponseEffects(fx, proxy(20, 'pc', 'a.example'))).toBeDefined();
  const conn = rec(20, {
    'event.category': 'network',
    'event.action': 'network-connection',
    'destination.ip': '203.0.113.7',
  });
  expect(applyResponseEffects(fx, conn)!.fields).toMatchObject({
    'event.outcome': 'failure',
    'event.type': 'denied',
  });
});
