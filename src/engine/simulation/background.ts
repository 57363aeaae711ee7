import { resolveDomain } from '../injects/telemetry-artifacts';
import {
  dnsQuery,
  logon,
  mailDelivered,
  networkConnection,
  processStart,
  proxyRequest,
  type RecordSubject,
  shareAccess,
} from '../telemetry/ecs-builders';
import type { FieldValue, TelemetryRecord } from '../telemetry/record';
import { hash2, hash3, poisson, Rng } from './prng';
import type { TeamModel } from './team-model';
import {
  DECOY_PROCESSES,
  INTERNAL_SERVICES,
  MAIL_SUBJECTS,
  PROCESSES,
  SHARES,
  WEB_SITES,
} from './vocabulary';

/**
 * Background activity as a pure function of (seed, host, minute, index): nothing is stored and
 * nothing runs while nobody looks. A search regenerates exactly the minutes and hosts it needs,
 * so the cost of 3,000 idle hosts is zero and the cost of a query is the records it touches.
 */

export const BUCKET_S = 60;
const DAY = 86400;

export type BackgroundKind = 'dns' | 'proxy' | 'process' | 'network' | 'share' | 'mail' | 'logon' | 'logoff';
export const BACKGROUND_KINDS: BackgroundKind[] = [
  'dns',
  'proxy',
  'process',
  'network',
  'share',
  'mail',
  'logon',
  'logoff',
];

/** Cumulative weights for the random kinds (logon/logoff are placed by working hours). */
const KIND_CDF: [number, BackgroundKind][] = [
  [0.3, 'dns'],
  [0.58, 'proxy'],
  [0.75, 'process'],
  [0.87, 'network'],
  [0.96, 'share'],
  [1, 'mail'],
];

/** Servers do not browse, mail or open shares: name lookups, service connections, processes. */
const SERVER_KIND_CDF: [number, BackgroundKind][] = [
  [0.4, 'dns'],
  [0.8, 'network'],
  [1, 'process'],
];

function kindOf(m: TeamModel, h: number, u: number): BackgroundKind {
  for (const [p, k] of m.server[h] ? SERVER_KIND_CDF : KIND_CDF) if (u < p) return k;
  return 'mail';
}

/** Per-minute rates: a busy workstation, lunch, after hours, a server. */
const RATE_WORK = 3;
const RATE_LUNCH = 1;
const RATE_IDLE = 0.05;
const RATE_SERVER = 6;

/** Seconds of day the host's user starts and ends on `day`, with ±15 min daily jitter; null if away. */
function workday(m: TeamModel, h: number, day: number): [number, number] | null {
  const r = hash2(m.seeds[h]!, day ^ 0x5bd1e995);
  if (r % 100 < 4) return null; // about one user in 25 is away on a given day
  const j1 = ((r >>> 8) % 1800) - 900;
  const j2 = ((r >>> 19) % 1800) - 900;
  return [m.workStart[h]! + j1, m.workEnd[h]! + j2];
}

function localSeconds(m: TeamModel, bucket: number): number {
  return m.start + bucket * BUCKET_S;
}

/** Mean number of random events of host h in bucket. */
export function meanInBucket(m: TeamModel, h: number, bucket: number): number {
  if (m.server[h]) return RATE_SERVER * m.activity;
  const local = localSeconds(m, bucket);
  const day = Math.floor(local / DAY);
  const tod = local - day * DAY;
  const wd = workday(m, h, day);
  if (!wd || tod < wd[0] || tod >= wd[1]) return RATE_IDLE * m.activity;
  const profile = 0.6 + ((m.seeds[h]! >>> 3) % 80) / 100; // some people click more than others
  const lunch = tod >= 12 * 3600 && tod < 13 * 3600;
  return (lunch ? RATE_LUNCH : RATE_WORK) * profile * m.activity;
}

/** The logon/logoff placed in this bucket, if the user's day starts or ends in it. */
function sessionEdge(
  m: TeamModel,
  h: number,
  bucket: number,
): { kind: 'logon' | 'logoff'; at: number } | null {
  if (m.server[h]) return null;
  const local = localSeconds(m, bucket);
  const day = Math.floor(local / DAY);
  const wd = workday(m, h, day);
  if (!wd) return null;
  const from = local - day * DAY;
  if (wd[0] >= from && wd[0] < from + BUCKET_S) return { kind: 'logon', at: wd[0] - from };
  if (wd[1] >= from && wd[1] < from + BUCKET_S) return { kind: 'logoff', at: wd[1] - from };
  return null;
}

/** Number of random events; the session edge, if any, is one more at index `randomCount`. */
export function randomCount(m: TeamModel, h: number, bucket: number): number {
  const u = hash3(m.seeds[h]!, bucket, 0) / 4294967296;
  return poisson(meanInBucket(m, h, bucket), u);
}

/**
 * `randomCount + (session edge ? 1 : 0)` with the user's working day computed once: counts over
 * time call this for every host and minute, so it is the hot path of a histogram.
 */
export function countInBucket(m: TeamModel, h: number, bucket: number): number {
  const u = hash3(m.seeds[h]!, bucket, 0) / 4294967296;
  if (m.server[h]) return poisson(RATE_SERVER * m.activity, u);
  const local = localSeconds(m, bucket);
  const day = Math.floor(local / DAY);
  const tod = local - day * DAY;
  const wd = workday(m, h, day);
  let mean = RATE_IDLE * m.activity;
  if (wd && tod >= wd[0] && tod < wd[1]) {
    const profile = 0.6 + ((m.seeds[h]! >>> 3) % 80) / 100;
    const lunch = tod >= 12 * 3600 && tod < 13 * 3600;
    mean = (lunch ? RATE_LUNCH : RATE_WORK) * profile * m.activity;
  }
  const edge =
    wd !== null && ((wd[0] >= tod && wd[0] < tod + BUCKET_S) || (wd[1] >= tod && wd[1] < tod + BUCKET_S));
  return poisson(mean, u) + (edge ? 1 : 0);
}

/** Timestamp of event i without building it (the first draw of its stream). */
export function timeAt(m: TeamModel, h: number, bucket: number, i: number, nRandom: number): number {
  const bucketMs = m.epochMs + bucket * BUCKET_S * 1000;
  if (i >= nRandom) return bucketMs + Math.floor(sessionEdge(m, h, bucket)!.at * 1000);
  return bucketMs + Math.floor(new Rng(hash3(m.seeds[h]!, bucket, i + 1)).next() * BUCKET_S * 1000);
}

/** Kind of event i without building it (the first draws of its stream). */
export function kindAt(m: TeamModel, h: number, bucket: number, i: number, nRandom: number): BackgroundKind {
  if (i >= nRandom) return sessionEdge(m, h, bucket)!.kind;
  const rng = new Rng(hash3(m.seeds[h]!, bucket, i + 1));
  rng.next(); // time
  return kindOf(m, h, rng.next());
}

export function eventAt(
  m: TeamModel,
  h: number,
  bucket: number,
  i: number,
  nRandom: number,
): TelemetryRecord {
  const bucketMs = m.epochMs + bucket * BUCKET_S * 1000;
  const id = `b:${h}:${bucket}:${i}`;
  const s: RecordSubject = { host: m.names[h]!, ip: m.ips[h]!, user: m.users[h]! };
  if (i >= nRandom) {
    const edge = sessionEdge(m, h, bucket)!;
    return { id, ts: bucketMs + Math.floor(edge.at * 1000), fields: logon(s, edge.kind) };
  }
  const rng = new Rng(hash3(m.seeds[h]!, bucket, i + 1));
  const ts = bucketMs + Math.floor(rng.next() * BUCKET_S * 1000);
  const kind = kindOf(m, h, rng.next());
  let fields: Record<string, FieldValue>;
  switch (kind) {
    case 'dns': {
      const site = rng.pick(WEB_SITES);
      fields = dnsQuery(s, site.domain, resolveDomain(site.domain), m.dnsServer);
      break;
    }
    case 'proxy': {
      const site = rng.pick(WEB_SITES);
      const status = rng.next() < 0.03 ? 404 : 200;
      fields = proxyRequest(
        s,
        site.domain,
        rng.pick(site.paths),
        resolveDomain(site.domain),
        m.proxy.name,
        status,
        200 + rng.int(200_000),
      );
      break;
    }
    case 'process': {
      // A rare decoy: admin-looking commands that are part of normal IT work.
      const cmd = rng.next() < 0.002 ? rng.pick(DECOY_PROCESSES) : rng.pick(PROCESSES);
      fields = processStart(s, cmd, 1000 + rng.int(30000));
      break;
    }
    case 'network': {
      const svc = rng.pick(INTERNAL_SERVICES);
      const dst = m.byName.get(m[svc.server]);
      fields = networkConnection(s, dst === undefined ? '0.0.0.0' : m.ips[dst]!, svc.port, 'svchost.exe');
      break;
    }
    case 'share': {
      const sh = rng.pick(SHARES);
      fields = shareAccess(s, sh.share, rng.pick(sh.paths), m.fileServer);
      break;
    }
    default: {
      const peer = m.users[rng.int(m.users.length)] || 'info';
      fields = mailDelivered(
        s,
        `${peer}@${m.domain}`,
        `${s.user || 'info'}@${m.domain}`,
        rng.pick(MAIL_SUBJECTS),
        m.mailServer,
      );
    }
  }
  return { id, ts, fields };
}

/** All background records of the given hosts in one bucket, sorted by time. */
export function generateBucket(m: TeamModel, bucket: number, hosts?: Iterable<number>): TelemetryRecord[] {
  const out: TelemetryRecord[] = [];
  const list = hosts ?? m.names.keys();
  for (const h of list) {
    const n = randomCount(m, h, bucket);
    const total = n + (sessionEdge(m, h, bucket) ? 1 : 0);
    for (let i = 0; i < total; i++) out.push(eventAt(m, h, bucket, i, n));
  }
  return out.sort((a, b) => a.ts - b.ts);
}
