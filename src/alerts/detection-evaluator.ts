/**
 * Evaluates a scenario's detection rules over one team's telemetry as scenario time advances.
 * Records are fed in (`@timestamp`, id) order per rule, so the outcome does not depend on how
 * time is sliced between calls: a re-run from T+0 (after a restart) raises the same alerts with
 * the same keys, and the log's idempotency keys drop the copies.
 *
 * Threshold: at least `count` matching records within `within` seconds, counted per value of
 * the `by` fields; an alert empties its group's window, so the next one needs `count` fresh
 * matches.
 */
import type { DetectionPlan } from '../compiler/plan';
import type { FieldValue } from '../engine/telemetry/record';
import type { TeamTelemetry } from '../engine/telemetry/team-telemetry';
import { compileMatcher, exactFilters, type FieldPredicate } from './detection-matcher';

export interface RaisedAlert {
  key: string;
  rule: DetectionPlan;
  group?: string;
  count: number;
  firstMs: number;
  lastMs: number;
  samples: Record<string, FieldValue>[];
}

interface Hit {
  ts: number;
  doc: Record<string, FieldValue>;
}

interface CompiledRule {
  rule: DetectionPlan;
  filters: Record<string, FieldValue>;
  matches: FieldPredicate;
  windows: Map<string, Hit[]>;
}

/** Pages of records one rule may read per `advance` (a bound on one call's work). */
const MAX_PAGES_PER_RULE = 50;

export class DetectionEvaluator {
  private readonly rules: CompiledRule[];
  /** Unix ms up to which (exclusive) every rule has seen the telemetry. */
  private evaluatedTo: number;

  constructor(
    private readonly session: string,
    private readonly team: string,
    rules: readonly DetectionPlan[],
    fromMs: number,
  ) {
    this.rules = rules.map((rule) => ({
      rule,
      filters: exactFilters(rule),
      matches: compileMatcher(rule),
      windows: new Map(),
    }));
    this.evaluatedTo = fromMs;
  }

  get position(): number {
    return this.evaluatedTo;
  }

  /**
   * Reads [position, toMs) and returns the alerts it raises. When a rule's page budget runs out
   * the position stops at the last record every rule has read fully, and the next call goes on.
   */
  advance(telemetry: TeamTelemetry, toMs: number): RaisedAlert[] {
    if (toMs <= this.evaluatedTo) return [];
    const out: RaisedAlert[] = [];
    let reached = toMs;
    const pending: { rule: CompiledRule; hits: Hit[] }[] = [];
    for (const r of this.rules) {
      const hits: Hit[] = [];
      let cursor: string | undefined;
      let pages = 0;
      let end = toMs;
      for (;;) {
        const page = telemetry.search({
          from: this.evaluatedTo,
          to: toMs,
          filters: r.filters,
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        });
        for (const doc of page.records) {
          if (r.matches(doc)) hits.push({ ts: Date.parse(String(doc['@timestamp'])), doc });
        }
        cursor = page.nextCursor;
        if (!cursor) break;
        if (++pages >= MAX_PAGES_PER_RULE) {
          const last = page.records.at(-1);
          end = last ? Date.parse(String(last['@timestamp'])) : this.evaluatedTo;
          break;
        }
      }
      reached = Math.min(reached, end);
      pending.push({ rule: r, hits });
    }
    for (const { rule, hits } of pending) {
      for (const hit of hits) {
        if (hit.ts >= reached) break;
        const alert = this.feed(rule, hit);
        if (alert) out.push(alert);
      }
    }
    // Records at exactly `reached` are read again next time (the window keeps only what it fed).
    this.evaluatedTo = Math.max(this.evaluatedTo, reached);
    return out;
  }

  private feed(r: CompiledRule, hit: Hit): RaisedAlert | undefined {
    const { count, within, by } = r.rule.threshold;
    const group = by.map((f) => String(hit.doc[f] ?? '-')).join(' / ');
    const window = r.windows.get(group) ?? [];
    window.push(hit);
    while (window.length > 0 && window[0]!.ts <= hit.ts - within * 1000) window.shift();
    if (window.length > count) window.shift();
    if (window.length < count) {
      r.windows.set(group, window);
      return undefined;
    }
    r.windows.set(group, []);
    const first = window[0]!;
    return {
      key: `${this.session}/alert/${this.team}/${r.rule.id}/${group}/${first.ts}`,
      rule: r.rule,
      ...(by.length > 0 ? { group } : {}),
      count: window.length,
      firstMs: first.ts,
      lastMs: hit.ts,
      samples: window.slice(-5).map((h) => h.doc),
    };
  }
}
