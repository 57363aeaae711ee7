/**
 * Team scoping of response actions, in the action layer (the route checks the caller's team
 * too): an action names a host or an account of the acting team's own copy of the range. Host
 * names are the same in every team, so a name resolves within the team; an address resolves only
 * to the team's own host — another team's address is refused, never acted on.
 */
import type { HostPlan, Plan, TeamPlan } from '../compiler/plan';
import type { ActionInput } from '../wire/actions';

export class ActionRefused extends Error {
  constructor(
    readonly code: 'not_found' | 'forbidden' | 'validation_failed' | 'conflict',
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ActionRefused';
  }
}

export function teamPlanOf(plan: Plan, team: string): TeamPlan {
  const tp = plan.teams.find((t) => t.id === team);
  if (!tp) throw new ActionRefused('not_found', `no team "${team}"`);
  return tp;
}

/** The team's host a name, FQDN or address means. */
export function resolveHost(plan: Plan, team: string, ref: string): HostPlan {
  const tp = teamPlanOf(plan, team);
  const r = ref.toLowerCase();
  const own = tp.hosts.find(
    (h) =>
      h.name.toLowerCase() === r ||
      h.fqdn.toLowerCase() === r ||
      h.ip === r ||
      h.interfaces.some((i) => i.ip === r),
  );
  if (own) return own;
  const elsewhere = plan.teams.some(
    (t) => t.id !== team && t.hosts.some((h) => h.ip === r || h.fqdn.toLowerCase() === r),
  );
  if (elsewhere) {
    throw new ActionRefused(
      'forbidden',
      `${ref} is not a host of team ${team} — act on your own range only`,
      'body.host',
    );
  }
  throw new ActionRefused(
    'not_found',
    `team ${team} has no host "${ref}" — check the host inventory`,
    'body.host',
  );
}

/** The account, when the organisation has it (by account name, id or e-mail). */
export function resolveAccount(plan: Plan, ref: string): string {
  const r = ref.toLowerCase();
  const u = plan.users.find(
    (x) => x.account.toLowerCase() === r || x.id.toLowerCase() === r || x.email.toLowerCase() === r,
  );
  if (!u) throw new ActionRefused('not_found', `no account "${ref}" in the organisation`, 'body.account');
  return u.account;
}

/** The input with its host and account resolved to the team's canonical names. */
export function resolveTargets(plan: Plan, team: string, input: ActionInput): ActionInput {
  teamPlanOf(plan, team);
  if ('host' in input) return { ...input, host: resolveHost(plan, team, input.host).name };
  if ('account' in input) return { ...input, account: resolveAccount(plan, input.account) };
  return input;
}

/** The team's host with a role (its proxy, its firewall), if any. */
export function hostWithRole(plan: Plan, team: string, role: string): HostPlan | undefined {
  return teamPlanOf(plan, team).hosts.find((h) => h.role === role);
}
