/**
 * Random mutations of valid scenarios never crash or hang the loader, and whatever it reports has
 * a place. Two kinds of mutation: structural (edit the YAML tree: drop, replace, duplicate, add)
 * and textual (delete or insert characters anywhere, which mostly breaks the syntax).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { isMap, isScalar, isSeq, type Node, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { compile } from '../../src/compiler/compile';
import type { LoadResult } from '../../src/scenario/load';
import { fixtureText, loadText, SCENARIOS } from './support/load';

const BASES = [fixtureText('minimal.yaml'), readFileSync(join(SCENARIOS, 'quickstart.yaml'), 'utf8')];
// Thousands of mutations in all, within a few seconds on a shared two-core machine.
const RUNS = 1000;
// About 5 s of CPU each; the timeout leaves room for a machine shared with other jobs.
const TIMEOUT_MS = 90_000;

/** Collections of a parsed document in a stable order, so an index picks one deterministically. */
function collections(node: unknown, out: (YAMLMap | YAMLSeq)[] = []): (YAMLMap | YAMLSeq)[] {
  if (isMap(node)) {
    out.push(node);
    for (const p of node.items) collections(p.value, out);
  } else if (isSeq(node)) {
    out.push(node);
    for (const item of node.items) collections(item, out);
  }
  return out;
}

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 100000 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    // Parameter references, written so they are not mistaken for template strings.
    '$' + '{level}',
    '$' + '{nope}',
    'pc-01',
    'staff',
    '+99h',
    '10.1.2.0/24',
    'zone:staff',
    '*',
    '{n}',
    'T1566.001',
    '$${x}',
  ),
  fc.constant([]),
  fc.constant({}),
  fc.constant({ id: 'x' }),
);

const edit = fc.record({
  target: fc.nat(),
  index: fc.nat(),
  kind: fc.constantFrom('delete', 'replace', 'duplicate', 'add-key', 'empty'),
  value: junk,
  key: fc.constantFrom(
    'id',
    'name',
    'when',
    'count',
    'segment',
    'host',
    'trigger',
    'extra',
    'include',
    'after',
    'cidr',
  ),
});

interface Edit {
  target: number;
  index: number;
  kind: string;
  value: unknown;
  key: string;
}

function mutate(text: string, edits: Edit[]): string {
  const doc = parseDocument(text);
  for (const e of edits) {
    const all = collections(doc.contents);
    const c = all[e.target % all.length]!;
    if (c.items.length === 0) continue;
    const i = e.index % c.items.length;
    const node = doc.createNode(e.value) as Node;
    switch (e.kind) {
      case 'delete':
        c.items.splice(i, 1);
        break;
      case 'replace':
        if (isMap(c)) c.items[i]!.value = node;
        else (c as YAMLSeq).items[i] = node;
        break;
      case 'duplicate':
        c.items.push(c.items[i] as never);
        break;
      case 'add-key':
        if (isMap(c) && !c.items.some((p) => isScalar(p.key) && p.key.value === e.key)) c.set(e.key, node);
        break;
      case 'empty':
        if (isMap(c)) c.items[i]!.value = null;
        break;
    }
  }
  return doc.toString();
}

function checkResult(r: LoadResult): void {
  if (r.scenario) {
    expect(r.diagnostics).toEqual([]);
    // A scenario the loader accepts must compile.
    compile(r.scenario, { parameters: r.parameters });
    return;
  }
  expect(r.diagnostics.length).toBeGreaterThan(0);
  for (const d of r.diagnostics) {
    expect(typeof d.file).toBe('string');
    expect(Number.isInteger(d.line) && d.line >= 1).toBe(true);
    expect(Number.isInteger(d.col) && d.col >= 1).toBe(true);
    expect(d.message).not.toMatch(/undefined|\[object Object\]/);
  }
}

test(
  'structural mutations never crash the loader and every diagnostic has a place',
  () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BASES),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (base, edits) => {
          checkResult(loadText(mutate(base, edits)));
        },
      ),
      { numRuns: RUNS, seed: 20261126 },
    );
  },
  TIMEOUT_MS,
);

test(
  'textual mutations never crash the loader and every diagnostic has a place',
  () => {
    const base = BASES[0]!;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.nat({ max: base.length }),
            remove: fc.nat({ max: 8 }),
            insert: fc.string({ maxLength: 4 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        (cuts) => {
          let text = base;
          for (const c of cuts) {
            const at = Math.min(c.at, text.length);
            text = text.slice(0, at) + c.insert + text.slice(at + c.remove);
          }
          checkResult(loadText(text));
        },
      ),
      { numRuns: RUNS, seed: 1126 },
    );
  },
  TIMEOUT_MS,
);

test(
  'mutated `--set` and `--teams` never crash the loader',
  () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('level', 'levle', 'x'),
          fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean()),
        ),
        fc.integer({ min: 1, max: 100 }),
        (set, teams) => {
          checkResult(loadText(BASES[0]!, {}, { set, teams }));
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  },
  TIMEOUT_MS,
);
