/**
 * Response actions. A team member acts on their own team's range only (`guard` answers 404 for
 * any other team, and the action layer refuses hosts that are not the team's); the white cell
 * reads every team's actions, and the controller undoes one with a reason. Each answer comes
 * after the action's `team.action` event is durable in the log.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { ActionRefused } from '../../response/action-targets';
import { ResponseActions } from '../../response/response-actions';
import { actionInputSchema, undoInputSchema } from '../../wire/actions';
import { ApiError, parseOr422 } from '../http/api-error';
import { guard, principalOf } from '../http/authenticate';
import { type RouteGroup, requireTeam } from './route-context';

const teamParam = (req: Request) => String(req.params.team);
const idParam = z.object({
  team: z.string(),
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

async function refusalsAsApiErrors<T>(job: () => Promise<T>): Promise<T> {
  try {
    return await job();
  } catch (e) {
    if (e instanceof ActionRefused) throw new ApiError(e.code, e.message, e.field);
    throw e;
  }
}

export const actionRoutes: RouteGroup = (r, ctx) => {
  const actions = new ResponseActions({
    plan: ctx.plan,
    session: ctx.session,
    write: ctx.write,
    events: (team) => {
      ctx.log.catchUp();
      return ctx.log.eventsOf(team);
    },
    ...(ctx.liveRange ? { driver: ctx.liveRange.driver } : {}),
    ...(ctx.liveRange?.restore ? { restore: ctx.liveRange.restore } : {}),
  });

  r.get('/teams/:team/actions', guard('team:read', teamParam), (req, res) => {
    requireTeam(ctx, teamParam(req));
    res.json({ actions: actions.list(teamParam(req)) });
  });

  r.post('/teams/:team/actions', guard('team:write', teamParam), (req, res, next) => {
    const team = teamParam(req);
    requireTeam(ctx, team);
    const input = parseOr422(actionInputSchema, req.body, 'body');
    refusalsAsApiErrors(() => actions.act(team, principalOf(res).label, input))
      .then((action) => res.status(201).json({ action }))
      .catch(next);
  });

  r.post('/teams/:team/actions/:id/undo', guard('exercise:control'), (req, res, next) => {
    const team = teamParam(req);
    requireTeam(ctx, team);
    const { id } = parseOr422(idParam, req.params, 'params');
    const { reason } = parseOr422(undoInputSchema, req.body, 'body');
    refusalsAsApiErrors(() => actions.undo(team, id, principalOf(res).label, reason))
      .then((action) => res.json({ action }))
      .catch(next);
  });
};
