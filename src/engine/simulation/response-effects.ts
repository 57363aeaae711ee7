/**
 * What a team's response actions do to its simulated hosts, as a pure fold of its `team.action`
 * events: nothing is stored besides the log, so the effect of an action is the same after a
 * restart, in a replay, and in every query. An effect holds from the action's scenario time
 * until the action that reverses it (release, unblock, enable, or the controller's undo).
 *
 * * an isolated host produces no network, proxy, DNS, share or mail records;
 * * a request through the proxy to a blocked domain (or a subdomain) is denied: `TCP_DENIED/403`;
 * * a connection to a blocked IP is denied at the firewall;
 * * a logon of a disabled account fails (4625).
 */
import type { StoredEvent } from '../events/event-types';
import type { FieldValue, TelemetryRecord } from '../telemetry/record';

/** [from, to) in unix ms; `to` is Infinity while the effect holds. */
export interface EffectSpan {
  from: number;
  to: number;
}

export interface ResponseEffects {
  isolated: Map<string, EffectSpan[]>;
  blockedDomains: Map<string, EffectSpan[]>;
  blockedIps: Map<string, EffectSpan[]>;
  disabledAccounts: Map<string, EffectSpan[]>;
  /** Processes killed (host → lower-case process names with the time), cleared by a restore. */
  killed: { host: string; process: string; at: number }[];
  /** Hosts restored from their image, with the time. */
  restored: { host: string; at: number }[];
}

type Verb = 'on' | 'off';

/** The simulated effect of each action name (an `undo.` prefix is the controller's reversal). */
const EFFECTS: Record<string, [keyof Omit<ResponseEffects, 'killed' | 'restored'>, string, Verb]> = {
  'host.isolate': ['isolated', 'host', 'on'],
  'host.release': ['isolated', 'host', 'off'],
  'proxy.block': ['blockedDomains', 'domain', 'on'],
  'proxy.unblock': ['blockedDomains', 'domain', 'off'],
  'firewall.block': ['blockedIps', 'ip', 'on'],
  'firewall.unblock': ['blockedIps', 'ip', 'off'],
  'account.disable': ['disabledAccounts', 'account', 'on'],
  'account.enable': ['disabledAccounts', 'account', 'off'],
};

export function emptyEffects(): ResponseEffects {
  return {
    isolated: new Map(),
    blockedDomains: new Map(),
    blockedIps: new Map(),
    disabledAccounts: new Map(),
    killed: [],
    restored: [],
  };
}

/** Folds one team's `team.action` events (in log order) into the effects on its simulation. */
export function foldResponseEffects(
  events: readonly StoredEvent[],
  team: string,
  epochMs: number,
): ResponseEffects {
  const fx = emptyEffects();
  for (const e of events) {
    if (e.type !== 'team.action' || e.team !== team) continue;
    const name = e.payload.action.replace(/^undo\./, '');
    const detail = e.payload.detail;
    const result = detail.result as { ok?: unknown } | undefined;
    if (result && result.ok === false) continue;
    const at = epochMs + e.scenarioTime * 1000;
    const effect = EFFECTS[name];
    if (effect) {
      const [field, key, verb] = effect;
      const target = typeof detail[key] === 'string' ? (detail[key] as string).toLowerCase() : undefined;
      if (target) toggle(fx[field], target, verb, at);
    } else if (
      name === 'process.kill' &&
      typeof detail.host === 'string' &&
      typeof detail.process === 'string'
    ) {
      fx.killed.push({ host: detail.host.toLowerCase(), process: detail.process.toLowerCase(), at });
    } else if (name === 'host.restore' && typeof detail.host === 'string') {
      fx.restored.push({ host: detail.host.toLowerCase(), at });
    }
  }
  return fx;
}

function toggle(map: Map<string, EffectSpan[]>, key: string, verb: Verb, at: number): void {
  const spans = map.get(key) ?? [];
  const open = spans.find((s) => s.to === Infinity);
  if (verb === 'on' && !open) spans.push({ from: at, to: Infinity });
  if (verb === 'off' && open) open.to = at;
  if (spans.length) map.set(key, spans);
}

export function activeAt(spans: readonly EffectSpan[] | undefined, ts: number): boolean {
  return spans?.some((s) => ts >= s.from && ts < s.to) ?? false;
}

/** Whether `domain` lies within a domain blocked at `ts`. */
export function domainBlockedAt(fx: ResponseEffects, domain: string, ts: number): boolean {
  let d = domain.toLowerCase();
  for (;;) {
    if (activeAt(fx.blockedDomains.get(d), ts)) return true;
    const dot = d.indexOf('.');
    if (dot < 0) return false;
    d = d.slice(dot + 1);
  }
}

const TALKS = new Set(['network', 'web']);
const TALK_ACTIONS = new Set(['share-accessed', 'mail-delivered']);

export function hasEffects(fx: ResponseEffects): boolean {
  return fx.isolated.size + fx.blockedDomains.size + fx.blockedIps.size + fx.disabledAccounts.size > 0;
}

/** The record as the team's range would have produced it under the effects; undefined if never produced. */
export function applyResponseEffects(fx: ResponseEffects, r: TelemetryRecord): TelemetryRecord | undefined {
  const f = r.fields;
  const host = typeof f['host.name'] === 'string' ? f['host.name'].toLowerCase() : undefined;
  const action = String(f['event.action'] ?? '');
  if (
    host !== undefined &&
    (TALKS.has(String(f['event.category'])) || TALK_ACTIONS.has(action)) &&
    activeAt(fx.isolated.get(host), r.ts)
  ) {
    return undefined;
  }
  if (action === 'proxy-request') {
    const domain = f['destination.domain'];
    if (typeof domain === 'string' && domainBlockedAt(fx, domain, r.ts)) {
      return withFields(r, {
        'http.response.status_code': 403,
        'http.response.bytes': 0,
        'squid.result': 'TCP_DENIED',
        'event.outcome': 'failure',
      });
    }
  }
  const dst = f['destination.ip'];
  if (
    typeof dst === 'string' &&
    activeAt(fx.blockedIps.get(dst), r.ts) &&
    TALKS.has(String(f['event.category']))
  ) {
    return withFields(r, { 'event.outcome': 'failure', 'event.type': 'denied' });
  }
  const user = f['user.name'];
  if (
    action === 'logged-in' &&
    typeof user === 'string' &&
    activeAt(fx.disabledAccounts.get(user.toLowerCase()), r.ts)
  ) {
    return withFields(r, {
      'event.action': 'logon-failed',
      'event.code': '4625',
      'event.outcome': 'failure',
      ...(f['winlog.event_id'] !== undefined ? { 'winlog.event_id': 4625 } : {}),
    });
  }
  return r;
}

function withFields(r: TelemetryRecord, extra: Record<string, FieldValue>): TelemetryRecord {
  return { id: r.id, ts: r.ts, fields: { ...r.fields, ...extra } };
}
