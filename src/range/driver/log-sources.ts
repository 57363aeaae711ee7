/**
 * Which real log files each live role writes (see infra/images/<role>/ and docs/RANGE.md) and how
 * to read them. A team with a live log collector has every host's syslog in
 * `/var/log/remote/<host>.log` there; without one, the hosts' own `auth.log` is read instead (never
 * both, which would store every line twice).
 */
import {
  c2Beacon,
  dnsmasqQuery,
  type LineParser,
  nginxAccess,
  postfixMail,
  squidAccess,
  syslogLine,
} from './log-parsers';
import type { LiveHost } from './range-hosts';

export interface LogSource {
  /** `source` of the stored batch (the telemetry kind a search filters on). */
  source: string;
  /** A file, or a folder whose `*.log` files are each read (one per sending host). */
  path: string;
  folder?: boolean;
  parser: (file: string) => LineParser;
}

const fixed = (p: LineParser) => () => p;

const BY_ROLE: Record<string, LogSource[]> = {
  proxy: [{ source: 'proxy', path: '/var/log/squid/access.log', parser: fixed(squidAccess) }],
  dns: [{ source: 'dns', path: '/var/log/dnsmasq.log', parser: fixed(dnsmasqQuery) }],
  mail: [{ source: 'mail', path: '/var/log/mail.log', parser: fixed(postfixMail) }],
  web: [{ source: 'web', path: '/var/log/nginx/access.log', parser: fixed(nginxAccess) }],
  'log-collector': [
    {
      source: 'syslog',
      path: '/var/log/remote',
      folder: true,
      parser: (file) => syslogLine(file.slice(file.lastIndexOf('/') + 1).replace(/\.log$/, '')),
    },
  ],
};

/** Roles whose own syslog holds logons, sudo and account changes. */
const HOST_SYSLOG = new Set([
  'workstation',
  'server',
  'domain-controller',
  'database',
  'file-server',
  'printer',
]);

/** The attacker's side: what the C2 received. Not part of a defender's telemetry unless asked. */
const C2: LogSource = { source: 'c2', path: '/var/log/c2/beacons.log', parser: fixed(c2Beacon) };

export function sourcesFor(
  host: LiveHost,
  team: LiveHost[],
  options: { includeAttacker: boolean },
): LogSource[] {
  if (host.role === 'c2') return options.includeAttacker ? [C2] : [];
  const own = BY_ROLE[host.role] ?? [];
  const collector = team.some((h) => h.role === 'log-collector');
  if (!collector && HOST_SYSLOG.has(host.role)) {
    return [...own, { source: 'syslog', path: '/var/log/auth.log', parser: () => syslogLine(host.host) }];
  }
  return own;
}
