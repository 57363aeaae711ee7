import type { TelemetryKind } from '../../compiler/plan';
import type { FieldValue } from './record';

/**
 * Builders for each kind of record, shared by the background simulation and by inject artifacts
 * so that an attack step's records look exactly like the noise they hide in.
 */
export interface RecordSubject {
  host: string;
  ip: string;
  user: string;
}

type Fields = Record<string, FieldValue>;

const base = (s: RecordSubject, dataset: string, category: string, action: string, code?: string): Fields => {
  const f: Fields = {
    'event.dataset': dataset,
    'event.category': category,
    'event.action': action,
    'host.name': s.host,
    'host.ip': s.ip,
    'source.ip': s.ip,
  };
  if (code) f['event.code'] = code;
  if (s.user) f['user.name'] = s.user;
  return f;
};

export function dnsQuery(s: RecordSubject, domain: string, resolved: string, server: string): Fields {
  const f = base(s, 'dns.query', 'network', 'dns-query');
  f['dns.question.name'] = domain;
  f['destination.domain'] = domain;
  f['dns.resolved_ip'] = resolved;
  f['observer.name'] = server;
  delete f['user.name'];
  return f;
}

export function proxyRequest(
  s: RecordSubject,
  domain: string,
  path: string,
  dstIp: string,
  proxy: string,
  status: number,
  bytes: number,
): Fields {
  const f = base(s, 'squid.access', 'web', 'proxy-request');
  f['destination.domain'] = domain;
  f['destination.ip'] = dstIp;
  f['url.full'] = `https://${domain}${path}`;
  f['url.path'] = path;
  f['http.request.method'] = 'GET';
  f['http.response.status_code'] = status;
  f['http.response.bytes'] = bytes;
  f['observer.name'] = proxy;
  return f;
}

export function processStart(s: RecordSubject, commandLine: string, pid: number, hash?: string): Fields {
  const f = base(s, 'windows.security', 'process', 'process-created', '4688');
  const exe = commandLine.split(' ')[0] ?? commandLine;
  f['process.name'] = exe.split('\\').pop() ?? exe;
  f['process.command_line'] = commandLine;
  f['process.pid'] = pid;
  if (hash) f['process.hash.sha256'] = hash;
  return f;
}

export function networkConnection(
  s: RecordSubject,
  dstIp: string,
  port: number,
  processName: string,
): Fields {
  const f = base(s, 'sysmon', 'network', 'network-connection', '3');
  f['destination.ip'] = dstIp;
  f['destination.port'] = port;
  f['process.name'] = processName;
  return f;
}

export function logon(s: RecordSubject, kind: 'logon' | 'logoff' | 'logon-failure', logonType = 2): Fields {
  const code = kind === 'logon' ? '4624' : kind === 'logoff' ? '4634' : '4625';
  const action = kind === 'logon' ? 'logged-in' : kind === 'logoff' ? 'logged-out' : 'logon-failed';
  const f = base(s, 'windows.security', 'authentication', action, code);
  f['winlog.logon.type'] = logonType;
  if (kind === 'logon-failure') f['event.outcome'] = 'failure';
  return f;
}

export function shareAccess(s: RecordSubject, share: string, path: string, server: string): Fields {
  const f = base(s, 'windows.security', 'file', 'share-accessed', '5140');
  f['file.path'] = `\\\\${server}\\${share}\\${path}`;
  f['observer.name'] = server;
  return f;
}

export function fileCreate(s: RecordSubject, path: string, hash?: string): Fields {
  const f = base(s, 'sysmon', 'file', 'file-created', '11');
  f['file.path'] = path;
  if (hash) f['file.hash.sha256'] = hash;
  return f;
}

export function mailDelivered(
  s: RecordSubject,
  from: string,
  to: string,
  subject: string,
  server: string,
): Fields {
  const f = base(s, 'mail.log', 'email', 'mail-delivered');
  f['email.from.address'] = from;
  f['email.to.address'] = to;
  f['email.subject'] = subject;
  f['observer.name'] = server;
  return f;
}

export function accountChange(
  s: RecordSubject,
  kind: 'account' | 'group',
  target: string,
  group?: string,
): Fields {
  const f = base(
    s,
    'windows.security',
    'iam',
    kind === 'account' ? 'user-created' : 'group-member-added',
    kind === 'account' ? '4720' : '4732',
  );
  f['user.target.name'] = target;
  if (group) f['group.name'] = group;
  return f;
}

/** A record of `kind` with only the subject and the plan's explicit fields (used by artifacts). */
export function genericRecord(kind: TelemetryKind, s: RecordSubject): Fields {
  switch (kind) {
    case 'logon':
    case 'logoff':
    case 'logon-failure':
      return logon(s, kind, 3);
    case 'process':
      return processStart(s, '', 0);
    case 'network':
      return networkConnection(s, '', 0, '');
    case 'file':
      return fileCreate(s, '');
    case 'share':
      return shareAccess(s, '', '', '');
    case 'account':
    case 'group':
      return accountChange(s, kind, '');
    case 'mail':
      return mailDelivered(s, '', '', '', '');
    case 'dns':
      return dnsQuery(s, '', '', '');
    case 'proxy':
      return proxyRequest(s, '', '/', '', '', 200, 0);
  }
}
