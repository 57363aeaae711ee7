/**
 * A problem found in user input, with the place it was found and, where one helps, the fix.
 * Errors are values: loaders collect every diagnostic and report them all at once.
 */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

export interface Diagnostic extends SourcePosition {
  message: string;
  hint?: string;
}

/** `file:line:col: message — hint`, the format editors and terminals link to. */
export function formatDiagnostic(d: Diagnostic): string {
  // Problems with a command-line flag (`--set level=D`) are placed at the flag, not at a line.
  const where = d.file.startsWith('--') ? d.file : `${d.file}:${d.line}:${d.col}`;
  return d.hint ? `${where}: ${d.message} — ${d.hint}` : `${where}: ${d.message}`;
}

/** Thrown only at the boundary (CLI, API) when input cannot be used; carries every diagnostic. */
export class InputError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'InputError';
  }
}

/** Stable order: by file, then line, then column, then message. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message),
  );
}
