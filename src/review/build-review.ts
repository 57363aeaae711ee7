/**
 * The after-action review as a pure fold of the event log: per team a timeline, step timings
 * (time to detect / respond), technique coverage and an HSEEP-style summary whose ratings are
 * derived from expectations and overridden by the instructor's `review.edited` events. Given a
 * time `at`, only what happened up to `at` counts (replay).
 */
import type { Plan } from '../compiler/plan';
import type { ScoringEvent } from '../scoring/scoring-events';
import { meanOf } from '../scoring/step-timing';
import { scoreTeam } from '../scoring/team-score';
import type { HseepSummary, Objective, Rating, Review, ReviewEdit, TeamReview } from './review-types';
import { teamTimeline } from './timeline';

export const REVIEW_EDITED = 'review.edited';

export interface ReviewOptions {
  session: string;
  /** Scenario seconds to replay up to (default: the end). */
  at?: number;
  /** Scenario seconds now, when the session still runs (the end is at least this). */
  now?: number;
}

export function ratingOf(share: number): Rating {
  if (share >= 0.85) return 'P';
  if (share >= 0.5) return 'S';
  if (share > 0) return 'M';
  return 'U';
}

const mmss = (s: number) => `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;

export function buildReview(plan: Plan, events: readonly ScoringEvent[], options: ReviewOptions): Review {
  const end = events.reduce((m, e) => Math.max(m, e.scenarioTime), Math.max(0, options.now ?? 0));
  const at = Math.min(Math.max(0, options.at ?? end), end);
  const upTo = events.filter((e) => e.scenarioTime <= at);
  const created = events.find((e) => e.type === 'session.created');
  const title = (inject: string) => plan.injects.find((i) => i.id === inject)?.title ?? inject;
  const teams: TeamReview[] = [];
  const scores = new Map<string, ReturnType<typeof scoreTeam>>();
  for (const t of plan.teams) {
    const score = scoreTeam(plan, t.id, upTo, { now: at });
    scores.set(t.id, score);
    let total = 0;
    const scoreSeries: [number, number][] = [[0, 0]];
    for (const x of score.entries) {
      total += x.points;
      scoreSeries.push([x.at, total]);
    }
    const steps = score.steps.map((s) => {
      const inject = plan.injects.find((i) => i.id === s.inject);
      return {
        inject: s.inject,
        title: title(s.inject),
        ...(s.technique ? { technique: s.technique } : {}),
        ...(inject?.attack ? { tactic: inject.attack.tactic } : {}),
        at: s.at,
        ...(s.timeToDetect !== undefined ? { timeToDetect: s.timeToDetect } : {}),
        ...(s.timeToRespond !== undefined ? { timeToRespond: s.timeToRespond } : {}),
        detected: s.detectedAt !== undefined,
        responded: s.respondedAt !== undefined,
      };
    });
    const ttd = meanOf(steps.map((s) => s.timeToDetect));
    const ttr = meanOf(steps.map((s) => s.timeToRespond));
    teams.push({
      team: t.id,
      name: t.name,
      total: score.total,
      timeline: teamTimeline(plan, t.id, upTo, score.entries, score.steps),
      steps,
      scoreSeries,
      ...(ttd !== undefined ? { meanTimeToDetect: ttd } : {}),
      ...(ttr !== undefined ? { meanTimeToRespond: ttr } : {}),
    });
  }
  const stepIds = [...new Set(teams.flatMap((t) => t.steps.map((s) => s.inject)))];
  const coverage = stepIds.map((inject) => {
    const i = plan.injects.find((x) => x.id === inject);
    return {
      inject,
      title: title(inject),
      ...(i?.attack ? { technique: i.attack.technique } : {}),
      caught: Object.fromEntries(
        teams.map((t) => [t.team, t.steps.some((s) => s.inject === inject && s.detected)]),
      ),
    };
  });
  return {
    session: options.session,
    scenario: { id: plan.scenario.id, title: plan.scenario.title, timezone: plan.scenario.timezone },
    at,
    end,
    ...(created && created.type === 'session.created' ? { epochMs: created.payload.scenarioEpochMs } : {}),
    teams,
    coverage,
    summary: summarise(plan, scores, editsOf(upTo)),
  };
}

/** The instructor's edits, oldest first (later ones win). */
export function editsOf(events: readonly ScoringEvent[]): ReviewEdit[] {
  return events
    .filter((e) => (e.type as string) === REVIEW_EDITED)
    .map((e) => e.payload as unknown as ReviewEdit);
}

function summarise(
  plan: Plan,
  scores: Map<string, ReturnType<typeof scoreTeam>>,
  edits: readonly ReviewEdit[],
): HseepSummary {
  const objectives: Objective[] = plan.injects
    .filter((i) => i.expectations.length > 0)
    .map((i) => {
      const ratings: Record<string, Rating> = {};
      const shares: Record<string, number> = {};
      for (const [team, score] of scores) {
        const own = score.expectations.filter((x) => x.inject === i.id);
        const max = own.reduce((n, x) => n + x.points, 0);
        const earned = own.reduce((n, x) => n + x.earned, 0);
        shares[team] = max > 0 ? earned / max : 0;
        ratings[team] = ratingOf(shares[team]);
      }
      return { id: i.id, title: i.title, ratings, shares, edited: false };
    });
  const strengths: string[] = [];
  const improvements: string[] = [];
  for (const [team, score] of scores) {
    const name = plan.teams.find((t) => t.id === team)?.name ?? team;
    for (const x of score.expectations) {
      const took =
        x.firstCreditAt !== undefined && x.startedAt !== undefined
          ? x.firstCreditAt - x.startedAt
          : undefined;
      if (x.status === 'met')
        strengths.push(`${name}: ${x.title}${took !== undefined ? ` within ${mmss(took)}` : ''}`);
      else if (
        x.status === 'failed' ||
        (x.status === 'open' && x.expiresAt !== undefined && score.now > x.expiresAt)
      )
        improvements.push(`${name}: ${x.title} — not achieved`);
      else if (x.status === 'partial')
        improvements.push(`${name}: ${x.title} — only partly (${Math.round(x.share * 100)}%)`);
    }
  }
  const summary: HseepSummary = { objectives, strengths, improvements, notes: '' };
  for (const edit of edits) {
    if (edit.objective && edit.rating) {
      const o = objectives.find((x) => x.id === edit.objective);
      if (o) {
        for (const team of edit.team ? [edit.team] : Object.keys(o.ratings)) o.ratings[team] = edit.rating;
        o.edited = true;
      }
    }
    if (edit.strengths) summary.strengths = [...edit.strengths];
    if (edit.improvements) summary.improvements = [...edit.improvements];
    if (edit.notes !== undefined) summary.notes = edit.notes;
    summary.editedBy = edit.by;
  }
  return summary;
}
