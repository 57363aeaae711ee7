/**
 * Parsers from the live hosts' real log lines to ECS records, with the same field names the
 * engine's simulated records use (src/engine/telemetry/ecs-builders.ts), so a trainee's search
 * finds live and simulated activity alike. Pure: no I/O, every parser returns `undefined` for a
 * line it does not understand (it is then skipped).
 */
import type { CollectedRecord } from '../../engine/session/collect-logs';
import type { FieldValue } from '../../engine/telemetry/record';

type Fields = Record<string, FieldValue>;

/** What a parser knows besides the line: who logged it and how to name a team's addresses. */
export interface ParseContext {
  /** The live host whose log this is (e.g. `proxy`). */
  host: string;
  /** Host name of a team address, when the plan has one. */
  nameOf(ip: string): string | undefined;
  /** Unix ms used when a line carries no usable time. */
  nowMs: number;
  /** Per-file state a parser may keep between lines (e.g. Postfix queue ids → senders). */
  state: Map<string, string>;
}

export type LineParser = (line: string, ctx: ParseContext) => CollectedRecord | undefined;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function client(ip: string, ctx: ParseContext): Fields {
  const name = ctx.nameOf(ip);
  return { 'source.ip': ip, 'host.ip': ip, 'host.name': name ?? ip };
}

/**
 * `Nov 26 10:32:44` (classic syslog: no year, the container's clock is UTC) or an RFC 3339 stamp;
 * a classic stamp more than a day in the future belongs to last year.
 */
export function syslogTime(stamp: string, nowMs: number): number | undefined {
  if (/^\d{4}-\d\d-\d\dT/.test(stamp)) {
    const ms = Date.parse(stamp);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const m = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)$/.exec(stamp);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return undefined;
  const year = new Date(nowMs).getUTCFullYear();
  const at = (y: number) => Date.UTC(y, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  const ms = at(year);
  return ms > nowMs + 86_400_000 ? at(year - 1) : ms;
}

/** Squid's native format: `time elapsed client action/code bytes method URL ident hier/peer type`. */
export const squidAccess: LineParser = (line, ctx) => {
  const p = line.trim().split(/\s+/);
  if (p.length < 7) return undefined;
  const ts = Math.round(Number(p[0]) * 1000);
  if (!Number.isFinite(ts)) return undefined;
  const [action, code] = (p[3] ?? '').split('/');
  const method = p[5] ?? '';
  const raw = p[6] ?? '';
  const fields: Fields = {
    'event.dataset': 'squid.access',
    'event.category': 'web',
    'event.action': 'proxy-request',
    ...client(p[2] ?? '', ctx),
    'http.request.method': method,
    'http.response.status_code': Number(code) || 0,
    'http.response.bytes': Number(p[4]) || 0,
    'event.duration': (Number(p[1]) || 0) * 1_000_000,
    'squid.result': action ?? '',
    'url.original': raw,
    'observer.name': ctx.host,
  };
  const peer = (p[8] ?? '').split('/')[1];
  if (peer && peer !== '-') fields['destination.ip'] = peer;
  if (method === 'CONNECT') {
    const [domain, port] = raw.split(':');
    fields['destination.domain'] = domain ?? raw;
    if (port) fields['destination.port'] = Number(port);
  } else {
    try {
      const url = new URL(raw);
      fields['destination.domain'] = url.hostname;
      fields['url.full'] = raw;
      fields['url.path'] = url.pathname;
      if (url.search) fields['url.query'] = url.search.slice(1);
    } catch {
      // an unparsable URL keeps only url.original
    }
  }
  return { ts, fields };
};

/** dnsmasq `--log-queries`: only the `query[TYPE] name from ip` lines become records. */
export const dnsmasqQuery: LineParser = (line, ctx) => {
  const m = /^(\S+ +\d+ [\d:]+|\S+T\S+) dnsmasq\[\d+\]: query\[(\w+)\] (\S+) from (\S+)/.exec(line);
  if (!m) return undefined;
  return {
    ts: syslogTime(m[1]!, ctx.nowMs) ?? ctx.nowMs,
    fields: {
      'event.dataset': 'dns.query',
      'event.category': 'network',
      'event.action': 'dns-query',
      ...client(m[4]!, ctx),
      'dns.question.name': m[3]!,
      'dns.question.type': m[2]!,
      'destination.domain': m[3]!,
      'observer.name': ctx.host,
    },
  };
};

/**
 * Postfix `maillog_file`: a delivery (`to=<…>, … status=…`) becomes a record, with the sender the
 * queue manager logged earlier for the same queue id (kept in `ctx.state`, at most 10,000 ids).
 */
export const postfixMail: LineParser = (line, ctx) => {
  const m = /^(\S+ +\d+ [\d:]+|\S+T\S+) \S+ postfix\/(\w+)\[\d+\]: ([0-9A-F]+): (.*)$/.exec(line);
  if (!m) return undefined;
  const [, stamp, daemon, queueId, rest] = m as unknown as [string, string, string, string, string];
  const from = /^from=<([^>]*)>/.exec(rest);
  if (from) {
    if (ctx.state.size >= 10_000) ctx.state.delete(ctx.state.keys().next().value as string);
    ctx.state.set(queueId, from[1]!);
    return undefined;
  }
  const to = /^to=<([^>]*)>(?:, orig_to=<([^>]*)>)?.*status=(\w+)/.exec(rest);
  if (!to) return undefined;
  const fields: Fields = {
    'event.dataset': 'mail.log',
    'event.category': 'email',
    'event.action': to[3] === 'sent' ? 'mail-delivered' : `mail-${to[3]}`,
    'event.outcome': to[3] === 'sent' ? 'success' : 'failure',
    'host.name': ctx.host,
    'email.to.address': to[2] ?? to[1]!,
    'email.local_id': queueId,
    'process.name': `postfix/${daemon}`,
    'observer.name': ctx.host,
  };
  if (to[2]) fields['email.delivered_to'] = to[1]!;
  const sender = ctx.state.get(queueId);
  if (sender !== undefined) fields['email.from.address'] = sender;
  return { ts: syslogTime(stamp, ctx.nowMs) ?? ctx.nowMs, fields };
};

/** nginx's `combined` format. */
export const nginxAccess: LineParser = (line, ctx) => {
  const m = /^(\S+) \S+ (\S+) \[([^\]]+)\] "(\S+) (\S+)[^"]*" (\d{3}) (\d+|-) "([^"]*)" "([^"]*)"/.exec(line);
  if (!m) return undefined;
  const t = /^(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(m[3]!);
  const zone = t ? (t[7] === '-' ? -1 : 1) * (Number(t[8]) * 60 + Number(t[9])) : 0;
  const ts = t
    ? Date.UTC(Number(t[3]), MONTHS.indexOf(t[2]!), Number(t[1]), Number(t[4]), Number(t[5]), Number(t[6])) -
      zone * 60_000
    : ctx.nowMs;
  const fields: Fields = {
    'event.dataset': 'nginx.access',
    'event.category': 'web',
    'event.action': 'http-request',
    ...client(m[1]!, ctx),
    'http.request.method': m[4]!,
    'url.original': m[5]!,
    'url.path': m[5]!.split('?')[0]!,
    'http.response.status_code': Number(m[6]),
    'http.response.bytes': m[7] === '-' ? 0 : Number(m[7]),
    'user_agent.original': m[9]!,
    'observer.name': ctx.host,
  };
  if (m[2] !== '-') fields['user.name'] = m[2]!;
  if (m[8] !== '-') fields['http.request.referrer'] = m[8]!;
  return { ts, fields };
};

/** The C2's own JSON lines (the attacker's view; collected only when asked). */
export const c2Beacon: LineParser = (line, ctx) => {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const ts = Date.parse(String(r.time ?? ''));
  return {
    ts: Number.isNaN(ts) ? ctx.nowMs : ts,
    fields: {
      'event.dataset': 'c2.beacon',
      'event.category': 'network',
      'event.action': 'beacon-received',
      'host.name': ctx.host,
      'source.ip': String(r.source ?? ''),
      'http.request.method': String(r.method ?? ''),
      'destination.domain': String(r.host ?? ''),
      'url.original': String(r.path ?? ''),
      'network.forwarded_ip': String(r.forwarded ?? ''),
    },
  };
};

const AUTH_PROGRAMS =
  /^(sshd|sudo|su|login|useradd|usermod|userdel|groupadd|passwd|chpasswd|gpasswd|systemd-logind|cron)$/;

/**
 * A syslog line as rsyslog writes it (`STAMP HOST PROGRAM[PID]: MESSAGE`, classic or RFC 3339
 * stamp). `fileHost` names the sender when the file is per host (the log collector's
 * `/var/log/remote/<host>.log`). Authentication programs become `system.auth` records; account
 * creation and sudo get their ECS actions.
 */
export function syslogLine(fileHost?: string): LineParser {
  return (line, ctx) => {
    const m =
      /^(\d{4}-\d\d-\d\dT\S+|[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d) (\S+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/.exec(
        line,
      );
    if (!m) return undefined;
    const [, stamp, host, program, pid, message] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const auth = AUTH_PROGRAMS.test(program);
    const fields: Fields = {
      'event.dataset': auth ? 'system.auth' : 'system.syslog',
      'event.category': auth ? 'authentication' : 'host',
      'event.action': auth ? 'auth-event' : 'syslog',
      'host.name': fileHost ?? host,
      'process.name': program,
      message,
      'log.syslog.hostname': host,
    };
    if (pid) fields['process.pid'] = Number(pid);
    const created = /new user: name=([^,\s]+)/.exec(message);
    if (created) {
      fields['event.category'] = 'iam';
      fields['event.action'] = 'user-created';
      fields['user.target.name'] = created[1]!;
    }
    const sudo = /^\s*(\S+) : .*COMMAND=(.*)$/.exec(message);
    if (program === 'sudo' && sudo) {
      fields['event.category'] = 'process';
      fields['event.action'] = 'sudo';
      fields['user.name'] = sudo[1]!;
      fields['process.command_line'] = sudo[2]!;
    }
    const session = /session (opened|closed) for user (\S+?)(?:\(|\s|$)/.exec(message);
    if (session) {
      fields['event.action'] = session[1] === 'opened' ? 'logged-in' : 'logged-out';
      fields['user.name'] = session[2]!;
    }
    return { ts: syslogTime(stamp, ctx.nowMs) ?? ctx.nowMs, fields };
  };
}
