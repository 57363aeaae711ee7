/**
 * The range health the white cell sees: the live side from the range health monitor (when the
 * server runs a live range), joined with what only the plan and the log know — each team's
 * simulated hosts and the hosts it has isolated and not released.
 */
import type { Plan } from '../../compiler/plan';
import type { StoredEvent } from '../../engine/events/event-types';
import { foldResponseEffects } from '../../engine/simulation/response-effects';
import type { RangeHealthSnapshot } from '../../range/health/health-source';
import type { RangeHealthView, TeamHealth } from '../../wire/range-health';

export function rangeHealthView(
  plan: Plan,
  eventsOf: (team: string) => readonly StoredEvent[],
  live: RangeHealthSnapshot | undefined,
): RangeHealthView {
  const teams: TeamHealth[] = plan.teams.map((team) => {
    const hosts = live?.hosts.filter((h) => h.team === team.id) ?? [];
    // The fold's spans are in unix ms; only "still open" matters here, so the epoch is irrelevant.
    const isolated = foldResponseEffects(eventsOf(team.id), team.id, 0).isolated;
    const open = [...isolated.values()].filter((spans) => spans.some((s) => s.to === Infinity)).length;
    return {
      team: team.id,
      hosts,
      live: team.hosts.filter((h) => h.fidelity === 'live').length,
      up: hosts.filter((h) => h.state === 'running').length,
      simulated: team.hosts.filter((h) => h.fidelity !== 'live').length,
      isolated: open,
    };
  });
  return {
    exercise: live?.exercise ?? null,
    checkedAt: live?.checkedAt ?? 0,
    engine: live?.engine ?? {
      state: 'none',
      where: '',
      since: 0,
      detail: 'no live range: this server runs the simulation only (serve --live acts on containers)',
      outages: 0,
    },
    teams,
    ...(live?.reconciled ? { reconciled: live.reconciled } : {}),
  };
}
