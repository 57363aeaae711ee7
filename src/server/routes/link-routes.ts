/**
 * Join links, managed by the controller: one per team and role (or for the white cell and
 * spectators). The token is shown once, at creation; the server keeps only its hash.
 */
import { z } from 'zod';
import { ROLES } from '../../wire/roles';
import type { CreatedJoinLink } from '../../wire/views';
import type { AccessStore } from '../access/access-store';
import { ApiError, parseOr422 } from '../http/api-error';
import { guard } from '../http/authenticate';
import type { RouteContext, RouteGroup } from './route-context';

const createBody = z
  .object({
    role: z.enum(ROLES),
    team: z.string().min(1).max(64).optional(),
    label: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[^\p{Cc}]*$/u, 'no control characters')
      .optional(),
    /** Hours the link stays valid (default: the server's link lifetime). */
    ttlHours: z
      .number()
      .positive()
      .max(24 * 30)
      .optional(),
  })
  .strict();

const linkId = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/) });

export function joinUrl(baseUrl: string, token: string): string {
  // The token travels in the fragment: browsers never send it to a server or put it in logs.
  return `${baseUrl}/join#${token}`;
}

/** Creates a link (used by the routes and by `cyrange serve` at start-up). */
export function createJoinLink(
  ctx: Pick<RouteContext, 'session' | 'plan' | 'config' | 'baseUrl'> & { access: AccessStore },
  input: z.output<typeof createBody>,
): CreatedJoinLink {
  if (input.role === 'team') {
    if (!input.team) throw new ApiError('validation_failed', 'a team link needs `team`', 'body.team');
    if (!ctx.plan.teams.some((t) => t.id === input.team)) {
      throw new ApiError('validation_failed', `no team "${input.team}" in this exercise`, 'body.team');
    }
  } else if (input.team !== undefined) {
    throw new ApiError(
      'validation_failed',
      `a ${input.role} link is not for one team — drop \`team\``,
      'body.team',
    );
  }
  const { link, token } = ctx.access.createLink({
    session: ctx.session,
    role: input.role,
    ...(input.team ? { team: input.team } : {}),
    label: input.label ?? input.team ?? input.role,
    ttlMs: input.ttlHours !== undefined ? input.ttlHours * 3600_000 : ctx.config.linkTtlMs,
  });
  return { ...link, token, url: joinUrl(ctx.baseUrl(), token) };
}

export const linkRoutes: RouteGroup = (r, ctx) => {
  r.get('/links', guard('links:manage'), (_req, res) => {
    res.json({ links: ctx.access.listLinks(ctx.session) });
  });

  r.post('/links', guard('links:manage'), (req, res) => {
    const input = parseOr422(createBody, req.body, 'body');
    res.status(201).json(createJoinLink(ctx, input));
  });

  r.delete('/links/:id', guard('links:manage'), (req, res) => {
    const { id } = parseOr422(linkId, req.params, 'params');
    const logins = ctx.access.revokeLink(ctx.session, id);
    if (!logins) throw new ApiError('not_found', `no join link ${id}`, 'params.id');
    for (const login of logins) ctx.disconnectLogin(login);
    res.status(204).end();
  });
};
