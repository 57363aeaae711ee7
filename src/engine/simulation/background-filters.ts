import type { FieldValue } from '../telemetry/record';
import { BACKGROUND_KINDS, type BackgroundKind } from './background';
import { DECOY_PROCESSES, MAIL_SUBJECTS, PROCESSES, SHARES, WEB_SITES } from './vocabulary';

/**
 * Which kinds of background record could match a search's field filters, decided from the closed
 * vocabulary alone. A search for the C2's domain proves that no background record can match and
 * regenerates none; a search for logons builds only logons. An empty set means: skip background.
 */
const BY_ACTION: Record<string, BackgroundKind> = {
  'dns-query': 'dns',
  'proxy-request': 'proxy',
  'process-created': 'process',
  'network-connection': 'network',
  'share-accessed': 'share',
  'mail-delivered': 'mail',
  'logged-in': 'logon',
  'logged-out': 'logoff',
};

const BY_DATASET: Record<string, BackgroundKind[]> = {
  'dns.query': ['dns'],
  'squid.access': ['proxy'],
  'windows.security': ['process', 'share', 'logon', 'logoff'],
  sysmon: ['network'],
  'mail.log': ['mail'],
};

const DOMAINS = new Set(WEB_SITES.map((s) => s.domain));
const COMMANDS = new Set([...PROCESSES, ...DECOY_PROCESSES]);
const SUBJECTS = new Set(MAIL_SUBJECTS);

export function backgroundKindsFor(filters: Record<string, FieldValue> | undefined): Set<BackgroundKind> {
  let kinds = new Set<BackgroundKind>(BACKGROUND_KINDS);
  const keep = (allowed: readonly BackgroundKind[], valueOk = true) => {
    kinds = valueOk ? new Set([...kinds].filter((k) => allowed.includes(k))) : new Set();
  };
  for (const [field, value] of Object.entries(filters ?? {})) {
    const v = String(value);
    switch (field) {
      case 'event.action':
        keep(BY_ACTION[v] ? [BY_ACTION[v]] : []);
        break;
      case 'event.dataset':
        keep(BY_DATASET[v] ?? []);
        break;
      case 'destination.domain':
      case 'dns.question.name':
        keep(field === 'dns.question.name' ? ['dns'] : ['dns', 'proxy'], DOMAINS.has(v));
        break;
      case 'url.full':
      case 'url.path':
      case 'http.response.status_code':
        keep(['proxy']);
        break;
      case 'process.command_line':
        keep(['process'], COMMANDS.has(v));
        break;
      case 'process.hash.sha256':
      case 'file.hash.sha256':
      case 'user.target.name':
        keep([]); // background never carries hashes or account changes
        break;
      case 'email.subject':
        keep(['mail'], SUBJECTS.has(v));
        break;
      default:
        break;
    }
  }
  return kinds;
}

/** Every constant string a background record of each kind can carry (besides host, address, user). */
const KIND_STRINGS: Record<BackgroundKind, string[]> = {
  dns: ['dns.query', 'network', 'dns-query', ...WEB_SITES.map((s) => s.domain)],
  proxy: [
    'squid.access',
    'web',
    'proxy-request',
    'GET',
    ...WEB_SITES.flatMap((s) => [s.domain, ...s.paths, ...s.paths.map((p) => `https://${s.domain}${p}`)]),
  ],
  process: [
    'windows.security',
    'process',
    'process-created',
    '4688',
    ...[...PROCESSES, ...DECOY_PROCESSES].flatMap((c) => [c, (c.split(' ')[0] ?? c).split('\\').pop() ?? c]),
  ],
  network: ['sysmon', 'network', 'network-connection', '3', 'svchost.exe', '0.0.0.0'],
  share: [
    'windows.security',
    'file',
    'share-accessed',
    '5140',
    ...SHARES.flatMap((s) => s.paths.map((p) => `\\${s.share}\\${p}`)),
  ],
  mail: ['mail.log', 'email', 'mail-delivered', ...MAIL_SUBJECTS],
  logon: ['windows.security', 'authentication', 'logged-in', '4624'],
  logoff: ['windows.security', 'authentication', 'logged-out', '4634'],
};

/**
 * Which kinds of background record could contain `text` (case-insensitive) in some field. Text
 * that could be part of a host name, address, account, server or number keeps every kind; other
 * text keeps only the kinds whose closed vocabulary contains it — so a search for "whoami" builds
 * process records only.
 */
export function backgroundKindsForText(
  text: string,
  model: { names: string[]; ips: string[]; users: string[]; domain: string; fileServer: string },
): Set<BackgroundKind> {
  const t = text.toLowerCase();
  const all = new Set<BackgroundKind>(BACKGROUND_KINDS);
  if (/^[\d.:\s-]*$/.test(t)) return all; // numbers, addresses, ports, pids, sizes
  const variable = (s: string) => s.toLowerCase().includes(t);
  if (
    model.names.some(variable) ||
    model.ips.some(variable) ||
    model.users.some(variable) ||
    variable(model.domain)
  )
    return all;
  if (t.includes('@')) return all; // mail addresses are account@domain
  const kinds = new Set<BackgroundKind>();
  for (const k of BACKGROUND_KINDS) if (KIND_STRINGS[k].some(variable)) kinds.add(k);
  // Share paths start with the file server's name: \\fs01\shared\…
  if (SHARES.some((sh) => sh.paths.some((p) => variable(`\\\\${model.fileServer}\\${sh.share}\\${p}`))))
    kinds.add('share');
  return kinds;
}
