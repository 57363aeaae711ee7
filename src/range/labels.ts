/**
 * Ownership labels stamped on every container, network and volume the range creates. Cleanup, status and
 * reconcile find resources by these labels only, so they work after the orchestrator was killed.
 */
export const LABEL = {
  exercise: 'cyrange.exercise',
  team: 'cyrange.team',
  host: 'cyrange.host',
  role: 'cyrange.role',
  /** For networks: the segment id. */
  segment: 'cyrange.segment',
  /** Hash of everything that shapes the resource; a different hash means "recreate". */
  configHash: 'cyrange.config-hash',
  /** Hash of an image's build inputs. */
  inputsHash: 'cyrange.inputs-hash',
  /** On Swarm services and overlay networks: `swarm` (the docker backend's resources carry none). */
  backend: 'cyrange.backend',
} as const;

/** Prefix of every range bridge interface on the engine's host; the host guard drops input from `cr-+`. */
export const BRIDGE_PREFIX = 'cr-';

/** Image repository names. */
export const IMAGE_REPO = 'cyrange';

export function exerciseFilter(exercise: string | 'all'): { label: string[] } {
  return { label: [exercise === 'all' ? LABEL.exercise : `${LABEL.exercise}=${exercise}`] };
}
