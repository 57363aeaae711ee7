/**
 * Hostile input for the REST and socket fuzzers, as fast-check arbitraries: wrong JSON types,
 * numbers JSON.stringify cannot write (1e309, -0, 2^53 + 1), prototype-pollution keys, unicode,
 * NUL and control characters, path traversal, huge strings and deep nesting.
 *
 * Bodies are built as JS values and written with `toRawJson`, which swaps `RAW` markers for raw
 * JSON text, so a body can carry `1e309` (parsed as Infinity) or a literal `"__proto__"` key.
 */
import fc from 'fast-check';

const RAW = '\u0000raw:';

/** A marker that `toRawJson` writes as the raw JSON text `json`. */
export function raw(json: string): string {
  return `${RAW}${json}\u0000`;
}

/** JSON text of `value`, with every `raw()` marker replaced by its raw text. */
export function toRawJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.replace(/"\\u0000raw:((?:[^"\\]|\\.)*)\\u0000"/g, (_m, inner: string) =>
    JSON.parse(`"${inner}"`),
  );
}

/** Numbers as raw JSON: overflow to Infinity, underflow, -0, beyond 2^53, exponents, floats. */
export const RAW_NUMBERS = [
  '1e309',
  '-1e309',
  '1e-400',
  '-0',
  '9007199254740993',
  '123456789012345678901234567890',
  '1E2',
  '0.1',
  '-1',
  '2.5',
];

/** Strings that have broken parsers, file systems, templates, shells, logs and terminals. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[2J\u001b]0;pwned\u0007',
  '\r\nSet-Cookie: a=b',
  '\u202e\u0635txt.exe',
  '\ud800',
  '\udfff\ud800',
  '𝕏🔥\u200d',
  '\ufeff{}',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/shadow',
  '%00',
  '%2e%2e%2f',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE events; --",
  '{{7*7}}',
  '$' + '{7*7}',
  '=cmd|"/c calc"!A1',
  '$(reboot)',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  'null',
  'true',
  '0x10',
  't01',
  't02',
  'controller',
];

/** Names of keys that pollute prototypes or shadow built-ins when code copies objects naively. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'toString'];

/** A huge string: under the 64 KiB body limit but far over every field's own limit. */
export const hugeString = fc.integer({ min: 1_000, max: 50_000 }).map((n) => 'A'.repeat(n));

export const nastyString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom('\u0000', '\u0001', '\u001f', '\u007f', '\u2028'),
      maxLength: 8,
    }),
  },
  { weight: 1, arbitrary: hugeString },
);

/** Any scalar or container of a type a schema did not ask for. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }),
  fc.double(),
  fc.constantFrom(...RAW_NUMBERS).map(raw),
  nastyString,
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)), { maxLength: 5 }),
  fc.dictionary(
    fc.constantFrom(...PROTO_KEYS, 'x'),
    fc.oneof(fc.integer(), fc.constant({ polluted: true })),
    {
      maxKeys: 3,
    },
  ),
);

/** Raw JSON text for a value nested `depth` levels deep (arrays or objects). */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Whole bodies that are not what any route expects, as raw text. */
export const hostileRawBody: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"a":',
    'nul',
    '[1,2',
    '\u0000',
    '\ufeff{}',
    'null',
    '0',
    '"x"',
    'true',
    '[]',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"a":1,"a":2}',
    `{"x":${RAW_NUMBERS[0]}}`,
    '{"\\u0000":1}',
  ),
  fc
    .integer({ min: 100, max: 20_000 })
    .chain((d) => fc.constantFrom(deepJson(d, 'array'), deepJson(d, 'object'))),
  fc.jsonValue({ maxDepth: 3 }).map((v) => toRawJson(v)),
);

/** A path segment: traversal, encodings that do not decode, huge, unicode, numbers out of range. */
export const hostilePathSegment: fc.Arbitrary<string> = fc.oneof(
  nastyString.filter((s) => s.length < 3000).map((s) => encodeURIComponent(safeUnicode(s))),
  // Left raw on purpose: percent-encodings that do not decode, encoded slashes and dots.
  fc.constantFrom('%', '%ZZ', '%E0%A4%A', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%00', '%C0%AE%C0%AE', '%252e'),
  fc.constantFrom('0', '-1', '1.5', '1e309', '99999999999999999999', 'NaN', ' 1', '0x1f', '1%20'),
  fc.integer({ min: 100, max: 3000 }).map((n) => 'a'.repeat(n)),
);

/** A query value (before encoding): numbers out of range, huge time ranges, text. */
export const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1.5',
    '1e309',
    'NaN',
    'Infinity',
    '9007199254740993',
    '8640000000000001',
    '99999999999999999999999',
    '0x10',
    '2026-01-05T10:00:00Z',
    '9999-12-31T23:59:59Z',
    '-271821-04-20T00:00:00Z',
    '1000000000',
    'true',
  ),
  nastyString.filter((s) => s.length < 3000).map(safeUnicode),
);

/** Lone surrogates cannot be percent-encoded; replace them (the raw ones go in JSON bodies). */
export function safeUnicode(s: string): string {
  return (s as string & { toWellFormed(): string }).toWellFormed();
}

/** Header values fetch can send (visible ASCII and Latin-1, no CR/LF): hostile but legal on the wire. */
export const hostileHeaderValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '*',
    'W/"x"',
    '"0"',
    '-1',
    '1e309',
    'NaN',
    '00000000000000000000001',
    '__proto__',
    '../x',
  ),
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 300,
  }),
);
