import { InvalidArgumentError } from 'commander';

/** `--speed X` of `run` and `serve`: scenario seconds per wall second, checked before anything starts. */
export function parseSpeed(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 100_000)
    throw new InvalidArgumentError('speed is scenario seconds per wall second, from 0.001 to 100000');
  return n;
}
