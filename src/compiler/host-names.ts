/**
 * Host name patterns: `pc-pol-{n}` or `pc-pol-{n:04}` (zero-padded to four digits) expand a
 * host group into `count` names, numbered from 1.
 */
const PLACEHOLDER = /\{n(?::(\d+))?\}/;

export function isPattern(name: string): boolean {
  return PLACEHOLDER.test(name);
}

export function expandName(pattern: string, index: number): string {
  return pattern.replace(PLACEHOLDER, (_m, width: string | undefined) =>
    width ? String(index).padStart(Number(width), '0') : String(index),
  );
}

/** All names of a host entry: the name itself for a single host, the expanded pattern for a group. */
export function expandNames(entry: { name: string; count?: number }): string[] {
  if (entry.count === undefined) return [entry.name];
  const names = new Array<string>(entry.count);
  for (let i = 0; i < entry.count; i++) names[i] = expandName(entry.name, i + 1);
  return names;
}

/** Group id of an entry: explicit, or the name with the pattern removed (`pc-pol-{n:04}` → `pc-pol`). */
export function groupId(entry: { name: string; group?: string }): string {
  return entry.group ?? entry.name.replace(PLACEHOLDER, '').replace(/-+$/, '').replace(/^-+/, '');
}
