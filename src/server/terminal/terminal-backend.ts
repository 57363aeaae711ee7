/**
 * What the server needs from the live range to give participants a shell: the team's live hosts
 * and a TTY exec into one of them. `dockerTerminalBackend` is the real one (the client layer's
 * TTY exec, route capabilities dropped except on the firewall); tests may pass their own.
 */
import type { Plan } from '../../compiler/plan';
import { resourceName } from '../../range/desired-state';
import type { Clients } from '../../range/docker/clients';

export interface ShellStream {
  onData(listener: (chunk: Buffer) => void): void;
  onExit(listener: (exitCode: number | undefined) => void): void;
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): Promise<void>;
  close(): void;
}

export interface TerminalBackend {
  /** Names of the team's live hosts (simulated hosts have no shell). */
  liveHosts(team: string): string[];
  /** Whether `host` exists in the team's copy at all (live or simulated), for a precise error. */
  knownHost(team: string, host: string): boolean;
  open(team: string, host: string, size: { cols: number; rows: number }): Promise<ShellStream>;
}

/** Hard cap on one shell's life inside the container (the Engine API cannot kill an exec). */
const MAX_SHELL_SECONDS = 12 * 3600;

export function dockerTerminalBackend(clients: Clients, exercise: string, plan: Plan): TerminalBackend {
  const hostOf = (team: string, host: string) =>
    plan.teams.find((t) => t.id === team)?.hosts.find((h) => h.name === host);
  return {
    liveHosts: (team) =>
      (plan.teams.find((t) => t.id === team)?.hosts ?? [])
        .filter((h) => h.fidelity === 'live')
        .map((h) => h.name),
    knownHost: (team, host) => hostOf(team, host) !== undefined,
    open: (team, host, size) => {
      const h = hostOf(team, host);
      if (h?.fidelity !== 'live') throw new Error(`${team}/${host} is not a live host`);
      return clients.tty.open(resourceName(exercise, team, host), {
        ...size,
        maxSeconds: MAX_SHELL_SECONDS,
        dropRouteCaps: h.role !== 'firewall',
      });
    },
  };
}
