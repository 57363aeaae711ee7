/**
 * A team's investigation: telemetry search (time range, ECS field filters, free text, cursor
 * paging, histogram) and the host inventory with state and recent activity. Team members reach
 * only their own team (`guard` answers 404 for any other); the white cell reads every team.
 * Searches are bounded (a day per page, 500 records, a week of histogram) so one request never
 * holds the event loop long; answers never carry trackable ids.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { alertsOf } from '../../alerts/alert-events';
import type { HostPlan, TeamPlan } from '../../compiler/plan';
import {
  type HostDetail,
  type HostGroup,
  type HostInventory,
  type HostSummary,
  SEARCH_LIMITS,
  type TelemetrySearchResult,
  telemetrySearchSchema,
} from '../../wire/investigation';
import { ApiError, parseOr422 } from '../http/api-error';
import { guard } from '../http/authenticate';
import { hostStates } from '../investigation/host-state';
import { SearchPoolBusy, SearchTimeout } from '../investigation/search-pool';
import type { TeamTelemetrySource } from '../investigation/team-telemetry-source';
import type { RouteGroup } from './route-context';

const teamParam = (req: Request) => String(req.params.team);

/** GET query strings: numbers as strings, filters as `filter.host.name=pc-1`. */
function queryToBody(q: Record<string, unknown>): Record<string, unknown> {
  // Null prototypes: a `__proto__` key stays a key (and fails validation) instead of vanishing.
  const out: Record<string, unknown> = Object.create(null);
  const filters: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(q)) {
    if (Array.isArray(v) || (typeof v === 'object' && v !== null))
      throw new ApiError('validation_failed', `query.${k}: give it once`, `query.${k}`);
    if (k.startsWith('filter.')) filters[k.slice(7)] = v;
    else if (['from', 'to', 'limit', 'interval'].includes(k) && typeof v === 'string' && /^\d+$/.test(v))
      out[k] = Number(v);
    else out[k] = v;
  }
  if (Object.keys(filters).length > 0) out.filters = filters;
  return out;
}

async function search(
  source: TeamTelemetrySource,
  team: string,
  raw: unknown,
  where: 'body' | 'query',
): Promise<TelemetrySearchResult> {
  const q = parseOr422(telemetrySearchSchema, raw, where);
  if (q.to <= q.from)
    throw new ApiError('validation_failed', `${where}.to: must be later than from`, `${where}.to`);
  const range = q.to - q.from;
  const maxRange = q.interval ? SEARCH_LIMITS.maxHistogramRangeMs : SEARCH_LIMITS.maxRangeMs;
  if (range > maxRange) {
    throw new ApiError(
      'validation_failed',
      `${where}.to: the range spans ${Math.ceil(range / 3600_000)} h — at most ${maxRange / 3600_000} h (${q.interval ? 'histogram' : 'search'}); narrow from/to`,
      `${where}.to`,
    );
  }
  if (q.interval && Math.ceil(range / q.interval) > SEARCH_LIMITS.maxBuckets) {
    throw new ApiError(
      'validation_failed',
      `${where}.interval: ${Math.ceil(range / q.interval)} buckets — at most ${SEARCH_LIMITS.maxBuckets}; widen the interval`,
      `${where}.interval`,
    );
  }
  if (q.cursor !== undefined && !validCursor(q.cursor))
    throw new ApiError(
      'validation_failed',
      `${where}.cursor: invalid cursor — pass back the nextCursor of the previous page unchanged`,
      `${where}.cursor`,
    );
  const started = performance.now();
  const query = {
    from: q.from,
    to: q.to,
    ...(q.filters ? { filters: q.filters } : {}),
    ...(q.text ? { text: q.text } : {}),
    limit: q.limit,
    ...(q.cursor ? { cursor: q.cursor } : {}),
  };
  let answer: Awaited<ReturnType<TeamTelemetrySource['search']>>;
  try {
    answer = await source.search(team, query, q.interval);
  } catch (e) {
    if (e instanceof SearchPoolBusy)
      throw new ApiError('unavailable', 'too many searches are running — retry in a moment', undefined, {
        'Retry-After': '2',
      });
    if (e instanceof SearchTimeout)
      throw new ApiError('unavailable', `${e.message} — narrow the time range or add filters`, undefined, {
        'Retry-After': '5',
      });
    throw e;
  }
  return {
    records: answer.page.records,
    ...(answer.page.nextCursor ? { nextCursor: answer.page.nextCursor } : {}),
    scannedBuckets: answer.page.scannedBuckets,
    ...(answer.histogram ? { histogram: answer.histogram } : {}),
    tookMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

/** The engine's cursor shape (base64url JSON `[ts, id]`), checked before a worker sees it. */
function validCursor(s: string): boolean {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString()) as unknown;
    return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';
  } catch {
    return false;
  }
}

const hostsQuery = z
  .object({
    segment: z.string().max(64).optional(),
    role: z.string().max(64).optional(),
    /** Case-insensitive substring of the name or address. */
    q: z.string().max(64).optional(),
    state: z.enum(['up', 'isolated', 'restored']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z
      .string()
      .regex(/^\d{1,7}$/, 'pass back nextCursor unchanged')
      .optional(),
  })
  .strict();

function summary(h: HostPlan, states: Map<string, string>): HostSummary {
  return {
    name: h.name,
    ip: h.ip,
    segment: h.segment,
    role: h.role,
    os: h.os,
    fidelity: h.fidelity,
    ...(h.department ? { department: h.department } : {}),
    state: (states.get(h.name) as HostSummary['state'] | undefined) ?? 'up',
  };
}

/**
 * The organisation's own hosts: attacker infrastructure (role `c2`, segments in the `internet`
 * or `external` zone) is ground truth and never listed to a team.
 */
function organisationHosts(t: TeamPlan): HostPlan[] {
  const outside = new Set(
    t.segments.filter((s) => s.zone === 'internet' || s.zone === 'external').map((s) => s.id),
  );
  return t.hosts.filter((h) => h.role !== 'c2' && !outside.has(h.segment));
}

export const investigationRoutes: RouteGroup = (r, ctx) => {
  const source = () => {
    if (!ctx.telemetry) throw new ApiError('unavailable', 'this server has no telemetry store');
    return ctx.telemetry;
  };
  const teamPlan = (team: string) => {
    const t = ctx.plan.teams.find((x) => x.id === team);
    if (!t) throw new ApiError('not_found', `no team "${team}"`, 'params.team');
    return t;
  };

  r.get('/teams/:team/telemetry/search', guard('team:read', teamParam), async (req, res) => {
    teamPlan(teamParam(req));
    res.json(
      await search(source(), teamParam(req), queryToBody(req.query as Record<string, unknown>), 'query'),
    );
  });

  r.post('/teams/:team/telemetry/search', guard('team:read', teamParam), async (req, res) => {
    teamPlan(teamParam(req));
    res.json(await search(source(), teamParam(req), req.body, 'body'));
  });

  r.get('/teams/:team/hosts', guard('team:read', teamParam), (req, res) => {
    const t = teamPlan(teamParam(req));
    const q = parseOr422(hostsQuery, req.query, 'query');
    const states = hostStates(ctx.log.eventsOf(t.id));
    const groups = new Map<string, HostGroup>();
    const hosts = organisationHosts(t);
    for (const h of hosts) {
      const k = `${h.segment}\0${h.role}`;
      const g = groups.get(k) ?? { segment: h.segment, role: h.role, count: 0 };
      g.count++;
      groups.set(k, g);
    }
    const needle = q.q?.toLowerCase();
    const matching = hosts.filter(
      (h) =>
        (!q.segment || h.segment === q.segment) &&
        (!q.role || h.role === q.role) &&
        (!needle || h.name.toLowerCase().includes(needle) || h.ip.includes(needle)) &&
        (!q.state || (states.get(h.name) ?? 'up') === q.state),
    );
    const start = q.cursor ? Number(q.cursor) : 0;
    const page = matching.slice(start, start + q.limit);
    const body: HostInventory = {
      total: matching.length,
      groups: [...groups.values()].sort(
        (a, b) => a.segment.localeCompare(b.segment) || a.role.localeCompare(b.role),
      ),
      hosts: page.map((h) => summary(h, states)),
      ...(start + q.limit < matching.length ? { nextCursor: String(start + q.limit) } : {}),
    };
    res.json(body);
  });

  r.get('/teams/:team/hosts/:host', guard('team:read', teamParam), (req, res) => {
    const t = teamPlan(teamParam(req));
    const name = String(req.params.host);
    const h = organisationHosts(t).find((x) => x.name === name);
    if (!h) throw new ApiError('not_found', `no host "${name.slice(0, 80)}" in this team`, 'params.host');
    const events = ctx.log.eventsOf(t.id);
    const telemetry = source().telemetry(t.id);
    const now = source().nowMs();
    let recent: HostDetail['recentActivity'] = [];
    if (telemetry) {
      // The last hour, newest 50: page forward and keep the tail (bounded: a host makes few records a minute).
      let cursor: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = telemetry.search({
          from: now - 3600_000,
          to: now,
          filters: { 'host.name': h.name },
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        });
        recent = [...recent, ...page.records].slice(-50);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
    }
    const body: HostDetail = {
      ...summary(h, hostStates(events)),
      fqdn: h.fqdn,
      aliases: h.aliases,
      services: h.services,
      users: h.users,
      tags: h.tags,
      recentActivity: recent,
      alerts: alertsOf(events).filter(
        (a) => a.group === h.name || a.samples.some((s) => s['host.name'] === h.name),
      ),
    };
    res.json(body);
  });
};
