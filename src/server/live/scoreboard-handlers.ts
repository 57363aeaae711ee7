/** Socket requests of the scoreboard area: the current board and a team's score. */
import { z } from 'zod';
import { audienceOf, can } from '../access/principal';
import { ApiError, parseOr422 } from '../http/api-error';
import type { SocketArea } from './socket-areas';

const boardRequest = z.union([z.undefined(), z.null(), z.object({}).strict()]);
const teamRequest = z.object({ team: z.string().min(1).max(64) }).strict();

export const scoreboardArea: SocketArea = (socket, ctx) => {
  ctx.request(socket, 'scoreboard:get', (payload) => {
    parseOr422(boardRequest, payload, 'payload');
    return ctx.keeper.board(audienceOf(socket.data.principal));
  });
  ctx.request(socket, 'team:score:get', (payload) => {
    const { team } = parseOr422(teamRequest, payload, 'payload');
    const p = socket.data.principal;
    if (!can(p, 'team:read', team)) throw new ApiError('forbidden', 'not your team', 'payload.team');
    const view = ctx.keeper.teamScore(team, audienceOf(p) === 'staff' ? 'staff' : 'team');
    if (!view) throw new ApiError('not_found', `no team "${team}"`, 'payload.team');
    return view;
  });
};
