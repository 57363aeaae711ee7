import type { Plan } from '../../compiler/plan';
import type { Clients } from '../docker/clients';
import { LABEL } from '../labels';
import { RangeFailure } from '../range-error';

/** One live host of a running range, as the engine labels it. */
export interface LiveHost {
  team: string;
  host: string;
  role: string;
  /** Container name `<exercise>-<team>-<host>`. */
  container: string;
  running: boolean;
}

/**
 * The live hosts of one exercise, found by label (the same labels `cyrange up` stamps), and what
 * the plan says about egress. Listed once at connect time; `refresh()` lists again.
 */
export class RangeHosts {
  private hosts = new Map<string, LiveHost>();

  private constructor(
    private readonly clients: Clients,
    readonly exercise: string,
    readonly plan: Plan,
  ) {}

  /** Lists the exercise's containers; fails with the fix when none runs. */
  static async connect(clients: Clients, exercise: string, plan: Plan): Promise<RangeHosts> {
    const hosts = new RangeHosts(clients, exercise, plan);
    await hosts.refresh();
    const missing = hosts.missing();
    if (missing.length > 0) {
      const shown =
        missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
      throw new RangeFailure(
        `${missing.length} live host${missing.length === 1 ? '' : 's'} of exercise \`${exercise}\` not running on the engine (${shown})`,
        'run `cyrange up FILE` first (with the same --exercise and --teams)',
      );
    }
    return hosts;
  }

  async refresh(): Promise<void> {
    const listed = await this.clients.containers.list({ label: [`${LABEL.exercise}=${this.exercise}`] });
    const next = new Map<string, LiveHost>();
    for (const c of listed) {
      const team = c.Labels?.[LABEL.team];
      const host = c.Labels?.[LABEL.host];
      if (!team || !host) continue;
      next.set(`${team}/${host}`, {
        team,
        host,
        role: c.Labels?.[LABEL.role] ?? '',
        container: (c.Names?.[0] ?? '').replace(/^\//, ''),
        running: c.State === 'running',
      });
    }
    this.hosts = next;
  }

  /** Container names of the plan's live hosts that are not running (or do not exist). */
  missing(): string[] {
    const out: string[] = [];
    for (const team of this.plan.teams) {
      for (const h of team.hosts) {
        if (h.fidelity !== 'live') continue;
        if (!this.hosts.get(`${team.id}/${h.name}`)?.running)
          out.push(`${this.exercise}-${team.id}-${h.name}`);
      }
    }
    return out;
  }

  all(): LiveHost[] {
    return [...this.hosts.values()];
  }

  /** The running container of a team's host, or a failure naming the fix. */
  get(team: string, host: string): LiveHost {
    const found = this.hosts.get(`${team}/${host}`);
    if (!found) {
      throw new RangeFailure(
        `no live host ${host} of team ${team} in exercise \`${this.exercise}\``,
        'run `cyrange up FILE` first, or check that the host is live in the scenario',
      );
    }
    if (!found.running) {
      throw new RangeFailure(
        `live host ${found.container} is not running`,
        'run `cyrange up FILE` again to restart it',
      );
    }
    return found;
  }

  /** The team's live mail server. */
  mailHost(team: string): LiveHost {
    const found = this.all().find((h) => h.team === team && h.role === 'mail');
    if (!found) {
      throw new RangeFailure(
        `team ${team} of exercise \`${this.exercise}\` has no live mail host`,
        'make a host with role `mail` live in the scenario and run `cyrange up FILE`',
      );
    }
    return this.get(team, found.host);
  }

  /** The account a command runs as: a scenario person id becomes that person's account. */
  accountOf(user: string): string {
    return this.plan.users.find((u) => u.id === user)?.account ?? user;
  }

  /**
   * The address a mail inject's `to` (a person id, an account or an address) is delivered to, and
   * the account whose Maildir receives it.
   */
  recipient(to: string): { address: string; account: string | undefined } {
    const lower = to.toLowerCase();
    const user = this.plan.users.find(
      (u) => u.id === to || u.account.toLowerCase() === lower || u.email.toLowerCase() === lower,
    );
    const address = user?.email ?? to;
    const local = (user?.account ?? address.split('@')[0] ?? '').toLowerCase();
    return { address, account: /^[a-z_][a-z0-9_.-]{0,31}$/.test(local) ? local : undefined };
  }

  /** `http://<proxy ip>:<port>` of the team's egress proxy, when the scenario names one. */
  proxyUrl(team: string): string | undefined {
    const egress = this.plan.network.egress;
    if (!egress) return undefined;
    const proxy = this.plan.teams.find((t) => t.id === team)?.hosts.find((h) => h.name === egress.proxy);
    return proxy ? `http://${proxy.ip}:${egress.port}` : undefined;
  }
}
