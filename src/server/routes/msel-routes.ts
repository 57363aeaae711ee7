/**
 * The white cell's view of the MSEL — every inject with each team's state of it, read from the
 * session's folded state and the schedule (never changed here) — and score overrides: the
 * controller sets an expectation's points by hand, with a reason, as `expectation.overridden`.
 */
import type { Request } from 'express';
import { z } from 'zod';
import type { InjectPlan, Plan } from '../../compiler/plan';
import type { EngineEvent } from '../../engine/events/event-types';
import { buildSchedule, type Schedule } from '../../engine/scheduler/schedule';
import type { OccurrenceState, TeamState } from '../../engine/state/session-state';
import type { MselInject, MselTeamState, MselView } from '../../wire/msel';
import { ApiError, parseOr422 } from '../http/api-error';
import { guard, principalOf } from '../http/authenticate';
import { type RouteGroup, requireTeam } from './route-context';

const overrideBody = z
  .object({
    expectation: z.string().min(1).max(100),
    points: z.number().int().min(0).max(100_000),
    reason: z.string().trim().min(1).max(2000),
  })
  .strict();

function duration(s: number): string {
  if (s % 3600 === 0 && s >= 3600) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

export function triggerSummary(inj: InjectPlan): string {
  const t = inj.trigger;
  switch (t.kind) {
    case 'offset':
      return `T+${duration(t.at)}`;
    case 'after':
      return `after ${t.inject} (${t.on})${t.delay ? ` +${duration(t.delay)}` : ''}`;
    case 'cron':
      return `cron ${t.expression}`;
    case 'manual':
      return 'manual';
  }
}

/** When an `after` inject becomes due for a team, once its reference's outcome is known. */
function afterDue(inj: InjectPlan, team: TeamState, s: Schedule): number | undefined {
  if (inj.trigger.kind !== 'after') return undefined;
  const { inject: ref, on, delay } = inj.trigger;
  for (const o of team.occurrences.get(ref)?.values() ?? []) {
    if (o.status === 'skipped') continue;
    if (on === 'success' && o.status === 'succeeded' && o.outcomeAt !== undefined) return o.outcomeAt + delay;
    if (on === 'failure' && o.status === 'failed' && o.outcomeAt !== undefined) return o.outcomeAt + delay;
    if (on === 'completion' && o.outcomeAt !== undefined) return o.outcomeAt + delay;
    if (on === 'expiry') {
      const exp = s.expiry.get(ref);
      if (exp !== undefined) return o.at + exp + delay;
    }
  }
  return undefined;
}

function teamState(inj: InjectPlan, team: TeamState | undefined, s: Schedule, now: number): MselTeamState {
  const occs: [string, OccurrenceState][] = [...(team?.occurrences.get(inj.id)?.entries() ?? [])];
  const latest = occs.reduce<OccurrenceState | undefined>(
    (best, [, o]) => (best === undefined || o.at >= best.at ? o : best),
    undefined,
  );
  const cancelled = team?.cancelled.has(inj.id) ?? false;
  const requests = (team?.manualRequests ?? []).filter(
    (r) => r.inject === inj.id && !team?.occurrences.get(inj.id)?.has(r.occurrence),
  );
  let nextDueAt: number | undefined;
  if (requests.length > 0) nextDueAt = Math.min(...requests.map((r) => r.at));
  else if (!cancelled && team) {
    const t = inj.trigger;
    if (t.kind === 'offset' && !team.occurrences.get(inj.id)?.has('0')) nextDueAt = t.at;
    else if (t.kind === 'after' && !team.occurrences.get(inj.id)?.has('a0'))
      nextDueAt = afterDue(inj, team, s);
    else if (t.kind === 'cron') {
      const times = s.cron.get(inj.id) ?? [];
      let j = -1;
      while (j + 1 < times.length && times[j + 1]! <= now) j++;
      nextDueAt = j >= 0 && !team.occurrences.get(inj.id)?.has(`c${j}`) ? times[j] : times[j + 1];
    }
  }
  const state: MselTeamState = {
    state: latest ? latest.status : cancelled ? 'cancelled' : 'pending',
    occurrences: occs.length,
    manualPending: requests.length > 0,
    cancelled,
  };
  if (latest) state.at = latest.at;
  if (latest?.outcomeAt !== undefined) state.outcomeAt = latest.outcomeAt;
  if (nextDueAt !== undefined) state.nextDueAt = nextDueAt;
  return state;
}

export function mselView(
  plan: Plan,
  teams: Map<string, TeamState>,
  s: Schedule,
  now: number,
  clock: string,
): MselView {
  const injects: MselInject[] = plan.injects.map((inj) => {
    const byTeam: Record<string, MselTeamState> = {};
    for (const t of plan.teams) byTeam[t.id] = teamState(inj, teams.get(t.id), s, now);
    const view: MselInject = {
      id: inj.id,
      title: inj.title,
      phase: inj.phase,
      trigger: inj.trigger.kind,
      triggerSummary: triggerSummary(inj),
      conditional: inj.condition !== undefined,
      expectations: inj.expectations.map((x) => ({
        id: x.id,
        title: x.title,
        type: x.type,
        points: x.points,
        ...(x.rubric ? { rubric: x.rubric } : {}),
      })),
      teams: byTeam,
    };
    if (inj.attack) {
      view.tactic = inj.attack.tactic;
      view.technique = inj.attack.technique;
    }
    return view;
  });
  return {
    scenarioTime: now,
    clock,
    teams: plan.teams.map((t) => ({ id: t.id, name: teams.get(t.id)?.name ?? t.name })),
    injects,
  };
}

export const mselRoutes: RouteGroup = (r, ctx) => {
  let schedule: { epoch: number; s: Schedule } | undefined;
  const scheduleOf = (): Schedule => {
    const epoch = ctx.log.state.created?.scenarioEpochMs ?? 0;
    if (!schedule || schedule.epoch !== epoch) schedule = { epoch, s: buildSchedule(ctx.plan, epoch) };
    return schedule.s;
  };

  r.get('/exercise/msel', guard('scoreboard:staff'), (_req, res) => {
    ctx.log.catchUp();
    const state = ctx.log.state;
    res.json(mselView(ctx.plan, state.teams, scheduleOf(), ctx.log.scenarioNow(), state.clock.status));
  });

  const teamParam = (req: Request) => String(req.params.team);
  r.post('/teams/:team/overrides', guard('exercise:control'), (req, res) => {
    const team = teamParam(req);
    requireTeam(ctx, team);
    const body = parseOr422(overrideBody, req.body, 'body');
    const expectation = ctx.plan.injects
      .flatMap((i) => i.expectations)
      .find((x) => x.id === body.expectation);
    if (!expectation)
      throw new ApiError('validation_failed', `no expectation "${body.expectation}"`, 'body.expectation');
    if (body.points > expectation.points)
      throw new ApiError(
        'validation_failed',
        `${expectation.id} is worth at most ${expectation.points} points`,
        'body.points',
      );
    const event = {
      type: 'expectation.overridden',
      team,
      payload: { ...body, by: principalOf(res).label },
    } as unknown as EngineEvent;
    const [written] = ctx.write([event]);
    res.status(201).json({ seq: written?.seq, team, ...body });
  });
};
