/** Who a person is in an exercise. Shared by the server and the web client. */
export const ROLES = ['controller', 'evaluator', 'team', 'spectator'] as const;

export type Role = (typeof ROLES)[number];

/** Roles of the white cell: they read every team's data and the full scoreboard. */
export const STAFF_ROLES: readonly Role[] = ['controller', 'evaluator'];

export function isStaff(role: Role): boolean {
  return STAFF_ROLES.includes(role);
}
