/**
 * Anonymous team names for spectators: `Team A`, `Team B`… assigned in an order derived from the
 * scenario seed and the team ids, so a name says nothing about a team's index or rank, and stays
 * the same for the whole session.
 */
import { hashString } from '../common/random';

function letters(n: number): string {
  let out = '';
  let rest = n;
  do {
    out = String.fromCharCode(65 + (rest % 26)) + out;
    rest = Math.floor(rest / 26) - 1;
  } while (rest >= 0);
  return out;
}

export function anonymousNames(teams: readonly string[], seed: number): Map<string, string> {
  const order = [...new Set(teams)].sort(
    (a, b) => hashString(`${seed}:${a}`) - hashString(`${seed}:${b}`) || a.localeCompare(b),
  );
  return new Map(order.map((team, i) => [team, `Team ${letters(i)}`]));
}
