/**
 * Push after every change, so clients recover by themselves: each batch of new events is scored,
 * and what changed goes to its rooms — the staff board to the white cell, the public board
 * (frozen, maybe anonymised) to teams and spectators, each team's own view to that team, and new
 * inbox messages to their team. A timer rescores every team once a second, because time alone
 * moves scores (decay, expiry, a planned freeze). Scoring's outputs (`score.changed`,
 * `expectation.resolved`) are written back to the log with idempotency keys.
 */
import type { StoredEvent } from '../../engine/events/event-types';
import type { ScoringEvent } from '../../scoring/scoring-events';
import { scoringOutputs } from '../../scoring/scoring-outputs';
import type { EventWriter, ExerciseLog } from '../exercise/exercise-log';
import type { ScoreKeeper } from '../exercise/score-keeper';
import { inboxMessage } from '../exercise/team-data';
import { rooms } from './rooms';
import type { CyrangeIo } from './types';

export interface LiveUpdatesOptions {
  io: CyrangeIo;
  log: ExerciseLog;
  keeper: ScoreKeeper;
  /** When set, scoring's outputs are appended through it. */
  writeOutputs?: EventWriter;
  tickMs: number;
  onError: (e: unknown) => void;
}

export class LiveUpdates {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: LiveUpdatesOptions) {
    o.log.onEvents((batch) => this.onBatch(batch));
  }

  start(): void {
    this.push(this.o.keeper.refresh(this.o.log.scenarioNow(), true));
    this.timer = setInterval(() => {
      try {
        this.push(this.o.keeper.refresh(this.o.log.scenarioNow(), true));
      } catch (e) {
        this.o.onError(e);
      }
    }, this.o.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private onBatch(batch: readonly StoredEvent[]): void {
    const { io, log, keeper } = this.o;
    for (const e of batch) {
      const m = inboxMessage(e);
      if (!m) continue;
      const teams = e.team === null ? log.state.teams.keys() : [e.team];
      for (const team of teams) io.to(rooms.team(log.session, team)).emit('inbox:message', { ...m, team });
    }
    if (keeper.apply(batch)) this.push(keeper.refresh(log.scenarioNow()));
  }

  private push(r: { boardChanged: boolean; teams: string[] }): void {
    const { io, log, keeper } = this.o;
    if (r.boardChanged) {
      io.to(rooms.board(log.session, 'staff')).emit('scoreboard:update', keeper.board('staff'));
      io.to(rooms.board(log.session, 'public')).emit('scoreboard:update', keeper.board('public'));
    }
    for (const team of r.teams) {
      const view = keeper.teamScore(team, 'team');
      if (view) io.to(rooms.team(log.session, team)).emit('team:score', view);
    }
    if (this.o.writeOutputs && r.teams.length > 0) this.writeOutputs(r.teams);
  }

  private writeOutputs(teams: string[]): void {
    const { log, keeper } = this.o;
    for (const team of teams) {
      const score = keeper.rawScore(team);
      if (!score) continue;
      const out = scoringOutputs(log.session, score, log.eventsOf(team) as ScoringEvent[]);
      if (out.length > 0) this.o.writeOutputs!(out);
    }
  }
}
