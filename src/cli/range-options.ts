/** Flag parsers shared by the live range verbs (`up`, `down`, `status`). */
import { InvalidArgumentError } from 'commander';

export function parseConcurrency(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 32) {
    throw new InvalidArgumentError('concurrency must be a whole number from 1 to 32');
  }
  return Number(text);
}
