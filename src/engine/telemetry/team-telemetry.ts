import {
  BACKGROUND_KINDS,
  type BackgroundKind,
  BUCKET_S,
  countInBucket,
  eventAt,
  kindAt,
  randomCount,
  timeAt,
} from '../simulation/background';
import { backgroundKindsFor, backgroundKindsForText } from '../simulation/background-filters';
import { applyResponseEffects, hasEffects, type ResponseEffects } from '../simulation/response-effects';
import type { TeamModel } from '../simulation/team-model';
import type { TelemetryTable } from '../store/telemetry-table';
import { type FieldValue, type TelemetryRecord, toDocument } from './record';

/**
 * One team's telemetry stream: simulated background regenerated from the seed for exactly the
 * minutes and hosts a query touches, merged with the stored records (attack artifacts, live
 * logs) and the plan's decoys, in one order (`@timestamp`, then id). A team only ever reaches
 * its own model and its own rows, and nothing later than the exercise's current scenario time.
 *
 * Paging is by cursor, not offset: the cursor is the (ts, id) of the last record returned, so a
 * page costs the buckets it scans, however deep it is.
 */

export interface TelemetryQuery {
  /** Unix ms, inclusive. */
  from: number;
  /** Unix ms, exclusive; clamped to the exercise's current time. */
  to: number;
  /** Exact matches on ECS fields (`host.name`, `event.action`, `destination.domain`…). */
  filters?: Record<string, FieldValue>;
  /** Case-insensitive substring of any field value. */
  text?: string;
  /** Records per page (default 100, at most 1,000). */
  limit?: number;
  cursor?: string;
}

export interface TelemetryPage {
  records: Record<string, FieldValue>[];
  /** Present when more may follow; pass it back as `cursor`. */
  nextCursor?: string;
  /** Minutes regenerated to answer (the cost of the query). */
  scannedBuckets: number;
}

export const MAX_PAGE = 1000;
/** A page stops after this many minutes scanned, returning a cursor to continue (a day). */
export const MAX_BUCKETS_PER_PAGE = 1440;
/**
 * Simulated history before T+0 (a day): trainees can look at "yesterday", and a query from the
 * epoch of time does not regenerate years of background.
 */
export const HISTORY_BUCKETS = 1440;

interface Cursor {
  ts: number;
  id: string;
}

interface Candidate extends Cursor {
  build(): TelemetryRecord;
}

export class TeamTelemetry {
  constructor(
    readonly model: TeamModel,
    private readonly table: TelemetryTable,
    private readonly session: string,
    /** Unix ms of the exercise's current scenario time. */
    private readonly nowMs: () => number,
    /** The team's response actions on its simulation (isolation, blocks, disabled accounts). */
    private readonly effects?: ResponseEffects,
  ) {}

  /** A record as the team's range produced it under its response actions (undefined: never produced). */
  private produced(r: TelemetryRecord): TelemetryRecord | undefined {
    return this.effects ? applyResponseEffects(this.effects, r) : r;
  }

  search(q: TelemetryQuery): TelemetryPage {
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(q.limit ?? 100)));
    const to = Math.min(q.to, this.nowMs());
    const after = q.cursor ? decodeCursor(q.cursor) : { ts: q.from - 1, id: '\uffff' };
    const match = matcher(q);
    const hosts = this.candidateHosts(q.filters);
    const kinds = this.kindsFor(q);
    const out: TelemetryRecord[] = [];
    const firstBucket = Math.max(-HISTORY_BUCKETS, this.bucketOf(Math.max(q.from, after.ts)));
    const lastBucket = this.bucketOf(to - 1);
    let scanned = 0;
    for (let b = firstBucket; b <= lastBucket; b++) {
      if (scanned >= MAX_BUCKETS_PER_PAGE) {
        return {
          records: out.map(toDocument),
          nextCursor: encodeCursor({ ts: this.bucketStart(b) - 1, id: '\uffff' }),
          scannedBuckets: scanned,
        };
      }
      scanned++;
      // Order the minute by (ts, id) from timestamps alone, then build records only until the page is full.
      const candidates = this.bucketCandidates(b, hosts, kinds).filter(
        (c) => c.ts >= q.from && c.ts < to && isAfter(c, after),
      );
      candidates.sort(compare);
      for (const c of candidates) {
        const r = this.produced(c.build());
        if (!r || !match(r.fields)) continue;
        out.push(r);
        if (out.length === limit) {
          const more = r.ts < to - 1 || b < lastBucket;
          return {
            records: out.map(toDocument),
            ...(more ? { nextCursor: encodeCursor(r) } : {}),
            scannedBuckets: scanned,
          };
        }
      }
    }
    return { records: out.map(toDocument), scannedBuckets: scanned };
  }

  /**
   * Counts over time in `intervalMs` buckets (a multiple of a minute). Without filters or text,
   * background is counted without building a single record.
   */
  histogram(
    q: Omit<TelemetryQuery, 'limit' | 'cursor'>,
    intervalMs: number,
  ): { ts: number; count: number }[] {
    const per = Math.max(1, Math.round(intervalMs / (BUCKET_S * 1000)));
    const to = Math.min(q.to, this.nowMs());
    const plain =
      !q.text &&
      (!q.filters || Object.keys(q.filters).length === 0) &&
      !(this.effects && hasEffects(this.effects));
    const match = matcher(q);
    const hosts = this.candidateHosts(q.filters);
    const kinds = this.kindsFor(q);
    const firstBucket = Math.max(-HISTORY_BUCKETS, this.bucketOf(q.from));
    const lastBucket = this.bucketOf(to - 1);
    if (lastBucket - firstBucket > 60 * 24 * 7)
      throw new Error('histogram spans more than a week — narrow the time range');
    const out: { ts: number; count: number }[] = [];
    for (let b = firstBucket; b <= lastBucket; b++) {
      const slot = Math.floor((b - firstBucket) / per);
      if (!out[slot]) out[slot] = { ts: this.bucketStart(firstBucket + slot * per), count: 0 };
      const whole = this.bucketStart(b) >= q.from && this.bucketStart(b + 1) <= to;
      let n = 0;
      if (plain && whole) {
        n = this.backgroundCount(b, hosts);
        const start = this.bucketStart(b);
        n += this.table.countRange(this.session, this.model.team, start, start + BUCKET_S * 1000);
        n += this.decoysIn(start, start + BUCKET_S * 1000).length;
      } else {
        n = this.bucketRecords(b, hosts, kinds).filter(
          (r) => r.ts >= q.from && r.ts < to && match(r.fields),
        ).length;
      }
      out[slot]!.count += n;
    }
    return out;
  }

  /** Background kinds that could match both the filters and the free text. */
  private kindsFor(q: { filters?: Record<string, FieldValue>; text?: string }) {
    const kinds = backgroundKindsFor(q.filters);
    if (!q.text) return kinds;
    const byText = backgroundKindsForText(q.text, this.model);
    return new Set([...kinds].filter((k) => byText.has(k)));
  }

  /** Background records of `hosts` in bucket `b`, counted without building them (cached for all hosts). */
  private backgroundCount(b: number, hosts: number[]): number {
    const all = hosts.length === this.model.names.length;
    const cached = all ? this.model.bucketTotals.get(b) : undefined;
    if (cached !== undefined) return cached;
    let n = 0;
    for (const h of hosts) n += countInBucket(this.model, h, b);
    if (all) this.model.bucketTotals.set(b, n);
    return n;
  }

  private bucketOf(ms: number): number {
    return Math.floor((ms - this.model.epochMs) / (BUCKET_S * 1000));
  }

  private bucketStart(b: number): number {
    return this.model.epochMs + b * BUCKET_S * 1000;
  }

  /** Hosts whose background can match the filters (a host, address or user filter narrows it). */
  private candidateHosts(filters: Record<string, FieldValue> | undefined): number[] {
    const m = this.model;
    const host = filters?.['host.name'];
    if (host !== undefined) {
      const i = m.byName.get(String(host));
      return i === undefined ? [] : [i];
    }
    const ip = filters?.['host.ip'] ?? filters?.['source.ip'];
    if (ip !== undefined) {
      const i = m.byIp.get(String(ip));
      return i === undefined ? [] : [i];
    }
    const user = filters?.['user.name'];
    if (user !== undefined) return m.byUser.get(String(user)) ?? [];
    return Array.from({ length: m.names.length }, (_, i) => i);
  }

  /**
   * Visits every background record of `hosts` in bucket `b` whose kind is in `kinds`, as the
   * (host, index, random count) that address it — without building it, so kinds no filter can
   * match are never built.
   */
  private eachBackground(
    b: number,
    hosts: number[],
    kinds: Set<BackgroundKind>,
    visit: (h: number, i: number, n: number) => void,
  ): void {
    if (kinds.size === 0) return;
    const m = this.model;
    const all = kinds.size === BACKGROUND_KINDS.length;
    for (const h of hosts) {
      const n = randomCount(m, h, b);
      const total = countInBucket(m, h, b);
      for (let i = 0; i < total; i++) {
        if (all || kinds.has(kindAt(m, h, b, i, n))) visit(h, i, n);
      }
    }
  }

  /** Every record of bucket `b` that could match `kinds`, as (ts, id) with a builder. */
  private bucketCandidates(b: number, hosts: number[], kinds: Set<BackgroundKind>): Candidate[] {
    const m = this.model;
    const out: Candidate[] = [];
    this.eachBackground(b, hosts, kinds, (h, i, n) =>
      out.push({ ts: timeAt(m, h, b, i, n), id: `b:${h}:${b}:${i}`, build: () => eventAt(m, h, b, i, n) }),
    );
    for (const r of this.extraRecords(b)) out.push({ ts: r.ts, id: r.id, build: () => r });
    return out;
  }

  /** Background of `hosts` (only records of `kinds`) plus every stored and decoy record in bucket `b`. */
  private bucketRecords(b: number, hosts: number[], kinds: Set<BackgroundKind>): TelemetryRecord[] {
    const m = this.model;
    const out: TelemetryRecord[] = [];
    this.eachBackground(b, hosts, kinds, (h, i, n) => out.push(eventAt(m, h, b, i, n)));
    out.push(...this.extraRecords(b));
    return this.effects ? out.flatMap((r) => this.produced(r) ?? []) : out;
  }

  private extraRecords(b: number): TelemetryRecord[] {
    const start = this.bucketStart(b);
    const end = start + BUCKET_S * 1000;
    const out = this.table.page(this.session, this.model.team, start, end, { ts: start - 1, id: 0 }, 100_000);
    out.push(...this.decoysIn(start, end));
    return out;
  }

  private decoysIn(start: number, end: number): TelemetryRecord[] {
    const out: TelemetryRecord[] = [];
    this.model.decoys.forEach((d, i) => {
      if (d.ts >= start && d.ts < end) out.push({ id: `d:${i}`, ts: d.ts, fields: d.fields });
    });
    return out;
  }
}

function compare(a: Cursor, b: Cursor): number {
  return a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function isAfter(r: Cursor, c: Cursor): boolean {
  return r.ts > c.ts || (r.ts === c.ts && r.id > c.id);
}

function matcher(q: {
  filters?: Record<string, FieldValue>;
  text?: string;
}): (f: Record<string, FieldValue>) => boolean {
  const filters = Object.entries(q.filters ?? {});
  const text = q.text?.toLowerCase();
  return (f) => {
    for (const [k, v] of filters) if (f[k] !== v) return false;
    if (text) {
      for (const v of Object.values(f)) if (String(v).toLowerCase().includes(text)) return true;
      return false;
    }
    return true;
  };
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.ts, c.id])).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  try {
    const [ts, id] = JSON.parse(Buffer.from(s, 'base64url').toString()) as [number, string];
    if (typeof ts !== 'number' || typeof id !== 'string') throw new Error('shape');
    return { ts, id };
  } catch {
    throw new Error('invalid cursor — pass back the nextCursor of the previous page unchanged');
  }
}
