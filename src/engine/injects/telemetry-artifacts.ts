import type { TelemetryArtifactPlan } from '../../compiler/plan';
import { hashString } from '../simulation/prng';
import {
  dnsQuery,
  genericRecord,
  networkConnection,
  processStart,
  proxyRequest,
  type RecordSubject,
} from '../telemetry/ecs-builders';
import type { FieldValue } from '../telemetry/record';

/**
 * Expands an inject's telemetry artifacts into records, consistent across sources: one proxy
 * request also yields the endpoint's connection to the proxy and the DNS lookup of the domain,
 * all with the same host, address, user, domain and time (the lookup 50 ms before the request).
 */

export interface ArtifactContext {
  /** Unix ms of the inject firing's scenario time (artifact offsets are relative to it). */
  firedMs: number;
  hostIp(name: string): string | undefined;
  /** User id (or account) → account name. */
  account(userOrAccount: string): string;
  /** Primary user account of a host, when a host has one. */
  hostUser(name: string): string;
  proxy: { name: string; ip: string; port: number };
  dnsServer: string;
}

export interface ArtifactRecord {
  ts: number;
  host: string;
  user: string;
  action: string;
  fields: Record<string, FieldValue>;
}

/** A documentation-range address derived from the domain, so a domain always resolves alike. */
export function resolveDomain(domain: string): string {
  const h = hashString(domain);
  return `198.51.100.${(h % 250) + 1}`;
}

function str(v: FieldValue | undefined): string | undefined {
  return v === undefined ? undefined : String(v);
}

/**
 * Scenario authors name hosts, not addresses: `source.ip: pc-victim`, `source.address: pc-victim`.
 * Every `*.ip` naming one of the team's hosts becomes that host's address in this team, and a
 * `source|destination|client|server.address` naming a host also sets the matching `.ip` — so a
 * lateral logon on the target carries the pivot's address, as Windows would log it.
 */
export function resolveHostFields(
  fields: Record<string, FieldValue>,
  ctx: Pick<ArtifactContext, 'hostIp'>,
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = { ...fields };
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v !== 'string') continue;
    const ip = ctx.hostIp(v);
    if (ip === undefined) continue;
    if (k.endsWith('.ip')) out[k] = ip;
    const m = /^(source|destination|client|server)\.address$/.exec(k);
    if (m) {
      const ipKey = `${m[1]}.ip`;
      const explicit = fields[ipKey];
      if (explicit === undefined || explicit === v) out[ipKey] = ip;
    }
  }
  return out;
}

export function expandArtifact(plan: TelemetryArtifactPlan, ctx: ArtifactContext): ArtifactRecord[] {
  const a = { ...plan, fields: resolveHostFields(plan.fields, ctx) };
  const ip = ctx.hostIp(a.host);
  if (!ip) throw new Error(`telemetry artifact names host "${a.host}", which this team does not have`);
  const user = a.user ? ctx.account(a.user) : ctx.hostUser(a.host);
  const s: RecordSubject = { host: a.host, ip, user };
  const out: ArtifactRecord[] = [];
  const count = Math.max(1, a.count);
  for (let i = 0; i < count; i++) {
    const ts = ctx.firedMs + (a.offset + i * a.every) * 1000;
    const push = (t: number, fields: Record<string, FieldValue>) =>
      out.push({ ts: t, host: a.host, user, action: String(fields['event.action']), fields });
    if (a.kind === 'proxy') {
      const domain = str(a.fields['destination.domain']) ?? 'unknown.invalid';
      const dst = str(a.fields['destination.ip']) ?? resolveDomain(domain);
      const path = str(a.fields['url.path']) ?? '/';
      push(ts - 50, dnsQuery(s, domain, dst, ctx.dnsServer));
      push(ts - 10, networkConnection(s, ctx.proxy.ip, ctx.proxy.port, 'powershell.exe'));
      push(ts, {
        ...proxyRequest(s, domain, path, dst, ctx.proxy.name, 200, 512),
        ...a.fields,
        'url.full': `https://${domain}${path}`,
      });
    } else if (a.kind === 'dns') {
      const domain =
        str(a.fields['destination.domain'] ?? a.fields['dns.question.name']) ?? 'unknown.invalid';
      push(ts, { ...dnsQuery(s, domain, resolveDomain(domain), ctx.dnsServer), ...a.fields });
    } else if (a.kind === 'process') {
      const cmd = str(a.fields['process.command_line']) ?? 'unknown.exe';
      const pid = 1000 + (hashString(`${a.host}${cmd}${i}`) % 30000);
      push(ts, { ...processStart(s, cmd, pid), ...a.fields });
    } else {
      push(ts, { ...genericRecord(a.kind, s), ...a.fields });
    }
  }
  return out;
}

export function expandArtifacts(list: TelemetryArtifactPlan[], ctx: ArtifactContext): ArtifactRecord[] {
  return list.flatMap((a) => expandArtifact(a, ctx)).sort((x, y) => x.ts - y.ts);
}
