/**
 * The events scoring asks the engine to append for a team: one `score.changed` per breakdown
 * entry and one `expectation.resolved` per expectation once it is settled. Every event carries an
 * idempotency key, so the engine may call this after every fact and append everything it
 * returns: the log drops what it already holds. Should an entry already written have changed
 * (a fact arrived late, out of time order), a correction keeps the log's sum equal to the score.
 */
import type { EngineEvent } from '../engine/events/event-types';
import { resolution } from './expectation-score';
import type { ScoreEntry } from './score-entry';
import type { ScoringEvent } from './scoring-events';
import type { TeamScore } from './team-score';

const GRADED: ReadonlySet<ScoreEntry['kind']> = new Set(['manual-grade', 'override', 'adjustment']);

/** Keys of a team's entries: event seq, kind and expectation, numbered when one event gives several. */
export function entryKeys(session: string, team: string, entries: readonly ScoreEntry[]): string[] {
  const seen = new Map<string, number>();
  return entries.map((e) => {
    const base = `${session}/score/${team}/${e.seq}/${e.kind}/${e.expectation ?? ''}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}/${n}`;
  });
}

/** `written`: the events already in the log (any team; only this team's are read). */
export function scoringOutputs(
  session: string,
  score: TeamScore,
  written: readonly ScoringEvent[],
): EngineEvent[] {
  const mine = written.filter((e) => e.team === score.team);
  const keys = new Set(mine.flatMap((e) => (e.key ? [e.key] : [])));
  let total = 0;
  for (const e of mine) if (e.type === 'score.changed') total += e.payload.delta;
  const out: EngineEvent[] = [];
  entryKeys(session, score.team, score.entries).forEach((key, i) => {
    const entry = score.entries[i]!;
    if (keys.has(key)) return;
    total += entry.points;
    out.push({
      type: 'score.changed',
      team: score.team,
      key,
      payload: {
        delta: entry.points,
        reason: entry.reason,
        ...(entry.expectation ? { expectation: entry.expectation } : {}),
        ...(GRADED.has(entry.kind) ? { grader: entry.by } : {}),
      },
    });
  });
  if (total !== score.total) {
    out.push({
      type: 'score.changed',
      team: score.team,
      key: `${session}/score/${score.team}/correction/${total}->${score.total}`,
      payload: {
        delta: score.total - total,
        reason: `correction: a late fact changed earlier points (${total} → ${score.total})`,
      },
    });
  }
  for (const x of score.expectations) {
    const result = resolution(x, score.now);
    const key = `${session}/resolved/${score.team}/${x.id}`;
    if (result && !keys.has(key)) {
      out.push({
        type: 'expectation.resolved',
        team: score.team,
        key,
        payload: { expectation: x.id, inject: x.inject, result },
      });
    }
  }
  return out;
}
