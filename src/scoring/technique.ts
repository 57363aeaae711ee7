/**
 * ATT&CK technique ids as teams write them (`t1566.001`, `T1566/001`, `T1566.001 Spearphishing
 * Attachment`). A parent technique and its sub-techniques name the same behaviour for scoring:
 * `T1566` matches an expected `T1566.001` and the other way round; two different sub-techniques
 * of one parent do not match each other.
 */

const TECHNIQUE = /\b(T\d{4})(?:[./](\d{3}))?\b/i;

export interface Technique {
  id: string;
  parent: string;
  sub?: string;
}

export function parseTechnique(raw: string): Technique | undefined {
  const m = TECHNIQUE.exec(raw.trim());
  if (!m) return undefined;
  const parent = m[1]!.toUpperCase();
  return m[2] ? { id: `${parent}.${m[2]}`, parent, sub: m[2] } : { id: parent, parent };
}

export function techniqueMatches(expected: Technique, reported: Technique): boolean {
  if (expected.parent !== reported.parent) return false;
  return expected.sub === undefined || reported.sub === undefined || expected.sub === reported.sub;
}
