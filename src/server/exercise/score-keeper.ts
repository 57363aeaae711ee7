/**
 * Keeps every team's score live: one incremental `TeamScorer` per team takes the log's events as
 * they come, and the boards (staff and public) and team views are rebuilt only when a
 * score-relevant fact arrived or time moved an expectation (decay, expiry, a planned freeze).
 * `refresh` says what changed, so the server pushes only real changes.
 */
import type { Plan } from '../../compiler/plan';
import type { StoredEvent } from '../../engine/events/event-types';
import { scoreboard } from '../../scoring/scoreboard';
import type { ScoringEvent } from '../../scoring/scoring-events';
import type { TeamScore } from '../../scoring/team-score';
import { TeamScorer } from '../../scoring/team-scorer';
import { teamView } from '../../scoring/team-view';
import type { ScoreboardView, TeamScoreView } from '../../wire/views';

/** Facts that can change a score (scoring's own outputs, score.changed and expectation.resolved, cannot). */
export const SCORE_RELEVANT: ReadonlySet<string> = new Set([
  'attack.step',
  'inject.fired',
  'team.joined',
  'report.submitted',
  'team.action',
  'containment.verified',
  'service.checked',
  'hint.given',
  'expectation.graded',
  'expectation.overridden',
  'score.adjusted',
  'score.frozen',
  'score.unfrozen',
]);

export interface Refresh {
  boardChanged: boolean;
  /** Teams whose own view changed. */
  teams: string[];
}

export class ScoreKeeper {
  private readonly scorers = new Map<string, TeamScorer>();
  private readonly scores = new Map<string, TeamScore>();
  private readonly dirty = new Set<string>();
  private readonly teamJson = new Map<string, string>();
  private boards: { staff: ScoreboardView; public: ScoreboardView };
  private version = 0;
  private boardJson = '';
  private lastNow = 0;

  constructor(
    private readonly plan: Plan,
    private readonly session: string,
    private readonly time: () => number,
  ) {
    for (const t of plan.teams) {
      this.scorers.set(t.id, new TeamScorer(plan, t.id));
      this.dirty.add(t.id);
    }
    this.boards = { staff: this.emptyBoard('staff'), public: this.emptyBoard('public') };
  }

  /** Takes a batch of new events; true when one of them may change a score. */
  apply(batch: readonly StoredEvent[]): boolean {
    let relevant = false;
    for (const e of batch) {
      if (!SCORE_RELEVANT.has(e.type)) continue;
      relevant = true;
      const targets = e.team === null ? [...this.scorers.keys()] : [e.team];
      for (const team of targets) {
        const scorer = this.scorers.get(team);
        if (!scorer) continue;
        scorer.apply(e as ScoringEvent);
        this.dirty.add(team);
      }
      this.lastNow = Math.max(this.lastNow, e.scenarioTime);
    }
    return relevant;
  }

  /**
   * Recomputes at scenario time `now`: the teams that took events, or every team when `all`
   * (time alone can change a score: decay, expiry, a planned freeze).
   */
  refresh(now: number, all = false): Refresh {
    this.lastNow = Math.max(this.lastNow, now);
    const teams = all ? [...this.scorers.keys()] : [...this.dirty];
    this.dirty.clear();
    const changedTeams: string[] = [];
    for (const team of teams) {
      const score = this.scorers.get(team)!.score(this.lastNow);
      this.scores.set(team, score);
      // Everything that can show on a board or a team page — not `now`, which moves every tick.
      const { now: _now, ...shown } = score;
      const json = JSON.stringify(shown);
      if (this.teamJson.get(team) !== json) {
        this.teamJson.set(team, json);
        changedTeams.push(team);
      }
    }
    if (changedTeams.length === 0 && this.boardJson !== '') return { boardChanged: false, teams: [] };
    const scores = this.plan.teams.map((t) => this.scores.get(t.id)).filter((s): s is TeamScore => !!s);
    const staff = scoreboard(this.plan, scores, { audience: 'staff' });
    const pub = scoreboard(this.plan, scores, { audience: 'public' });
    const json = JSON.stringify([staff, pub]);
    const boardChanged = json !== this.boardJson;
    if (boardChanged) {
      this.boardJson = json;
      this.version++;
      const base = {
        session: this.session,
        at: this.lastNow,
        version: this.version,
        computedAt: this.time(),
      };
      this.boards = {
        staff: { ...base, audience: 'staff', frozen: false, rows: staff },
        public: { ...base, audience: 'public', frozen: pub.some((r) => r.frozen), rows: pub },
      };
    }
    if (changedTeams.length > 0 && !boardChanged) this.version++;
    return { boardChanged, teams: changedTeams };
  }

  board(audience: 'staff' | 'public'): ScoreboardView {
    return this.boards[audience];
  }

  /** A team's score as `viewer` may see it; undefined for an unknown team. */
  teamScore(team: string, viewer: 'staff' | 'team'): TeamScoreView | undefined {
    const score = this.scores.get(team);
    if (!score) return undefined;
    return {
      session: this.session,
      at: this.lastNow,
      version: this.version,
      ...teamView(this.plan, score, viewer),
    };
  }

  /** The raw score (for writing scoring's outputs back to the log). */
  rawScore(team: string): TeamScore | undefined {
    return this.scores.get(team);
  }

  private emptyBoard(audience: 'staff' | 'public'): ScoreboardView {
    return {
      session: this.session,
      audience,
      at: 0,
      version: 0,
      computedAt: this.time(),
      frozen: false,
      rows: [],
    };
  }
}
