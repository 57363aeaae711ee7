/**
 * Scenario source files parsed with the `yaml` library, keeping where every node came from, so
 * that every later stage (includes, parameters, schema, cross-references) can report
 * `file:line:col`. Nodes from included files remember their own file.
 */
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type ParsedNode,
  parseDocument,
  visit,
  type YAMLMap,
} from 'yaml';
import type { Diagnostic, SourcePosition } from '../common/diagnostic';
import { tooDeep } from './nesting';

export interface SourceFile {
  path: string;
  text: string;
  lines: LineCounter;
  doc: Document.Parsed;
}

export type ReadFile = (path: string) => string;
export type PathSegment = string | number;

const origins = new WeakMap<Node, SourceFile>();

/**
 * Largest scenario file, main or included. Scenarios are tens of KB (the largest shipped: 32 KB);
 * the YAML parser takes about a second per MB of small nodes, so 10 MB took 12 s.
 */
export const MAX_SOURCE_BYTES = 1024 * 1024;

/** Parses one file; YAML syntax errors come back as diagnostics (the document may still be partial). */
export function parseSource(path: string, text: string): { source: SourceFile; diagnostics: Diagnostic[] } {
  if (text.length > MAX_SOURCE_BYTES) {
    return unparsed(path, text, 0, 'scenario file is larger than 1 MB', 'split it with `include:`');
  }
  const deep = tooDeep(text);
  if (deep) {
    return unparsed(
      path,
      text,
      deep.offset,
      `the YAML nests too deeply here (${deep.message})`,
      'flatten the structure: a scenario needs only a few levels',
    );
  }
  const lines = new LineCounter();
  // The parser's own duplicate-key check and `Alias.resolve` search the whole map or document each
  // time, quadratic in hostile files (50,000 keys: minutes); both are done here in one visit.
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: false,
    merge: false,
    // Problems are diagnostics; the library's console warnings (e.g. for `? [complex, key]`) are noise.
    logLevel: 'error',
  });
  const source: SourceFile = { path, text, lines, doc };
  const unresolved: Diagnostic[] = [];
  const duplicates: { message: string; pos: [number, number] }[] = [];
  const anchors = new Set<string>();
  visit(doc, {
    Node(_key, node) {
      origins.set(node, source);
      if (node.anchor) anchors.add(node.anchor);
      if (isMap(node)) duplicates.push(...duplicateKeys(node));
    },
    Alias(_key, node) {
      // An alias without its anchor would make every later conversion throw; report it here.
      // Anchors come before their aliases in document order, the order `visit` walks in.
      if (!anchors.has(node.source)) {
        const at = lines.linePos(node.range?.[0] ?? 0);
        unresolved.push({
          file: path,
          line: at.line,
          col: at.col,
          message: `unknown alias \`*${node.source}\``,
          hint: `define the anchor \`&${node.source}\` before using it, or quote the text`,
        });
      }
    },
  });
  const syntax = syntaxDiagnostics(path, text, lines, [...doc.errors, ...duplicates, ...doc.warnings]);
  const diagnostics = syntax.length > 0 ? syntax : unresolved;
  return { source, diagnostics };
}

/** A map's repeated scalar keys (`a: 1` then `"a": 2`), as the parser would report them, in one pass. */
function duplicateKeys(map: YAMLMap): { message: string; pos: [number, number] }[] {
  const seen = new Set<string>();
  const out: { message: string; pos: [number, number] }[] = [];
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const v = pair.key.value;
    const id = `${typeof v}:${String(v)}`;
    if (seen.has(id))
      out.push({
        message: 'Map keys must be unique',
        pos: pair.key.range ? [pair.key.range[0], pair.key.range[1]] : [0, 0],
      });
    seen.add(id);
  }
  return out;
}

/** Text refused before parsing (too large, nested too deep): an empty document and one diagnostic. */
function unparsed(
  path: string,
  text: string,
  offset: number,
  message: string,
  hint: string,
): { source: SourceFile; diagnostics: Diagnostic[] } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  const source: SourceFile = { path, text, lines: new LineCounter(), doc: parseDocument('') };
  return { source, diagnostics: [{ file: path, line, col, message, hint }] };
}

/**
 * After the first syntax error the parser's recovery produces a cascade of follow-on errors that
 * only bury the real one, so keep the first error of each line and at most a few lines.
 */
const MAX_SYNTAX_ERRORS = 3;

function syntaxDiagnostics(
  path: string,
  text: string,
  lines: LineCounter,
  errors: { message: string; pos: [number, number] }[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seenLines = new Set<number>();
  for (const e of [...errors].sort((a, b) => a.pos[0] - b.pos[0])) {
    const at = lines.linePos(e.pos[0]);
    if (seenLines.has(at.line)) continue;
    seenLines.add(at.line);
    if (out.length === MAX_SYNTAX_ERRORS) {
      out.push({
        file: path,
        line: at.line,
        col: at.col,
        message: 'more YAML syntax errors follow',
        hint: 'fix the first one; the rest often go away',
      });
      break;
    }
    out.push({
      file: path,
      line: at.line,
      col: at.col,
      message: yamlMessage(e.message),
      hint: syntaxHint(text, lines, e.pos[0], e.message),
    });
  }
  return out;
}

const MAX_HINT_LINE = 1000;

/** The common slips get a precise fix; everything else a general one. */
function syntaxHint(text: string, lines: LineCounter, offset: number, message: string): string {
  const lineStart = lines.lineStarts[lines.linePos(offset).line - 1] ?? 0;
  const lineEnd = text.indexOf('\n', lineStart);
  // The patterns below backtrack: on a 120 KB line they took 2.6 s, on a 1 MB line minutes. The
  // slips they recognise show in a line's first characters.
  const lineText = text.slice(
    lineStart,
    Math.min(lineEnd < 0 ? text.length : lineEnd, lineStart + MAX_HINT_LINE),
  );
  if (/:\s*[^'"\s][^,'"]*\{n(:\d+)?\}/.test(lineText)) return 'quote host name patterns: `name: "pc-{n:04}"`';
  if (/[:,[]\s*\$\{/.test(lineText))
    return 'quote parameter references inside `{ … }` or `[ … ]`: `count: "$' + '{staff}"`';
  if (/Nested mappings/.test(message)) return 'quote text that contains `: `, e.g. `subject: "Re: invoice"`';
  if (/\t/.test(lineText)) return 'YAML does not allow tabs for indentation; use spaces';
  if (/:\s*[@`]/.test(lineText)) return 'quote values that start with `@` or a backtick';
  return 'fix the YAML syntax here (indentation, quotes, colons)';
}

function yamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
}

/**
 * The document as plain data. Conversion can still throw (e.g. aliases expanding past the limit
 * of a "billion laughs" file), so a failure becomes a diagnostic instead of a crash.
 */
export function toPlain(source: SourceFile): { data?: unknown; diagnostic?: Diagnostic } {
  try {
    return { data: source.doc.toJS({ maxAliasCount: 1000 }) };
  } catch (e) {
    return {
      diagnostic: {
        file: source.path,
        line: 1,
        col: 1,
        message: `cannot read the scenario: ${(e as Error).message}`,
        hint: 'remove aliases (`*name`) that expand too much or have no anchor',
      },
    };
  }
}

/** Where a node starts; falls back to the start of its file's document. */
export function positionOf(node: Node | null | undefined, fallback: SourceFile): SourcePosition {
  const file = (node && origins.get(node)) ?? fallback;
  const offset = node?.range?.[0] ?? 0;
  const at = file.lines.linePos(offset);
  return { file: file.path, line: at.line, col: at.col };
}

/** The file a node came from (for resolving relative paths in included fragments). */
export function originOf(node: Node, fallback: SourceFile): SourceFile {
  return origins.get(node) ?? fallback;
}

/** Records that a node (e.g. one built during parameter substitution) stands where another stood. */
export function adoptOrigin(node: Node, from: Node): void {
  const file = origins.get(from);
  if (file) origins.set(node, file);
  if (from.range && !node.range) node.range = from.range;
}

/**
 * The node for a path in the document, or the deepest ancestor that exists (a missing key is
 * reported at the map that should hold it). For a key path, `key: true` returns the key node.
 */
export function nodeAt(doc: Document, path: readonly PathSegment[], key = false): Node | undefined {
  let node: Node | undefined = (doc.contents as ParsedNode | null) ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return node;
      if (key && i === path.length - 1 && isScalar(pair.key)) return pair.key;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as Node | undefined;
      if (!item) return node;
      node = item;
    } else {
      return node;
    }
  }
  return node;
}
