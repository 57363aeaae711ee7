/**
 * A team's SOC/IDS alerts: the `alert.raised` events the scenario's detection rules wrote for
 * it, newest last, filterable by rule, severity and sequence. Pushed live as `alert:raised`.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { alertsOf } from '../../alerts/alert-events';
import { parseOr422 } from '../http/api-error';
import { guard } from '../http/authenticate';
import { type RouteGroup, requireTeam } from './route-context';

const teamParam = (req: Request) => String(req.params.team);
const alertsQuery = z
  .object({
    after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    severity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
    rule: z.string().max(64).optional(),
  })
  .strict();

export const alertRoutes: RouteGroup = (r, ctx) => {
  r.get('/teams/:team/alerts', guard('team:read', teamParam), (req, res) => {
    const team = teamParam(req);
    requireTeam(ctx, team);
    const q = parseOr422(alertsQuery, req.query, 'query');
    const alerts = alertsOf(ctx.log.eventsOf(team))
      .filter(
        (a) =>
          a.seq > q.after && (!q.severity || a.severity === q.severity) && (!q.rule || a.rule === q.rule),
      )
      .slice(0, q.limit);
    res.json({ alerts });
  });
};
