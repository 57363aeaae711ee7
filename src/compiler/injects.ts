/** The MSEL compiled: times in seconds from the start, defaults filled, channel and ground truth derived. */
import { parseClock, parseDuration, parseOffset } from '../common/duration';
import type { Scenario, ScenarioAction, ScenarioExpectation, ScenarioInject } from '../scenario/schema';
import type { ActionPlan, Attachment, ConditionPlan, ExpectationPlan, InjectPlan, TriggerPlan } from './plan';

const CONTENT_TYPES: Record<string, string> = {
  eml: 'message/rfc822',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  pdf: 'application/pdf',
};

const seconds = (d: string | number | undefined, fallback: number) =>
  d === undefined ? fallback : (parseDuration(d) ?? fallback);

export interface InjectContext {
  scenario: Scenario;
  isLive(host: string): boolean;
  hasLiveMail: boolean;
}

export function compileInjects(ctx: InjectContext): InjectPlan[] {
  return (ctx.scenario.msel?.injects ?? []).map((inj) => compileInject(ctx, inj));
}

function compileInject(ctx: InjectContext, inj: ScenarioInject): InjectPlan {
  const action = compileAction(inj.action);
  const extra = inj.indicators;
  const truth = groundTruth(action);
  return {
    id: inj.id,
    title: inj.title,
    phase: inj.phase,
    ...(inj.attack ? { attack: { tactic: inj.attack.tactic, technique: inj.attack.technique } } : {}),
    trigger: compileTrigger(ctx.scenario, inj.trigger),
    ...(inj.trigger.if !== undefined ? { condition: inj.trigger.if as ConditionPlan } : {}),
    action,
    channel: channelOf(ctx, action),
    player: inj.player ?? '',
    notes: inj.notes ?? '',
    expected: inj.expected,
    expectations: inj.expectations.map((e) => compileExpectation(ctx.scenario, inj.id, e)),
    indicators: {
      hosts: truth.hosts,
      users: truth.users,
      domains: [...new Set([...truth.domains, ...(extra?.domains ?? [])])],
      ips: extra?.ips ?? [],
      hashes: extra?.hashes ?? [],
    },
    cleanup: inj.cleanup.map(compileAction),
  };
}

export function compileTrigger(scenario: Scenario, t: ScenarioInject['trigger']): TriggerPlan {
  const duration = parseDuration(scenario.metadata.duration) ?? 0;
  if (t.at !== undefined) {
    const at = t.at.includes('+')
      ? parseOffset(t.at)!
      : parseClock(t.at)! - parseClock(scenario.metadata.start)!;
    return { kind: 'offset', at };
  }
  if (t.cron !== undefined) {
    return {
      kind: 'cron',
      expression: t.cron.trim(),
      from: t.from !== undefined ? parseOffset(t.from)! : 0,
      until: t.until !== undefined ? parseOffset(t.until)! : duration,
    };
  }
  if (t.after !== undefined)
    return { kind: 'after', inject: t.after, on: t.on ?? 'success', delay: seconds(t.delay, 0) };
  return { kind: 'manual' };
}

function attachments(list: { name: string; contentType?: string; content?: string }[]): Attachment[] {
  return list.map((a) => ({
    name: a.name,
    contentType:
      a.contentType ?? CONTENT_TYPES[a.name.split('.').pop()!.toLowerCase()] ?? 'application/octet-stream',
    content: a.content ?? '',
  }));
}

export function compileAction(a: ScenarioAction): ActionPlan {
  switch (a.type) {
    case 'message':
      return {
        type: 'message',
        from: a.from,
        sender: a.sender ?? a.from.toUpperCase(),
        subject: a.subject,
        body: a.body,
        attachments: attachments(a.attachments),
      };
    case 'mail':
      return {
        type: 'mail',
        from: a.from,
        fromName: a.fromName ?? a.from,
        to: a.to,
        subject: a.subject,
        body: a.body,
        headers: a.headers,
        attachments: attachments(a.attachments),
      };
    case 'exec':
      return {
        type: 'exec',
        host: a.host,
        command: a.command,
        user: a.user,
        background: a.background,
        timeout: seconds(a.timeout, 60),
      };
    case 'file':
      return { type: 'file', host: a.host, path: a.path, content: a.content, mode: a.mode };
    case 'fetch':
      return { type: 'fetch', host: a.host, path: a.path };
    case 'beacon':
      return {
        type: 'beacon',
        host: a.host,
        c2: a.c2,
        domain: a.domain,
        interval: seconds(a.interval, 60),
        path: a.path,
      };
    case 'telemetry':
      return {
        type: 'telemetry',
        events: a.events.map((e) => ({
          kind: e.kind,
          host: e.host,
          ...(e.user !== undefined ? { user: e.user } : {}),
          offset: seconds(e.offset, 0),
          count: e.count,
          every: seconds(e.every, 60),
          fields: e.fields,
        })),
      };
  }
}

function channelOf(ctx: InjectContext, a: ActionPlan): InjectPlan['channel'] {
  switch (a.type) {
    case 'message':
      return 'message';
    case 'telemetry':
      return 'telemetry';
    case 'mail':
      return ctx.hasLiveMail ? 'live' : 'telemetry';
    default:
      return ctx.isLive(a.host) ? 'live' : 'telemetry';
  }
}

function groundTruth(a: ActionPlan): { hosts: string[]; users: string[]; domains: string[] } {
  switch (a.type) {
    case 'exec':
    case 'file':
    case 'fetch':
      return { hosts: [a.host], users: [], domains: [] };
    case 'beacon':
      return { hosts: [a.host, a.c2], users: [], domains: [a.domain] };
    case 'mail':
      return { hosts: [], users: [a.to], domains: [a.from.split('@')[1]!] };
    case 'telemetry':
      return {
        hosts: [...new Set(a.events.map((e) => e.host))],
        users: [...new Set(a.events.flatMap((e) => (e.user ? [e.user] : [])))],
        domains: [
          ...new Set(
            a.events.flatMap((e) =>
              typeof e.fields['destination.domain'] === 'string' ? [e.fields['destination.domain']] : [],
            ),
          ),
        ],
      };
    case 'message':
      return { hosts: [], users: [], domains: [] };
  }
}

function compileExpectation(scenario: Scenario, inject: string, e: ScenarioExpectation): ExpectationPlan {
  const window = seconds(e.window, seconds(scenario.scoring.window, 3600));
  const plan: ExpectationPlan = {
    id: e.id,
    inject,
    type: e.type,
    title: e.title,
    points: e.points,
    window,
    expiry: Math.max(window, seconds(e.expiry, seconds(scenario.scoring.expiry, 4 * 3600))),
  };
  if (e.match) {
    const listed =
      e.match.hosts.length + e.match.users.length + e.match.indicators.length + e.match.techniques.length;
    plan.match = {
      hosts: e.match.hosts,
      users: e.match.users,
      indicators: e.match.indicators,
      techniques: e.match.techniques,
      require: e.match.require ?? listed,
    };
  }
  if (e.check) plan.check = e.check as ExpectationPlan['check'];
  if (e.report) plan.report = e.report;
  if (e.rubric) plan.rubric = e.rubric;
  return plan;
}
