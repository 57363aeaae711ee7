/**
 * The live form of the fold: one scorer per team takes events one at a time in O(work of that
 * event), so a scoreboard can follow a session without refolding the log. An event that arrives
 * out of time order (or a repeat) is handled exactly: the scorer replays its team's events.
 * `scoreTeam` (team-score.ts) is this scorer run over a log, so both always agree.
 */
import type { Plan } from '../compiler/plan';
import { actionSatisfies, describeCheck } from './containment-check';
import { DEFAULT_MASS_ISOLATION, IsolationTracker, type MassIsolationRule } from './destructive-actions';
import { detectionTarget } from './detection-match';
import { initialExpectationScore, settleStatus } from './expectation-score';
import { freezeAt } from './freeze';
import { groundTruth, type StepTruth } from './ground-truth';
import { OutageTracker } from './outage';
import { scoreReport } from './report-scoring';
import { responseAction } from './response-action';
import { lastChangeAt, sumEntries } from './score-entry';
import { type LedgerExpectation, ScoreLedger } from './score-ledger';
import type { ScoringEvent } from './scoring-events';
import { stepTimings } from './step-timing';
import { type TeamDirectory, teamDirectory } from './team-directory';
import type { TeamScore } from './team-score';
import { adjustScore, gradeExpectation, overrideExpectation } from './white-cell-scoring';

export interface ScorerOptions {
  massIsolation?: MassIsolationRule;
}

function before(a: ScoringEvent, b: ScoringEvent): boolean {
  return a.scenarioTime < b.scenarioTime || (a.scenarioTime === b.scenarioTime && a.seq < b.seq);
}

interface State {
  ledger: ScoreLedger;
  isolation: IsolationTracker;
  outage: OutageTracker;
  name: string;
}

export class TeamScorer {
  private readonly dir: TeamDirectory;
  /** This team's events (and session-wide ones), in time order. */
  private readonly events: ScoringEvent[] = [];
  private readonly seqs = new Set<number>();
  private state: State;

  constructor(
    private readonly plan: Plan,
    readonly team: string,
    private readonly options: ScorerOptions = {},
  ) {
    this.dir = teamDirectory(plan, team);
    this.state = this.fresh();
  }

  /** Take in one event; events of other teams and repeats are ignored. */
  apply(e: ScoringEvent): void {
    if ((e.team !== this.team && e.team !== null) || this.seqs.has(e.seq)) return;
    this.seqs.add(e.seq);
    const last = this.events[this.events.length - 1];
    if (last && before(e, last)) {
      let i = this.events.length;
      while (i > 0 && before(e, this.events[i - 1]!)) i--;
      this.events.splice(i, 0, e);
      this.replay();
      return;
    }
    this.events.push(e);
    this.step(e);
  }

  /** The score as of `now` (default: the last event's time); `now` must not precede events taken in. */
  score(now = this.events[this.events.length - 1]?.scenarioTime ?? 0): TeamScore {
    const { ledger, name } = this.state;
    const expectations = [...ledger.expectations.values()].map(({ plan: ep, score }) => {
      const expiresAt =
        ep.type === 'manual' || score.startedAt === undefined ? undefined : score.startedAt + ep.expiry;
      return {
        ...score,
        named: [...score.named],
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        status: settleStatus(score, expiresAt, now),
      };
    });
    return {
      team: this.team,
      name,
      total: sumEntries(ledger.entries),
      entries: ledger.entries.map((entry) => ({ ...entry })),
      expectations,
      steps: stepTimings(ledger.truth, expectations),
      reachedAt: lastChangeAt(ledger.entries),
      freeze: freezeAt(this.plan.scoring.freeze, this.events, now),
      warnings: [...ledger.warnings],
      now,
    };
  }

  private fresh(): State {
    const expectations = new Map<string, LedgerExpectation>();
    for (const inj of this.plan.injects) {
      for (const ep of inj.expectations) {
        const target = ep.match ? detectionTarget(ep, undefined) : undefined;
        expectations.set(ep.id, {
          plan: ep,
          score: initialExpectationScore(ep),
          ...(target ? { target } : {}),
        });
      }
    }
    const truth = groundTruth(this.plan, [], this.dir);
    const rule = this.options.massIsolation ?? DEFAULT_MASS_ISOLATION;
    return {
      ledger: new ScoreLedger(this.plan, this.dir, truth, expectations),
      isolation: new IsolationTracker(this.plan.scoring.critical, this.dir, rule),
      outage: new OutageTracker(this.plan.scoring.penalties.outage),
      name: this.team,
    };
  }

  private replay(): void {
    this.state = this.fresh();
    for (const e of this.events) this.step(e);
  }

  /** A step started an inject's clock: its expectations start, and those without `match` learn their items. */
  private started(step: StepTruth): void {
    for (const x of this.state.ledger.expectations.values()) {
      if (x.plan.inject !== step.inject) continue;
      x.score.startedAt = step.at;
      if (!x.plan.match && x.plan.type === 'detection') x.target = detectionTarget(x.plan, step);
      if (x.target) {
        x.score.items = x.target.items.length;
        x.score.require = x.target.require;
      }
    }
  }

  private step(e: ScoringEvent): void {
    const { ledger, isolation, outage } = this.state;
    const { scoring } = this.plan;
    switch (e.type) {
      case 'attack.step':
      case 'inject.fired': {
        const step = ledger.truth.record(e);
        if (step) this.started(step);
        break;
      }
      case 'team.joined':
        if (e.team === this.team) this.state.name = e.payload.name;
        break;
      case 'report.submitted':
        scoreReport(ledger, e);
        break;
      case 'team.action': {
        const { actor, action: verb, detail } = e.payload;
        const action = responseAction(verb, detail);
        for (const [id, x] of ledger.expectations) {
          if (x.plan.check && actionSatisfies(x.plan.check, action, this.dir)) {
            ledger.contain(id, e, actor, `${verb} (${describeCheck(x.plan.check)})`);
          }
        }
        for (const reason of isolation.apply(action)) {
          ledger.penalty(
            e,
            'destructive',
            scoring.penalties.destructive,
            actor,
            `destructive action: ${reason}`,
          );
        }
        break;
      }
      case 'containment.verified':
        if (!ledger.expectations.has(e.payload.expectation)) {
          ledger.warn(`containment.verified #${e.seq}: unknown expectation ${e.payload.expectation}`);
        } else if (e.payload.ok) {
          ledger.contain(e.payload.expectation, e, 'probe', `verified: ${e.payload.detail}`);
        }
        break;
      case 'service.checked': {
        const { host, service, ok, cause } = e.payload;
        const charge = outage.check(this.dir.host(host), service, ok, cause, e.scenarioTime);
        if (charge) ledger.penalty(e, 'outage', charge.points, 'service check', charge.reason);
        break;
      }
      case 'hint.given': {
        const { hint, inject, by, cost } = e.payload;
        ledger.penalty(
          e,
          'hint',
          cost ?? scoring.penalties.hint,
          by,
          `hint${inject ? ` on ${inject}` : ''}: ${hint}`,
        );
        break;
      }
      case 'expectation.graded':
        gradeExpectation(ledger, e);
        break;
      case 'expectation.overridden':
        overrideExpectation(ledger, e);
        break;
      case 'score.adjusted':
        adjustScore(ledger, e);
        break;
      default:
        // score.changed and expectation.resolved are scoring's own outputs; the rest do not score.
        break;
    }
  }
}
