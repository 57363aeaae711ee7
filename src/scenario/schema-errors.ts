/**
 * Turns zod issues into diagnostics people can act on: placed at the offending node, phrased in
 * the scenario's terms, with "did you mean" for misspelt keys and values.
 */
import type { z } from 'zod';
import type { Diagnostic } from '../common/diagnostic';
import { didYouMean } from '../common/suggest';
import { nodeAt, type PathSegment, positionOf, type SourceFile } from './source';

type Issue = z.core.$ZodIssue;

export function schemaDiagnostics(issues: readonly Issue[], schema: z.ZodType, source: SourceFile): Diagnostic[] {
  return issues.flatMap((issue) => describe(issue, [], schema, source));
}

function describe(issue: Issue, prefix: PathSegment[], schema: z.ZodType, source: SourceFile): Diagnostic[] {
  const path = [...prefix, ...(issue.path as PathSegment[])];
  const last = path[path.length - 1];
  const at = (p: PathSegment[], key = false) => positionOf(nodeAt(source.doc, p, key), source);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(schema, path);
      return issue.keys.map((k) => ({
        ...at([...path, k], true),
        message: `unknown key \`${k}\`${where(path)}`,
        hint: didYouMean(k, known) ?? (known.length ? `allowed keys: ${known.join(', ')}` : undefined),
      }));
    }
    case 'invalid_type': {
      if (issue.input === undefined && last !== undefined) {
        return [{ ...at(path.slice(0, -1)), message: `missing \`${last}\`${where(path.slice(0, -1))}`, hint: `add \`${last}:\`` }];
      }
      return [{ ...at(path), message: `expected ${article(issue.expected)}, got ${kindOf(issue.input)}${where(path)}` }];
    }
    case 'invalid_value': {
      const input = valueAt(source, path);
      const options = issue.values.map(String);
      return [
        {
          ...at(path),
          message: `\`${String(input)}\` is not allowed${where(path)}`,
          hint: didYouMean(String(input), options) ?? `use one of: ${options.join(', ')}`,
        },
      ];
    }
    case 'invalid_union':
      return unionDiagnostics(issue, path, schema, source);
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'custom':
    default:
      return [{ ...at(path), message: `${issue.message}${where(path)}` }];
  }
}

/** Reports the union branch that came closest (its value had the right type), else what was expected. */
function unionDiagnostics(issue: Extract<Issue, { code: 'invalid_union' }>, path: PathSegment[], schema: z.ZodType, source: SourceFile): Diagnostic[] {
  const discriminator = (issue as { discriminator?: string }).discriminator;
  if (discriminator) {
    return [{ ...positionOf(nodeAt(source.doc, [...path, discriminator]), source), message: `unknown or missing \`${discriminator}\`${where(path)}`, hint: discriminatorHint(schema, path, discriminator, source) }];
  }
  const branches = issue.errors.filter((errs) => errs.length > 0);
  const typed = branches.filter((errs) => !errs.some((e) => e.code === 'invalid_type' && e.path.length === 0));
  if (typed.length > 0) {
    const best = typed.reduce((a, b) => (b.length < a.length ? b : a));
    return best.flatMap((e) => describe(e, path, schema, source));
  }
  const expected = [...new Set(branches.flatMap((errs) => errs.filter((e) => e.code === 'invalid_type').map((e) => article((e as { expected: string }).expected))))];
  return [{ ...positionOf(nodeAt(source.doc, path), source), message: `expected ${expected.join(' or ') || 'a different value'}${where(path)}` }];
}

function discriminatorHint(schema: z.ZodType, path: PathSegment[], discriminator: string, source: SourceFile): string | undefined {
  const values = literalsAt(schema, [...path, discriminator]);
  if (values.length === 0) return undefined;
  const input = valueAt(source, [...path, discriminator]);
  return (typeof input === 'string' ? didYouMean(input, values) : undefined) ?? `use one of: ${values.join(', ')}`;
}

function where(path: PathSegment[]): string {
  const named = path.filter((p) => typeof p === 'string');
  return named.length ? ` in \`${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[')}\`` : '';
}

function article(expected: string): string {
  const names: Record<string, string> = { string: 'text', number: 'a number', boolean: 'true or false', array: 'a list', object: 'a map', int: 'a whole number' };
  return names[expected] ?? expected;
}

function kindOf(v: unknown): string {
  if (v === null) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `text \`${v.length > 30 ? `${v.slice(0, 30)}…` : v}\``;
  return `${typeof v} \`${String(v)}\``;
}

function valueAt(source: SourceFile, path: PathSegment[]): unknown {
  let v: unknown = source.doc.toJS();
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
