/**
 * Turns zod issues into diagnostics people can act on: placed at the offending node, phrased in
 * the scenario's terms, with "did you mean" for misspelt keys and values.
 */
import type { z } from 'zod';
import type { Diagnostic } from '../common/diagnostic';
import { didYouMean } from '../common/suggest';
import { nodeAt, type PathSegment, positionOf, type SourceFile, toPlain } from './source';

type Issue = z.core.$ZodIssue;

/**
 * Placing a diagnostic looks its key up in its map, so thousands of problems in one map would
 * cost millions of lookups (50,000 unknown keys took minutes): a file gets its first problems
 * placed and one line counting the rest — nobody reads 50,000 diagnostics anyway.
 */
const MAX_ISSUES = 200;
const MAX_UNKNOWN_KEYS = 20;

export function schemaDiagnostics(
  issues: readonly Issue[],
  schema: z.ZodType,
  source: SourceFile,
): Diagnostic[] {
  const out = issues.slice(0, MAX_ISSUES).flatMap((issue) => describe(issue, [], schema, source));
  const rest = issues[MAX_ISSUES];
  if (rest) {
    out.push({
      ...positionOf(nodeAt(source.doc, rest.path as PathSegment[]), source),
      message: `… and ${issues.length - MAX_ISSUES} more problems like these`,
      hint: 'fix the ones above first',
    });
  }
  return out;
}

function describe(issue: Issue, prefix: PathSegment[], schema: z.ZodType, source: SourceFile): Diagnostic[] {
  const path = [...prefix, ...(issue.path as PathSegment[])];
  const last = path[path.length - 1];
  const at = (p: PathSegment[], key = false) => positionOf(nodeAt(source.doc, p, key), source);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(schema, path);
      const listed = issue.keys.slice(0, MAX_UNKNOWN_KEYS).map((k) => ({
        ...at([...path, k], true),
        message: `unknown key \`${k}\`${where(path)}`,
        hint: didYouMean(k, known) ?? (known.length ? `allowed keys: ${known.join(', ')}` : undefined),
      }));
      const more = issue.keys[MAX_UNKNOWN_KEYS];
      if (more === undefined) return listed;
      return [
        ...listed,
        {
          ...at([...path, more], true),
          message: `… and ${issue.keys.length - MAX_UNKNOWN_KEYS} more unknown keys${where(path)}`,
          hint: known.length ? `allowed keys: ${known.join(', ')}` : 'remove them',
        },
      ];
    }
    case 'invalid_type': {
      // zod 4 leaves `issue.input` out unless asked, so read what was written from the document.
      if (last !== undefined && !hasKey(source, path)) {
        return [
          {
            ...at(path.slice(0, -1)),
            message: `missing \`${last}\`${where(path.slice(0, -1))}`,
            hint: `add \`${last}:\``,
          },
        ];
      }
      return [
        {
          ...at(path),
          message: `expected ${article(issue.expected)}, got ${kindOf(valueAt(source, path))}${where(path)}`,
        },
      ];
    }
    case 'invalid_value': {
      const options = issue.values.map(String);
      if (last !== undefined && !hasKey(source, path)) {
        return [
          {
            ...at(path.slice(0, -1)),
            message: `missing \`${last}\`${where(path.slice(0, -1))}`,
            hint: `add \`${last}: ${options[0]}\`${options.length > 1 ? ` (one of: ${options.join(', ')})` : ''}`,
          },
        ];
      }
      const input = valueAt(source, path);
      const shown = typeof input === 'object' && input !== null ? kindOf(input) : `\`${String(input)}\``;
      return [
        {
          ...at(path),
          message: `${shown} is not allowed${where(path)}`,
          hint:
            (typeof input === 'string' ? didYouMean(input, options) : undefined) ??
            `use one of: ${options.join(', ')}`,
        },
      ];
    }
    case 'too_small':
    case 'too_big':
      return [{ ...at(path), message: `${boundMessage(issue, valueAt(source, path))}${where(path)}` }];
    case 'invalid_union':
      return unionDiagnostics(issue, path, schema, source);
    case 'invalid_format': {
      // Show what was written next to what is expected: the message alone hides the typo.
      const input = valueAt(source, path);
      const shown =
        typeof input === 'string'
          ? `\`${input.length > 40 ? `${input.slice(0, 40)}…` : input}\``
          : kindOf(input);
      return [{ ...at(path), message: `${shown} is not valid${where(path)} (${issue.message})` }];
    }
    default:
      return [{ ...at(path), message: `${issue.message}${where(path)}` }];
  }
}

/** Reports the union branch that came closest (its value had the right type), else what was expected. */
function unionDiagnostics(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: PathSegment[],
  schema: z.ZodType,
  source: SourceFile,
): Diagnostic[] {
  const discriminator = (issue as { discriminator?: string }).discriminator;
  if (discriminator) {
    // zod 4 puts the discriminator itself at the end of the path; older shapes did not.
    const owner = path[path.length - 1] === discriminator ? path.slice(0, -1) : path;
    const input = valueAt(source, [...owner, discriminator]);
    const what = String(owner.filter((p) => typeof p === 'string').pop() ?? 'entry');
    return [
      {
        ...positionOf(nodeAt(source.doc, input === undefined ? owner : [...owner, discriminator]), source),
        message:
          input === undefined
            ? `missing \`${discriminator}\`${where(owner)}`
            : `unknown ${what} ${discriminator} ${typeof input === 'object' && input !== null ? kindOf(input) : `\`${String(input)}\``}${where(owner)}`,
        hint: discriminatorHint(schema, owner, discriminator, source),
      },
    ];
  }
  const branches = issue.errors.filter((errs) => errs.length > 0);
  const typed = branches.filter(
    (errs) => !errs.some((e) => e.code === 'invalid_type' && e.path.length === 0),
  );
  if (typed.length > 0) {
    const best = typed.reduce((a, b) => (b.length < a.length ? b : a));
    return best.flatMap((e) => describe(e, path, schema, source));
  }
  const expected = [
    ...new Set(
      branches.flatMap((errs) =>
        errs
          .filter((e) => e.code === 'invalid_type')
          .map((e) => article((e as { expected: string }).expected)),
      ),
    ),
  ];
  return [
    {
      ...positionOf(nodeAt(source.doc, path), source),
      message: `expected ${expected.join(' or ') || 'a different value'}${where(path)}`,
    },
  ];
}

function discriminatorHint(
  schema: z.ZodType,
  path: PathSegment[],
  discriminator: string,
  source: SourceFile,
): string | undefined {
  const values = literalsAt(schema, [...path, discriminator]);
  if (values.length === 0) return undefined;
  const input = valueAt(source, [...path, discriminator]);
  return (
    (typeof input === 'string' ? didYouMean(input, values) : undefined) ?? `use one of: ${values.join(', ')}`
  );
}

function where(path: PathSegment[]): string {
  const named = path.filter((p) => typeof p === 'string');
  return named.length
    ? ` in \`${path
        .map((p) => (typeof p === 'number' ? `[${p}]` : p))
        .join('.')
        .replace(/\.\[/g, '[')}\``
    : '';
}

function article(expected: string): string {
  const names: Record<string, string> = {
    string: 'text',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a map',
    int: 'a whole number',
  };
  return names[expected] ?? expected;
}

function kindOf(v: unknown): string {
  if (v === null) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `text \`${v.length > 30 ? `${v.slice(0, 30)}…` : v}\``;
  return `${typeof v} \`${String(v)}\``;
}

/** "must be at least 1", "needs at least 1 item": the bound in the scenario's words. */
function boundMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>, input: unknown): string {
  const small = issue.code === 'too_small';
  const bound = small
    ? (issue as { minimum: number | bigint }).minimum
    : (issue as { maximum: number | bigint }).maximum;
  const inclusive = (issue as { inclusive?: boolean }).inclusive !== false;
  const cmp = small ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
  switch (issue.origin) {
    case 'array':
    case 'set':
      return `needs ${cmp} ${bound} item${Number(bound) === 1 ? '' : 's'}`;
    case 'string':
      return `must have ${cmp} ${bound} characters`;
    default:
      return `\`${String(input)}\` is too ${small ? 'small' : 'big'}: must be ${cmp} ${bound}`;
  }
}

/** The document as plain data, computed once per source (errors can be many, documents large). */
const plainData = new WeakMap<SourceFile, unknown>();

function dataOf(source: SourceFile): unknown {
  if (!plainData.has(source)) plainData.set(source, toPlain(source).data);
  return plainData.get(source);
}

function hasKey(source: SourceFile, path: PathSegment[]): boolean {
  const parent = valueAt(source, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && (path[path.length - 1] as PropertyKey) in parent;
}

function valueAt(source: SourceFile, path: PathSegment[]): unknown {
  let v: unknown = dataOf(source);
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PathSegment, unknown>)[p] : undefined;
  return v;
}

// --- walking the schema itself, to know which keys or values would have been accepted ---

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
  values?: unknown[];
}

function defOf(s: z.ZodType): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

function schemasAt(schema: z.ZodType, path: PathSegment[]): z.ZodType[] {
  let current = [schema];
  for (const step of path) current = current.flatMap((s) => unwrap(s)).flatMap((s) => child(s, step));
  return current.flatMap((s) => unwrap(s));
}

function unwrap(s: z.ZodType): z.ZodType[] {
  const d = defOf(s);
  if (d.innerType) return unwrap(d.innerType);
  if (d.getter) return unwrap(d.getter());
  if (d.type === 'pipe' && d.in) return unwrap(d.in);
  if (d.options) return d.options.flatMap(unwrap);
  return [s];
}

function child(s: z.ZodType, step: PathSegment): z.ZodType[] {
  const d = defOf(s);
  if (d.shape && typeof step === 'string' && d.shape[step]) return [d.shape[step]];
  if (d.element && typeof step === 'number') return [d.element];
  if (d.valueType && typeof step === 'string') return [d.valueType];
  return [];
}

function keysAt(schema: z.ZodType, path: PathSegment[]): string[] {
  return [...new Set(schemasAt(schema, path).flatMap((s) => Object.keys(defOf(s).shape ?? {})))];
}

function literalsAt(schema: z.ZodType, path: PathSegment[]): string[] {
  return [...new Set(schemasAt(schema, path).flatMap((s) => (defOf(s).values ?? []).map(String)))];
}
