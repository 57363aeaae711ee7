/**
 * Room names, built in one place: exercise → team → role, plus one room per scoreboard audience
 * and one per login (so revoking a login can disconnect its sockets).
 */
import type { Role } from '../../wire/roles';

export const rooms = {
  exercise: (session: string) => `x:${session}`,
  role: (session: string, role: Role) => `x:${session}:role:${role}`,
  team: (session: string, team: string) => `x:${session}:team:${team}`,
  teamRole: (session: string, team: string, role: Role) => `x:${session}:team:${team}:role:${role}`,
  board: (session: string, audience: 'staff' | 'public') => `x:${session}:board:${audience}`,
  login: (loginId: string) => `login:${loginId}`,
};
