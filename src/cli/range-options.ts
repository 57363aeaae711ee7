/** Flag parsers shared by the live range verbs (`up`, `down`, `status`). */
import { InvalidArgumentError } from 'commander';

export function parseConcurrency(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 32) {
    throw new InvalidArgumentError('concurrency must be a whole number from 1 to 32');
  }
  return Number(text);
}

/** `--exercise ID`: prefixes container names, so only lowercase letters, digits and dashes. */
export function parseExerciseId(text: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(text)) {
    throw new InvalidArgumentError('an exercise id uses lowercase letters, digits and dashes (at most 31)');
  }
  return text;
}

/** `--backend docker|swarm`: containers on this engine (default), or services on the swarm it manages. */
export type Backend = 'docker' | 'swarm';

export function parseBackend(text: string): Backend {
  if (text !== 'docker' && text !== 'swarm') throw new InvalidArgumentError('backend is `docker` or `swarm`');
  return text;
}
