/**
 * Authorisation, in one place. Every REST route and every socket event asks `can(principal,
 * permission, team)`; nothing else decides who sees what.
 */
import { isStaff, type Role } from '../../wire/roles';

export interface Principal {
  role: Role;
  team?: string;
  session: string;
  label: string;
  /** Id of the login session (for logout and revocation). */
  loginId: string;
}

export type Permission =
  /** Read a team's inbox, reports, events and score breakdown. */
  | 'team:read'
  /** Submit reports (and, later, actions) as a team. */
  | 'team:write'
  /** Grade manual expectations. */
  | 'team:grade'
  /** The full (staff) scoreboard. */
  | 'scoreboard:staff'
  /** The public scoreboard. */
  | 'scoreboard:public'
  /** Create, list and revoke join links. */
  | 'links:manage'
  /** Run the exercise: clock, manual injects, scoreboard freeze. */
  | 'exercise:control';

const GRANTS: Record<Role, readonly Permission[]> = {
  controller: [
    'team:read',
    'team:grade',
    'scoreboard:staff',
    'scoreboard:public',
    'links:manage',
    'exercise:control',
  ],
  evaluator: ['team:read', 'team:grade', 'scoreboard:staff', 'scoreboard:public'],
  team: ['team:read', 'team:write', 'scoreboard:public'],
  spectator: ['scoreboard:public'],
};

/**
 * Whether `p` may do `permission` (on `team`, for team-scoped permissions). A team member acts on
 * their own team only; the white cell reads every team but never writes as a team.
 */
export function can(p: Principal, permission: Permission, team?: string): boolean {
  if (!GRANTS[p.role].includes(permission)) return false;
  if (p.role === 'team' && permission.startsWith('team:')) return team !== undefined && team === p.team;
  return true;
}

/** The scoreboard audience a principal belongs to. */
export function audienceOf(p: Principal): 'staff' | 'public' {
  return isStaff(p.role) ? 'staff' : 'public';
}
