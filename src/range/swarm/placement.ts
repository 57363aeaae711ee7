import type { SwarmNode } from '../docker/clients';

/** Node label naming the slot a node serves; teams are spread over the slots round-robin. */
export const TEAM_SLOT_LABEL = 'cyrange.team-slot';

/**
 * Placement constraints per team: with nodes labelled `cyrange.team-slot=<slot>`, team i runs on the
 * nodes of slot i mod (number of slots), so a team's range stays on one node (its overlay traffic
 * stays local) and teams spread across nodes. Without labelled nodes, no constraint (any node). Pure.
 */
export function teamPlacement(teams: string[], nodes: SwarmNode[]): Map<string, string[]> {
  const slots = [
    ...new Set(nodes.map((n) => n.labels[TEAM_SLOT_LABEL]).filter((s): s is string => !!s)),
  ].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const placement = new Map<string, string[]>();
  [...teams].sort().forEach((team, index) => {
    placement.set(
      team,
      slots.length ? [`node.labels.${TEAM_SLOT_LABEL}==${slots[index % slots.length]}`] : [],
    );
  });
  return placement;
}
