/**
 * `include:` merges scenario fragments into the main file at the YAML-node level, so every node
 * keeps its own file and position. Lists are concatenated (the including file's items first);
 * maps are merged key by key; the same scalar set in two files is an error, not a silent override.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../common/diagnostic';
import { parseSource, positionOf, type ReadFile, type SourceFile } from './source';

const MAX_INCLUDE_DEPTH = 8;

export function resolveIncludes(
  root: SourceFile,
  read: ReadFile,
  resolvePath: (from: string, rel: string) => string,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  expand(root, [root.path], read, resolvePath, diagnostics);
  return diagnostics;
}

function expand(
  source: SourceFile,
  chain: string[],
  read: ReadFile,
  resolvePath: (from: string, rel: string) => string,
  out: Diagnostic[],
): void {
  const top = source.doc.contents;
  if (!isMap(top)) return;
  const includePair = top.items.find((p) => isScalar(p.key) && p.key.value === 'include');
  if (!includePair || !isSeq(includePair.value)) return;
  for (const item of includePair.value.items) {
    if (!isScalar(item) || typeof item.value !== 'string') continue;
    const where = positionOf(item as Node, source);
    const target = resolvePath(source.path, item.value);
    if (chain.includes(target) || chain.length > MAX_INCLUDE_DEPTH) {
      out.push({
        ...where,
        message: `include cycle: ${[...chain, target].join(' → ')}`,
        hint: 'remove one of these includes',
      });
      continue;
    }
    let text: string;
    try {
      text = read(target);
    } catch {
      out.push({
        ...where,
        message: `cannot read included file \`${item.value}\``,
        hint: 'paths are relative to the including file',
      });
      continue;
    }
    const { source: fragment, diagnostics } = parseSource(target, text);
    out.push(...diagnostics);
    if (diagnostics.length > 0) continue;
    expand(fragment, [...chain, target], read, resolvePath, out);
    if (!isMap(fragment.doc.contents)) {
      out.push({
        ...positionOf(null, fragment),
        message: 'an included file must be a map of scenario sections',
      });
      continue;
    }
    mergeMaps(top, fragment.doc.contents, source, out);
  }
}

function mergeMaps(into: YAMLMap, from: YAMLMap, source: SourceFile, out: Diagnostic[]): void {
  for (const pair of from.items) {
    if (!isScalar(pair.key)) continue;
    const name = String(pair.key.value);
    if (name === 'include' || name === '$schema') continue;
    const existing = into.items.find((p) => isScalar(p.key) && String(p.key.value) === name);
    if (!existing) {
      into.items.push(pair);
    } else if (isSeq(existing.value) && isSeq(pair.value)) {
      existing.value.items.push(...pair.value.items);
    } else if (isMap(existing.value) && isMap(pair.value)) {
      mergeMaps(existing.value, pair.value, source, out);
    } else {
      const there = positionOf(existing.key as Node, source);
      out.push({
        ...positionOf(pair.key as Node, source),
        message: `\`${name}\` is also set at ${there.file}:${there.line}:${there.col}`,
        hint: 'set it in one file only',
      });
    }
  }
}
