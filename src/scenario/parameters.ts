/**
 * Parameters make one scenario file yield its variants (level A/B/C, industry, size) without
 * copy-paste: `${name}` is replaced in any string, a string that is only `${name}` takes the
 * parameter's type (so `count: ${staff}` stays a number), and a list entry with
 * `when: { level: [B, C] }` is kept only when the parameters match. `$${` writes a literal `${`.
 */
import { type Document, isMap, isScalar, isSeq, type Node, type Pair, Scalar, visit } from 'yaml';
import type { Diagnostic } from '../common/diagnostic';
import { didYouMean } from '../common/suggest';
import { adoptOrigin, positionOf, type SourceFile } from './source';

export type ParamValue = string | number | boolean;

interface Declared {
  default: ParamValue;
  values?: ParamValue[];
  node: Node;
}

const WHOLE = /^\$\{([a-zA-Z_][\w-]*)\}$/;
const ANY = /\$(\$?)\{([a-zA-Z_][\w-]*)\}/g;

/** Parses `--set key=value` text into a typed value (numbers and booleans as such). */
export function parseSetValue(text: string): ParamValue {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

export function applyParameters(
  source: SourceFile,
  overrides: Record<string, ParamValue>,
  out: Diagnostic[],
): Record<string, ParamValue> {
  const declared = readDeclared(source, out);
  const values = chooseValues(declared, overrides, source, out);
  filterByWhen(source.doc, values, source, out);
  substitute(source.doc, values, source, out);
  return values;
}

function readDeclared(source: SourceFile, out: Diagnostic[]): Map<string, Declared> {
  const result = new Map<string, Declared>();
  const top = source.doc.contents;
  if (!isMap(top)) return result;
  const params = top.items.find((p) => isScalar(p.key) && p.key.value === 'parameters')?.value;
  if (!isMap(params)) return result;
  for (const pair of params.items) {
    if (!isScalar(pair.key) || !isMap(pair.value)) continue;
    // Read with the document so aliases resolve; a broken alias is reported by the parser.
    let spec: { default?: unknown; values?: unknown };
    try {
      spec = pair.value.toJS(source.doc) as typeof spec;
    } catch {
      continue;
    }
    if (!isParamValue(spec.default)) {
      out.push({
        ...positionOf(pair.value as Node, source),
        message: `parameter \`${pair.key.value}\` needs a \`default\` (a string, number or boolean)`,
      });
      continue;
    }
    const values = Array.isArray(spec.values) ? spec.values.filter(isParamValue) : undefined;
    if (values && !values.includes(spec.default)) {
      out.push({
        ...positionOf(pair.value as Node, source),
        message: `default \`${spec.default}\` of parameter \`${pair.key.value}\` is not one of its values`,
        hint: `use one of ${values.map((v) => `\`${v}\``).join(', ')}`,
      });
    }
    result.set(String(pair.key.value), { default: spec.default, values, node: pair.key as Node });
  }
  return result;
}

function isParamValue(v: unknown): v is ParamValue {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function chooseValues(
  declared: Map<string, Declared>,
  overrides: Record<string, ParamValue>,
  source: SourceFile,
  out: Diagnostic[],
): Record<string, ParamValue> {
  const values: Record<string, ParamValue> = {};
  for (const [name, spec] of declared) values[name] = spec.default;
  for (const [name, value] of Object.entries(overrides)) {
    const spec = declared.get(name);
    const where = { file: `--set ${name}`, line: 1, col: 1 };
    if (!spec) {
      out.push({
        ...where,
        message: `unknown parameter \`${name}\``,
        hint:
          didYouMean(name, declared.keys()) ??
          `declared parameters: ${[...declared.keys()].join(', ') || 'none'}`,
      });
      continue;
    }
    if (spec.values && !spec.values.includes(value)) {
      out.push({
        ...where,
        message: `\`${value}\` is not a value of \`${name}\``,
        hint: `use one of ${spec.values.join(', ')}`,
      });
      continue;
    }
    if (typeof spec.default === 'number' && typeof value !== 'number') {
      out.push({
        ...where,
        message: `\`${name}\` takes a number`,
        hint: `e.g. --set ${name}=${spec.default}`,
      });
      continue;
    }
    values[name] = value;
  }
  void source;
  return values;
}

/** Removes list entries whose `when` does not match, and the `when` keys of the others. */
function filterByWhen(
  doc: Document,
  values: Record<string, ParamValue>,
  source: SourceFile,
  out: Diagnostic[],
): void {
  visit(doc, {
    Seq(_key, seq) {
      seq.items = seq.items.filter((item) => {
        if (!isMap(item)) return true;
        const idx = item.items.findIndex((p) => isScalar(p.key) && p.key.value === 'when');
        if (idx < 0) return true;
        const pair = item.items[idx]!;
        item.items.splice(idx, 1);
        return matches(pair, values, source, out);
      });
    },
  });
}

function matches(
  pair: Pair,
  values: Record<string, ParamValue>,
  source: SourceFile,
  out: Diagnostic[],
): boolean {
  if (!isMap(pair.value)) {
    out.push({
      ...positionOf(pair.key as Node, source),
      message: '`when` takes a map of parameter: value(s)',
      hint: 'e.g. `when: { level: [B, C] }`',
    });
    return true;
  }
  let keep = true;
  for (const cond of pair.value.items) {
    const name = isScalar(cond.key) ? String(cond.key.value) : '';
    if (!(name in values)) {
      out.push({
        ...positionOf(cond.key as Node, source),
        message: `unknown parameter \`${name}\` in \`when\``,
        hint: didYouMean(name, Object.keys(values)) ?? 'declare it under `parameters`',
      });
      continue;
    }
    const wanted = isSeq(cond.value)
      ? cond.value.items.map((i) => (isScalar(i) ? i.value : undefined))
      : [isScalar(cond.value) ? cond.value.value : undefined];
    if (!wanted.includes(values[name])) keep = false;
  }
  return keep;
}

function substitute(
  doc: Document,
  values: Record<string, ParamValue>,
  source: SourceFile,
  out: Diagnostic[],
): void {
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const text = node.value;
      const whole = WHOLE.exec(text);
      if (whole) {
        const value = lookup(whole[1]!, values, node, source, out);
        if (value === undefined) return;
        const replacement = new Scalar(value);
        adoptOrigin(replacement, node);
        return replacement;
      }
      node.value = text.replace(ANY, (match, escaped: string, name: string) => {
        if (escaped) return match.slice(1);
        const value = lookup(name, values, node, source, out);
        return value === undefined ? match : String(value);
      });
    },
  });
}

function lookup(
  name: string,
  values: Record<string, ParamValue>,
  node: Node,
  source: SourceFile,
  out: Diagnostic[],
): ParamValue | undefined {
  if (name in values) return values[name];
  out.push({
    ...positionOf(node, source),
    message: `unknown parameter \`\${${name}}\``,
    hint:
      didYouMean(name, Object.keys(values)) ??
      'declare it under `parameters`, or write `$${` for a literal `${`',
  });
  return undefined;
}
