/**
 * One scripted team through the day, over real HTTP: it reads its inbox, alerts and activity
 * feed, searches its telemetry the way an analyst would, and — `lag` scenario seconds after each
 * inject happened to it — makes its moves (reports through drafts or one POST, response
 * actions). It also makes the mistakes participants make: a malformed action (422) and a look at
 * another team's inbox (404). Every acknowledged write is recorded for the reconciliation, and
 * every scoring write with its send time for the latency measurement.
 */
import type { MselView } from '../../src/wire/msel';
import type { Move, Reaction, Traits } from './ground-truth';
import type { Browser } from './http-client';

export interface ScoringWrite {
  team: string;
  why: string;
  /** Wall ms when the request left and when its acknowledgement arrived. */
  sentAt: number;
  ackedAt: number;
}

export interface TeamLedger {
  /** Event seqs of the reports the API acknowledged as new (201). */
  reports: number[];
  /** Idempotent replays answered 200 with an already stored report. */
  replays: number;
  /** Event seqs of the actions the API acknowledged (201). */
  actions: number[];
  drafts: number;
  searches: number;
  /** Searches that found at least one record (the inject they looked for). */
  searchHits: number;
  searchRecords: number;
  reads: number;
  /** 4xx the script provoked on purpose, and 4xx it did not expect. */
  expected4xx: number;
  unexpected: string[];
}

export interface TeamContext {
  browser: Browser;
  team: string;
  otherTeam: string;
  traits: Traits;
  reactions: Reaction[];
  epochMs: number;
  scenarioNow: () => number;
  msel: () => MselView | undefined;
  onScoringWrite: (w: ScoringWrite) => void;
}

export class ScriptedTeam {
  readonly ledger: TeamLedger = {
    reports: [],
    replays: 0,
    actions: [],
    drafts: 0,
    searches: 0,
    searchHits: 0,
    searchRecords: 0,
    reads: 0,
    expected4xx: 0,
    unexpected: [],
  };
  private readonly done = new Set<string>();
  private alertsAfter = 0;
  private eventsAfter = 0;
  private ticks = 0;
  private mistakesMade = false;

  constructor(private readonly c: TeamContext) {}

  /** One look at the console and whatever moves are due; never throws for an HTTP answer. */
  async tick(): Promise<void> {
    this.ticks++;
    await this.read();
    if (!this.mistakesMade && this.c.scenarioNow() > 1800) {
      this.mistakesMade = true;
      await this.mistakes();
    }
    const view = this.c.msel();
    if (!view) return;
    for (const r of this.c.reactions) {
      if (this.done.has(r.inject)) continue;
      const state = view.injects.find((i) => i.id === r.inject)?.teams[this.c.team];
      if (!state || state.at === undefined || !['fired', 'succeeded', 'failed'].includes(state.state))
        continue;
      if (this.c.scenarioNow() < state.at + this.c.traits.lag) continue;
      this.done.add(r.inject);
      await this.search(r, state.at);
      for (const m of r.moves) await this.move(m);
    }
  }

  private path(rest: string): string {
    return `/api/teams/${this.c.team}${rest}`;
  }

  private expect(a: { status: number; body: unknown }, wanted: number[], what: string): boolean {
    if (wanted.includes(a.status)) return true;
    const error = (a.body as { error?: { message?: string } } | undefined)?.error?.message ?? '';
    this.ledger.unexpected.push(`${this.c.team} ${what}: ${a.status} ${error}`.trim());
    return false;
  }

  private async read(): Promise<void> {
    const b = this.c.browser;
    const inbox = await b.req<{ messages: unknown[] }>('GET', this.path('/inbox'));
    this.expect(inbox, [200], 'inbox');
    const alerts = await b.req<{ alerts: { seq: number }[] }>(
      'GET',
      this.path(`/alerts?after=${this.alertsAfter}`),
    );
    if (this.expect(alerts, [200], 'alerts')) {
      for (const a of alerts.body.alerts) this.alertsAfter = Math.max(this.alertsAfter, a.seq);
    }
    const events = await b.req<{ events: { seq: number }[] }>(
      'GET',
      this.path(`/events?after=${this.eventsAfter}&limit=200`),
    );
    if (this.expect(events, [200], 'events')) {
      for (const e of events.body.events) this.eventsAfter = Math.max(this.eventsAfter, e.seq);
    }
    this.ledger.reads += 3;
    // Now and then the score page and the host inventory, as people click around.
    if (this.ticks % 5 === 0) {
      this.expect(await b.req('GET', this.path('/score')), [200], 'score');
      this.expect(await b.req('GET', this.path('/hosts?limit=50&q=pc-seisaku')), [200], 'hosts');
      this.ledger.reads += 2;
    }
  }

  private async search(r: Reaction, firedAt: number): Promise<void> {
    // Whole milliseconds: the API takes unix ms as integers (a fractional speed makes fractions).
    const from = Math.round(this.c.epochMs + Math.max(0, firedAt - 600) * 1000);
    const to = Math.round(this.c.epochMs + (this.c.scenarioNow() + 60) * 1000);
    const res = await this.c.browser.req<{ records: unknown[] }>('POST', this.path('/telemetry/search'), {
      from,
      to: Math.min(to, from + 24 * 3600_000),
      ...(r.search.text ? { text: r.search.text } : {}),
      ...(r.search.filters ? { filters: r.search.filters } : {}),
      limit: 50,
    });
    this.ledger.searches++;
    // 503 is the documented answer of a full search queue: a participant retries later.
    if (this.expect(res, [200, 503], 'telemetry search') && res.status === 200) {
      this.ledger.searchRecords += res.body.records.length;
      if (res.body.records.length > 0) this.ledger.searchHits++;
    }
  }

  private async move(m: Move): Promise<void> {
    if (m.kind === 'action') {
      const a = await this.c.browser.req<{ action: { id: number } }>('POST', this.path('/actions'), m.action);
      if (!this.expect(a, [201], `action ${m.action.action}`)) return;
      this.ledger.actions.push(a.body.action.id);
      if (m.scores)
        this.c.onScoringWrite({ team: this.c.team, why: m.why, sentAt: a.sentAt, ackedAt: a.answeredAt });
      return;
    }
    if (this.c.traits.drafts) {
      await this.viaDraft(m);
      return;
    }
    const key = `load-${this.c.team}-${m.why}`;
    const r = await this.c.browser.req<{ report: { id: number } }>('POST', this.path('/reports'), m.report, {
      'idempotency-key': key,
    });
    if (!this.expect(r, [201], `report ${m.why}`)) return;
    this.ledger.reports.push(r.body.report.id);
    if (m.scores)
      this.c.onScoringWrite({ team: this.c.team, why: m.why, sentAt: r.sentAt, ackedAt: r.answeredAt });
    // A browser retrying after a lost answer: the same key must not make a second report.
    const again = await this.c.browser.req<{ report: { id: number } }>(
      'POST',
      this.path('/reports'),
      m.report,
      {
        'idempotency-key': key,
      },
    );
    if (this.expect(again, [200], `report replay ${m.why}`)) {
      if (again.body.report.id === r.body.report.id) this.ledger.replays++;
      else this.ledger.unexpected.push(`${this.c.team} replay of ${m.why} answered another report`);
    }
  }

  private async viaDraft(m: Extract<Move, { kind: 'report' }>): Promise<void> {
    const b = this.c.browser;
    const { title, kind } = m.report;
    const created = await b.req<{ draft: { id: string; revision: number } }>('POST', this.path('/drafts'), {
      title,
      kind,
    });
    if (!this.expect(created, [201], `draft ${m.why}`)) return;
    this.ledger.drafts++;
    const id = created.body.draft.id;
    const put = await b.req('PUT', this.path(`/drafts/${id}`), m.report, {
      'if-match': String(created.body.draft.revision),
    });
    if (!this.expect(put, [200], `draft update ${m.why}`)) return;
    const sub = await b.req<{ report: { id: number } }>('POST', this.path(`/drafts/${id}/submit`), {});
    if (!this.expect(sub, [201], `draft submit ${m.why}`)) return;
    this.ledger.reports.push(sub.body.report.id);
    if (m.scores)
      this.c.onScoringWrite({ team: this.c.team, why: m.why, sentAt: sub.sentAt, ackedAt: sub.answeredAt });
  }

  /** What participants get wrong without meaning harm: each must be a 4xx, never a 5xx. */
  private async mistakes(): Promise<void> {
    const b = this.c.browser;
    const bad = await b.req('POST', this.path('/actions'), { action: 'proxy.block', domain: 'not a domain' });
    if (this.expect(bad, [422], 'malformed action')) this.ledger.expected4xx++;
    const other = await b.req('GET', `/api/teams/${this.c.otherTeam}/inbox`);
    if (this.expect(other, [404], "another team's inbox")) this.ledger.expected4xx++;
  }
}
