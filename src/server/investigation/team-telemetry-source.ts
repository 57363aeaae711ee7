/**
 * The server's access to each team's telemetry: the same `TeamTelemetry` the engine searches
 * (background regenerated from the seed, stored attack artifacts and collected live logs, the
 * plan's decoys), bound to one team and to the exercise's current scenario time. Models are
 * built once per team on first use.
 */
import type { Plan } from '../../compiler/plan';
import type { StoredEvent } from '../../engine/events/event-types';
import { foldResponseEffects } from '../../engine/simulation/response-effects';
import { buildTeamModel, type TeamModel } from '../../engine/simulation/team-model';
import type { EventStore } from '../../engine/store/event-store';
import { TelemetryTable } from '../../engine/store/telemetry-table';
import {
  TeamTelemetry,
  type TelemetryPage,
  type TelemetryQuery,
} from '../../engine/telemetry/team-telemetry';
import type { ExerciseLog } from '../exercise/exercise-log';
import { SearchPool, type SearchPoolOptions } from './search-pool';

export interface SearchAnswer {
  page: TelemetryPage;
  histogram?: { ts: number; count: number }[];
  /** Where it ran: a worker thread or the event loop (no pool: an in-memory database, sources under ts-jest). */
  ranIn: 'worker' | 'inline';
}

export class TeamTelemetrySource {
  private readonly models = new Map<string, TeamModel>();
  private readonly table: TelemetryTable;
  private pool: SearchPool | undefined;
  /** Every `team.action` so far (the simulation obeys them), read incrementally from the log. */
  private readonly actions: StoredEvent[] = [];
  private actionsReadTo = 0;

  constructor(
    private readonly plan: Plan,
    private readonly store: EventStore,
    private readonly log: ExerciseLog,
    /** Worker threads for searches; `false` runs them on the event loop. Default: workers when built. */
    private readonly workers: SearchPoolOptions | false = __filename.endsWith('.js') ? {} : false,
  ) {
    this.table = new TelemetryTable(store.db);
  }

  /**
   * A search page (and histogram when `interval` is given) as of now, in a worker thread when
   * the pool is available (the database is a file), else on the event loop.
   */
  async search(team: string, query: TelemetryQuery, interval?: number): Promise<SearchAnswer> {
    const nowMs = this.nowMs();
    const pool = this.searchPool();
    if (pool) {
      const actions = this.teamActions(team);
      const r = await pool.run({ team, query, ...(interval ? { interval } : {}), nowMs, actions });
      return { page: r.page, ...(r.histogram ? { histogram: r.histogram } : {}), ranIn: 'worker' };
    }
    const t = this.telemetry(team, nowMs);
    if (!t) throw new Error(`no team "${team}"`);
    const page = t.search(query);
    return { page, ...(interval ? { histogram: t.histogram(query, interval) } : {}), ranIn: 'inline' };
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }

  /** Whether work may go to worker threads (built code, or explicit options) — `false` keeps it inline. */
  get useWorkers(): boolean {
    return this.workers !== false;
  }

  /** What a worker needs to rebuild this session's telemetry (undefined: in-memory database or no session yet). */
  workerData(): { dbPath: string; session: string; plan: Plan; epochMs: number } | undefined {
    if (this.store.db.memory || !this.log.state.created) return undefined;
    const seed = this.log.state.created.seed;
    return {
      dbPath: this.store.db.name,
      session: this.log.session,
      plan:
        seed === this.plan.scenario.seed
          ? this.plan
          : { ...this.plan, scenario: { ...this.plan.scenario, seed } },
      epochMs: this.epochMs,
    };
  }

  private searchPool(): SearchPool | undefined {
    if (this.workers === false) return undefined;
    const data = this.workerData();
    if (!data) return undefined;
    this.pool ??= new SearchPool(data, this.workers);
    return this.pool;
  }

  /** Unix ms of scenario T+0 (from the session's log; the plan's seed is the session's). */
  get epochMs(): number {
    return this.log.state.created?.scenarioEpochMs ?? 0;
  }

  /** Unix ms of the exercise's current scenario time. */
  nowMs(): number {
    return this.epochMs + this.log.scenarioNow() * 1000;
  }

  model(team: string): TeamModel | undefined {
    let m = this.models.get(team);
    if (m) return m;
    const tp = this.plan.teams.find((t) => t.id === team);
    if (!tp) return undefined;
    const seed = this.log.state.created?.seed ?? this.plan.scenario.seed;
    const plan =
      seed === this.plan.scenario.seed
        ? this.plan
        : { ...this.plan, scenario: { ...this.plan.scenario, seed } };
    m = buildTeamModel(plan, tp, this.epochMs);
    this.models.set(team, m);
    return m;
  }

  /** The team's telemetry as it stands at `nowMs` (default: now). */
  telemetry(team: string, nowMs?: number): TeamTelemetry | undefined {
    const m = this.model(team);
    if (!m) return undefined;
    const at = nowMs;
    const effects = foldResponseEffects(this.teamActions(team), team, this.epochMs);
    return new TeamTelemetry(m, this.table, this.log.session, () => at ?? this.nowMs(), effects);
  }

  /** The team's response actions so far, so searches show their effect (isolation, blocks). */
  private teamActions(team: string): StoredEvent[] {
    const fresh = this.store.read(this.log.session, this.actionsReadTo);
    for (const e of fresh) if (e.type === 'team.action') this.actions.push(e);
    if (fresh.length) this.actionsReadTo = fresh[fresh.length - 1]!.seq;
    return this.actions.filter((e) => e.team === team);
  }
}
