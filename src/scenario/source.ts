/**
 * Scenario source files parsed with the `yaml` library, keeping where every node came from, so
 * that every later stage (includes, parameters, schema, cross-references) can report
 * `file:line:col`. Nodes from included files remember their own file.
 */
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, type ParsedNode, parseDocument, visit } from 'yaml';
import type { Diagnostic, SourcePosition } from '../common/diagnostic';

export interface SourceFile {
  path: string;
  text: string;
  lines: LineCounter;
  doc: Document.Parsed;
}

export type ReadFile = (path: string) => string;
export type PathSegment = string | number;

const origins = new WeakMap<Node, SourceFile>();

/** Parses one file; YAML syntax errors come back as diagnostics (the document may still be partial). */
export function parseSource(path: string, text: string): { source: SourceFile; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: false });
  const source: SourceFile = { path, text, lines, doc };
  visit(doc, {
    Node(_key, node) {
      origins.set(node, source);
    },
  });
  const diagnostics = [...doc.errors, ...doc.warnings].map((e) => {
    const at = lines.linePos(e.pos[0]);
    return {
      file: path,
      line: at.line,
      col: at.col,
      message: yamlMessage(e.message),
      hint: 'fix the YAML syntax here (indentation, quotes, colons)',
    };
  });
  return { source, diagnostics };
}

function yamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
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
