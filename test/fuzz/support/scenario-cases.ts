/**
 * Hostile scenario sources for the loader fuzzer. Where test/scenario/mutations.property.test.ts
 * edits the YAML tree of valid scenarios at random, these target what makes a loader hang or
 * crash: alias bombs, deep nesting, huge and special numbers, very long lines, YAML tags and
 * directives, cron expressions that never match, include cycles and chains, absurd counts, and
 * hostile `--set` / `--teams` options — spliced into valid scenarios at the keys they concern.
 */
import fc from 'fast-check';
import type { LoadOptions } from '../../../src/scenario/load';

export interface LoaderCase {
  what: string;
  text: string;
  /** Other files, by path relative to the main file's folder. */
  files: Record<string, string>;
  options: LoadOptions;
}

/** Values to put at a key, as YAML text (flow style, so they fit on the key's line). */
const AT_KEY: Record<string, string[]> = {
  count: [
    '100000',
    '99999',
    '1e309',
    '-1',
    '0',
    '99999999999999999999',
    '.inf',
    '.nan',
    '0x7fffffff',
    '1.5',
    '"59"',
  ],
  headcount: ['100000', '1e309', '-5', '.nan'],
  cidr: ['0.0.0.0/0', '10.0.0.0/8', '10.1.2.0/33', '999.1.1.1/24', '::/0', '10.1.2.0/-1', '"10.1.2.0/24 "'],
  teamStride: ['0', '65536', '4294967296', '1e309', '-16', '1.5'],
  duration: ['999999999h', '0s', '-1m', '1e309s', '30m30m', '8760h', '100000d'],
  start: ['"25:61"', '"99:99"', '"-1:00"', '"10:00:00:00"'],
  compression: ['0', '1e309', '-1', '.nan', '1e-300', '100000000'],
  seed: ['1e309', '-1', '18446744073709551617', '.nan'],
  at: ['+999999h', '+0s', '-1m', '+1e309s', '+2h', '"+2m"'],
  delay: ['999999h', '0s', '-1m', '1e309s'],
  every: ['0s', '1ms', '1s', '-1s', '0.000001s'],
  interval: ['0s', '1ms', '1s', '-1s', '1e309s'],
  cron: [
    '"0 0 30 2 *"',
    '"0 0 31 4 *"',
    '"0 0 29 2 1"',
    '"* * * * *"',
    '"*/0 * * * *"',
    '"60 * * * *"',
    '"0 0 0 * *"',
    '"@yearly"',
    '"* * * * * * *"',
    '"1-59/0 * * * *"',
    '"0 0 1 1 * 2099"',
  ],
  timeout: ['0s', '999999h', '-1s', '1e309s'],
  port: ['0', '65536', '-1', '1e309', '"3128"'],
  ports: ['[0]', '[65536]', '[-1]', '[1e309]', '["1-65535"]', '[1, 1, 1, 1]'],
  points: ['1e309', '-1', '1e308', '.nan', '0'],
  window: ['0s', '999999h', '-1m'],
  expiry: ['0s', '999999h', '-1m'],
  teams: ['100', '1000', '0'],
  name: ['"{n:99999}"', '"{n}{n}{n}"', '"pc-{n:03}-{n:03}"', '"{"', '"}"', '"../../etc/passwd"'],
  id: ['"__proto__"', '"constructor"', '"toString"', '""', '"a b"'],
  technique: ['T9999.999', '"T1566.001 "', '"t1566"'],
};

/** Values that go anywhere: tags, anchors that do not exist, nesting, huge text. */
const ANYWHERE = [
  '!!binary aGVsbG8=',
  '!!js/function "function(){}"',
  '!custom x',
  '!!timestamp 2001-12-14',
  '!!set {a, b}',
  '!!omap [a: 1]',
  '!!float "x"',
  '!!int 0b102',
  '*nowhere',
  '~',
  '[]',
  '{}',
  '&anchor [*anchor]',
  '"\\u0000\\u202e\\ud800"',
  // Parameter references, written so they are not mistaken for template strings.
  '"$' + '{nope}"',
  '"$${x}"',
];

/** `depth` levels of flow nesting. */
export function deepFlow(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** Billion laughs: each level is ten aliases of the one before. */
export function aliasBomb(levels: number): string {
  const lines = ['bomb0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `bomb${i}: &b${i} [${Array(10)
        .fill(`*b${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

/** Nested block maps `depth` deep (indentation, not brackets). */
export function deepBlock(depth: number): string {
  return `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`;
}

const hostileValue = fc.oneof(
  fc.constantFrom(...ANYWHERE),
  fc.integer({ min: 100, max: 20_000 }).map(deepFlow),
  fc.integer({ min: 10_000, max: 300_000 }).map((n) => `"${'A'.repeat(n)}"`),
);

/** Replaces the value of one `key: value` occurrence (block or flow style). */
function atKey(text: string, key: string, value: string, which: number): string {
  const re = new RegExp(`(^|[\\s{,])(${key}): ([^,}\\n]+)`, 'g');
  const hits = [...text.matchAll(re)];
  if (!hits.length) return text;
  const m = hits[which % hits.length]!;
  const start = m.index! + m[1]!.length;
  return `${text.slice(0, start)}${key}: ${value}${text.slice(start + m[0].length - m[1]!.length)}`;
}

type Edit = (c: LoaderCase) => LoaderCase;

const keyEdit: fc.Arbitrary<Edit> = fc
  .tuple(
    fc.constantFrom(...Object.keys(AT_KEY).filter((k) => AT_KEY[k]!.length)),
    fc.nat(),
    fc.nat(),
    fc.boolean(),
    hostileValue,
  )
  .map(([key, pick, which, anywhere, any]) => (c) => {
    const values = AT_KEY[key]!;
    const value = anywhere ? any : values[pick % values.length]!;
    return { ...c, what: `${c.what}; ${key}: ${value.slice(0, 40)}`, text: atKey(c.text, key, value, which) };
  });

/** Whole-file changes: bombs and nesting appended, directives, documents, encodings. */
const fileEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.integer({ min: 3, max: 9 }).map(
    (n): Edit =>
      (c) => ({ ...c, what: `${c.what}; alias bomb ${n}`, text: `${c.text}\n${aliasBomb(n)}` }),
  ),
  fc.integer({ min: 1_000, max: 100_000 }).map(
    (n): Edit =>
      (c) => ({ ...c, what: `${c.what}; deep flow ${n}`, text: `${c.text}\nextra: ${deepFlow(n)}\n` }),
  ),
  fc.integer({ min: 100, max: 3_000 }).map(
    (n): Edit =>
      (c) => ({ ...c, what: `${c.what}; deep block ${n}`, text: `${c.text}\n${deepBlock(n)}` }),
  ),
  fc
    .constantFrom<[string, (t: string) => string]>(
      ['YAML 1.1 directive', (t) => `%YAML 1.1\n---\n${t}`],
      ['TAG directive', (t) => `%TAG ! tag:evil.example,2000:\n---\n${t}`],
      ['second document', (t) => `${t}\n---\nsecond: document\n`],
      ['document end', (t) => `${t}\n...\ngarbage: after end\n`],
      ['BOM', (t) => `\ufeff${t}`],
      ['CRLF', (t) => t.replace(/\n/g, '\r\n')],
      ['CR only', (t) => t.replace(/\n/g, '\r')],
      ['tabs', (t) => t.replace(/^ {2}/gm, '\t')],
      ['NUL', (t) => t.replace(/\n/, '\n\u0000')],
      ['complex key', (t) => `${t}\n? [complex, key]\n: value\n`],
      ['duplicate section', (t) => `${t}\nmetadata: {}\n`],
      ['merge key', (t) => `${t}\nbase: &base { id: x }\nmerged: { <<: *base, <<: *base }\n`],
      ['self alias', (t) => `${t}\nloop: &loop [*loop]\n`],
      ['lone surrogate', (t) => t.replace('title:', 'title: "\\ud800"\nx:')],
      ['long line', (t) => `${t}\nlong: ${'x'.repeat(900_000)}\n`],
      ['many keys', (t) => `${t}\n${Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join('\n')}\n`],
      ['over 1 MB', (t) => `${t}\n#${'x'.repeat(1024 * 1024)}\n`],
    )
    .map(
      ([what, f]): Edit =>
        (c) => ({ ...c, what: `${c.what}; ${what}`, text: f(c.text) }),
    ),
);

/** Includes: cycles, self-includes, long chains, bombs and junk in included files. */
const includeEdit: fc.Arbitrary<Edit> = fc
  .constantFrom<[string, string[], Record<string, string>]>(
    ['include cycle', ['a.yaml'], { 'a.yaml': 'include: [b.yaml]\n', 'b.yaml': 'include: [a.yaml]\n' }],
    ['self include', ['main.yaml'], {}],
    ['include via ..', ['sub/../main.yaml'], {}],
    [
      'include chain of 30',
      ['c0.yaml'],
      Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`c${i}.yaml`, `include: [c${i + 1}.yaml]\n`])),
    ],
    ['include missing', ['../../../../etc/passwd'], {}],
    ['include a bomb', ['bomb.yaml'], { 'bomb.yaml': aliasBomb(9) }],
    ['include deep', ['deep.yaml'], { 'deep.yaml': `x: ${deepFlow(50_000)}\n` }],
    ['include a list', ['list.yaml'], { 'list.yaml': '- a\n- b\n' }],
    ['include broken', ['broken.yaml'], { 'broken.yaml': 'a: [\n' }],
    [
      'include the same twice',
      ['h.yaml', 'h.yaml'],
      { 'h.yaml': 'hosts: [{ name: extra, role: workstation, segment: staff }]\n' },
    ],
    [
      'include many',
      Array.from({ length: 200 }, (_, i) => `m${i % 3}.yaml`),
      { 'm0.yaml': 'x0: 1\n', 'm1.yaml': 'x1: 1\n', 'm2.yaml': 'x2: 1\n' },
    ],
  )
  .map(
    ([what, list, files]): Edit =>
      (c) => ({
        ...c,
        what: `${c.what}; ${what}`,
        text: `include: [${list.map((f) => JSON.stringify(f)).join(', ')}]\n${c.text}`,
        files: { ...c.files, ...files },
      }),
  );

/** Hostile `--teams` and `--set`. */
const optionEdit: fc.Arbitrary<Edit> = fc
  .record({
    teams: fc.oneof(
      fc.constantFrom(0, -1, 1.5, 101, 1e6, Number.NaN, Number.POSITIVE_INFINITY),
      fc.integer({ min: 1, max: 100 }),
    ),
    set: fc.dictionary(
      fc.constantFrom('level', 'speed', '__proto__', 'constructor', 'toString', 'x'.repeat(300)),
      fc.oneof(
        fc.constantFrom('D', '', '1e309', '$' + '{level}', 'A'.repeat(10_000)),
        fc.double(),
        fc.boolean(),
      ),
      { maxKeys: 3 },
    ),
  })
  .map(
    (o): Edit =>
      (c) => ({ ...c, what: `${c.what}; options ${JSON.stringify(o).slice(0, 80)}`, options: o }),
  );

/** A case: a base scenario with one to three hostile edits. */
export function loaderCase(bases: { name: string; text: string }[]): fc.Arbitrary<LoaderCase> {
  const edit = fc.oneof(
    { weight: 6, arbitrary: keyEdit },
    { weight: 2, arbitrary: fileEdit },
    { weight: 1, arbitrary: includeEdit },
    { weight: 1, arbitrary: optionEdit },
  );
  return fc
    .tuple(fc.constantFrom(...bases), fc.array(edit, { minLength: 1, maxLength: 3 }))
    .map(([base, edits]) =>
      edits.reduce<LoaderCase>((c, e) => e(c), { what: base.name, text: base.text, files: {}, options: {} }),
    );
}
