/**
 * MSEL rules: injects name phases, hosts and people that exist; live actions target live hosts
 * with a route for the channel they use; each expectation carries what its type needs.
 */

import type { PolicyRulePlan } from '../../compiler/plan';
import { allows, normaliseRule } from '../../compiler/policy';
import type { ScenarioAction, ScenarioExpectation } from '../schema';
import type { PathSegment } from '../source';
import { isLive, type RuleContext } from './context';

const HTTP_PORTS = [80, 443];

export function checkMsel(ctx: RuleContext): void {
  const msel = ctx.scenario.msel;
  if (!msel) return;
  const phases = msel.phases.map((p) => p.id);
  msel.injects.forEach((inj, i) => {
    const path: PathSegment[] = ['msel', 'injects', i];
    if (!phases.includes(inj.phase)) ctx.unknown([...path, 'phase'], 'phase', inj.phase, phases);
    checkAction(ctx, inj.action, [...path, 'action']);
    inj.cleanup.forEach((a, j) => {
      checkAction(ctx, a, [...path, 'cleanup', j]);
    });
    inj.expectations.forEach((e, j) => {
      checkExpectation(ctx, e, [...path, 'expectations', j]);
    });
  });
}

function checkAction(ctx: RuleContext, a: ScenarioAction, path: PathSegment[]): void {
  const host = (name: string, ...field: PathSegment[]) => {
    if (!ctx.hosts.has(name)) {
      ctx.unknown([...path, ...field], 'host', name, ctx.hosts.keys());
      return false;
    }
    return true;
  };
  switch (a.type) {
    case 'exec':
    case 'file':
    case 'fetch':
      if (host(a.host, 'host')) requireLive(ctx, a.host, a.type, [...path, 'host']);
      break;
    case 'beacon':
      if (host(a.host, 'host') && host(a.c2, 'c2')) checkBeacon(ctx, a, path);
      break;
    case 'mail':
      if (!ctx.people.has(a.to)) ctx.unknown([...path, 'to'], 'person', a.to, ctx.people);
      if (![...ctx.hosts.values()].some((h) => h.entry.role === 'mail')) {
        ctx.report(
          [...path, 'type'],
          'a `mail` inject needs a host with role `mail` to deliver to',
          'add a mail server to `hosts`, or send a `message` instead',
        );
      }
      break;
    case 'telemetry':
      a.events.forEach((ev, j) => {
        host(ev.host, 'events', j, 'host');
        if (ev.user !== undefined && !ctx.people.has(ev.user))
          ctx.unknown([...path, 'events', j, 'user'], 'person', ev.user, ctx.people);
      });
      break;
    case 'message':
      break;
  }
}

function requireLive(ctx: RuleContext, host: string, what: string, path: PathSegment[]): boolean {
  if (ctx.fidelity === 'simulated' || isLive(ctx, host)) return true;
  ctx.report(
    path,
    `\`${what}\` runs on a live host, but \`${host}\` is simulated`,
    `set \`fidelity: live\` on \`${host}\`, or use a \`telemetry\` action`,
  );
  return false;
}

/** A beacon needs HTTP from the infected host to the C2: through the egress proxy when there is one. */
function checkBeacon(
  ctx: RuleContext,
  a: Extract<ScenarioAction, { type: 'beacon' }>,
  path: PathSegment[],
): void {
  requireLive(ctx, a.host, 'beacon', [...path, 'host']);
  const c2 = ctx.hosts.get(a.c2)!;
  if (!c2.entry.aliases.includes(a.domain)) {
    ctx.report(
      [...path, 'domain'],
      `\`${a.domain}\` is not one of \`${a.c2}\`'s aliases`,
      `add it to \`aliases\` of \`${a.c2}\` so the range's DNS resolves it`,
    );
  }
  const policy = policyOf(ctx);
  const from = ctx.hosts.get(a.host)!.entry.segment;
  const egress = ctx.scenario.network.egress;
  const proxy = egress ? ctx.hosts.get(egress.proxy) : undefined;
  const reach = (src: string, dst: string, ports: number[]) => ports.some((p) => allows(policy, src, dst, p));
  const ok = proxy
    ? reach(from, proxy.entry.segment, [egress!.port]) &&
      reach(proxy.entry.segment, c2.entry.segment, HTTP_PORTS)
    : reach(from, c2.entry.segment, HTTP_PORTS);
  if (!ok) {
    const via = proxy ? ` through the proxy \`${egress!.proxy}\` (port ${egress!.port})` : '';
    ctx.report(
      [...path, 'host'],
      `\`${a.host}\` has no route to \`${a.c2}\` over HTTP${via} under the network policy`,
      `allow ${from} → ${proxy ? `${proxy.entry.segment}:${egress!.port}, and ${proxy.entry.segment} → ` : ''}${c2.entry.segment}:80/443 in network.policy.rules`,
    );
  }
}

function policyOf(ctx: RuleContext): { default: 'allow' | 'deny'; rules: PolicyRulePlan[] } {
  const p = ctx.scenario.network.policy ?? { default: 'deny' as const, rules: [] };
  return { default: p.default, rules: p.rules.map((r) => normaliseRule(r, ctx.scenario.network.segments)) };
}

function checkExpectation(ctx: RuleContext, e: ScenarioExpectation, path: PathSegment[]): void {
  const needs: Record<ScenarioExpectation['type'], keyof ScenarioExpectation> = {
    detection: 'match',
    containment: 'check',
    report: 'report',
    manual: 'rubric',
  };
  const field = needs[e.type];
  if (e[field] === undefined)
    ctx.report(path, `a \`${e.type}\` expectation needs \`${field}\``, `add \`${field}:\` to \`${e.id}\``);
  if (e.match) {
    e.match.hosts.forEach((h, i) => {
      if (!ctx.hosts.has(h)) ctx.unknown([...path, 'match', 'hosts', i], 'host', h, ctx.hosts.keys());
    });
    e.match.users.forEach((u, i) => {
      if (!ctx.people.has(u)) ctx.unknown([...path, 'match', 'users', i], 'person', u, ctx.people);
    });
    const listed =
      e.match.hosts.length + e.match.users.length + e.match.indicators.length + e.match.techniques.length;
    if (listed === 0)
      ctx.report(
        [...path, 'match'],
        '`match` lists nothing a report could name',
        'list hosts, users, indicators or techniques',
      );
    if (e.match.require !== undefined && e.match.require > listed)
      ctx.report(
        [...path, 'match', 'require'],
        `\`require: ${e.match.require}\` is more than the ${listed} items listed`,
        `use at most ${listed}`,
      );
  }
  const c = e.check as Record<string, unknown> | undefined;
  if (c) {
    for (const key of ['isolated', 'beaconStopped'] as const) {
      if (typeof c[key] === 'string' && !ctx.hosts.has(c[key] as string))
        ctx.unknown([...path, 'check', key], 'host', c[key] as string, ctx.hosts.keys());
    }
    if (typeof c.accountDisabled === 'string' && !ctx.people.has(c.accountDisabled))
      ctx.unknown([...path, 'check', 'accountDisabled'], 'person', c.accountDisabled, ctx.people);
  }
}
