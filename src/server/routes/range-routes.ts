/**
 * Range health for the white cell: every live host's state per team, the simulated side's counts
 * and the engine's connection (`GET /api/range/health`, staff only); and the controller's restore
 * of one live host from its image, through the same lifecycle `up` uses. A restore is recorded
 * in the log as `range.host.restored` with who asked and what came of it.
 */
import { z } from 'zod';
import type { EngineEvent } from '../../engine/events/event-types';
import type { HostRestoreResult } from '../../wire/range-health';
import { ApiError, parseOr422 } from '../http/api-error';
import { guard, principalOf } from '../http/authenticate';
import { rangeHealthView } from '../live/range-health-view';
import { type RouteGroup, requireTeam } from './route-context';

const hostParams = z.object({
  team: z.string().min(1).max(64),
  host: z.string().min(1).max(128),
});

export const rangeRoutes: RouteGroup = (r, ctx) => {
  const restoring = new Set<string>();

  r.get('/range/health', guard('scoreboard:staff'), (_req, res) => {
    ctx.log.catchUp();
    res.json(rangeHealthView(ctx.plan, (t) => ctx.log.eventsOf(t), ctx.rangeHealth?.snapshot()));
  });

  r.post('/range/hosts/:team/:host/restore', guard('exercise:control'), async (req, res) => {
    const { team, host } = parseOr422(hostParams, req.params, 'params');
    requireTeam(ctx, team);
    const source = ctx.rangeHealth;
    if (!source)
      throw new ApiError('conflict', 'this server has no live range — start it with `serve --live`');
    const planned = ctx.plan.teams.find((t) => t.id === team)?.hosts.find((h) => h.name === host);
    if (planned?.fidelity !== 'live')
      throw new ApiError('not_found', `team ${team} has no live host "${host}"`, 'params.host');
    const engine = source.snapshot().engine;
    if (engine.state !== 'connected')
      throw new ApiError(
        'unavailable',
        `the Docker engine is unreachable since ${new Date(engine.since).toISOString()} — retry once it is back`,
      );
    const key = `${team}/${host}`;
    if (restoring.has(key)) throw new ApiError('conflict', `${key} is being restored already — wait for it`);
    restoring.add(key);
    try {
      const result = await source.restore(team, host);
      const by = principalOf(res).label;
      ctx.write([
        {
          type: 'range.host.restored',
          team,
          payload: { host, by, ok: result.ok, detail: result.detail },
        } as unknown as EngineEvent,
      ]);
      const body: HostRestoreResult = { team, host, ok: result.ok, detail: result.detail };
      res.json(body);
    } finally {
      restoring.delete(key);
    }
  });
};
