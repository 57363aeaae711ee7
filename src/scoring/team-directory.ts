/**
 * Who and what exists in one team's range, so a report may name a host by short name, FQDN, alias
 * or address, and an account by user id, account name, `DOMAIN\account`, `account@domain` or
 * e-mail address, and still be recognised.
 */
import type { Plan } from '../compiler/plan';
import { refang } from './indicator';

export interface TeamDirectory {
  /** Canonical host name for anything naming a host of this team, if it does. */
  knownHost(raw: string): string | undefined;
  /** Canonical user id for anything naming an account, if it does. */
  knownUser(raw: string): string | undefined;
  /** The known host name, or else the name's first label in lowercase (so unknown names still compare). */
  host(raw: string): string;
  /** The known user id, or else the bare account name in lowercase. */
  user(raw: string): string;
  /** How many hosts the team's range has. */
  hostCount: number;
}

function hostKey(raw: string): string {
  return refang(raw).toLowerCase().replace(/\.$/, '');
}

function shortHost(raw: string): string {
  const key = hostKey(raw);
  return /^[\d.]+$/.test(key) ? key : key.split('.')[0]!;
}

function accountKey(raw: string): string {
  const text = refang(raw).toLowerCase();
  const bare = text.includes('\\') ? text.slice(text.lastIndexOf('\\') + 1) : text;
  return bare.replace(/@.*$/, '');
}

export function teamDirectory(plan: Plan, team: string): TeamDirectory {
  const hosts = new Map<string, string>();
  const teamPlan = plan.teams.find((t) => t.id === team);
  for (const h of teamPlan?.hosts ?? []) {
    for (const name of [h.name, h.fqdn, ...h.aliases, h.ip, ...h.interfaces.map((i) => i.ip)]) {
      if (name && !hosts.has(hostKey(name))) hosts.set(hostKey(name), h.name);
    }
  }
  const users = new Map<string, string>();
  for (const u of plan.users) {
    for (const name of [u.account, u.email, u.id]) {
      const key = accountKey(name);
      if (key && !users.has(key)) users.set(key, u.id);
    }
  }
  function knownHost(raw: string): string | undefined {
    const key = hostKey(raw);
    if (hosts.has(key)) return hosts.get(key);
    // An FQDN in a domain the plan does not spell out still names the host by its first label.
    return /^[\d.]+$/.test(key) ? undefined : hosts.get(key.split('.')[0]!);
  }
  function knownUser(raw: string): string | undefined {
    return users.get(accountKey(raw));
  }
  return {
    hostCount: teamPlan?.hosts.length ?? 0,
    knownHost,
    knownUser,
    host: (raw) => knownHost(raw) ?? shortHost(raw),
    user: (raw) => knownUser(raw) ?? accountKey(raw),
  };
}
