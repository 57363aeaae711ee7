/**
 * How deep a scenario's YAML nests, found by one linear scan before the YAML parser runs. The
 * parser recurses once per level: 1,000 levels overflow its stack (reported only as "Maximum call
 * stack size exceeded") and 100,000 flow brackets take it seconds. No scenario nests more than a
 * dozen levels, so far deeper text is refused at once, at the place it goes too deep.
 */

/** Flow collections (`[`, `{`) open at once; a scenario needs fewer than 10. */
export const MAX_FLOW_DEPTH = 64;
/** Spaces of indentation; a scenario needs fewer than 40. */
export const MAX_INDENT = 256;

/** Characters after which a quote opens a quoted scalar (elsewhere it is an apostrophe in text). */
const QUOTE_MAY_OPEN = new Set([':', ',', '[', '{', '-', '?', '\n']);

/** The offset where `text` nests deeper than a scenario can, with what is too deep; or undefined. */
export function tooDeep(text: string): { offset: number; message: string } | undefined {
  let depth = 0;
  let quote: string | undefined;
  let comment = false;
  let indent = 0;
  let lineStart = true;
  let previous = '\n';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      comment = false;
      lineStart = true;
      indent = 0;
      previous = c;
      continue;
    }
    if (lineStart && c === ' ' && !quote) {
      if (++indent > MAX_INDENT) return { offset: i, message: `indented more than ${MAX_INDENT} spaces` };
      continue;
    }
    lineStart = false;
    if (comment) continue;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '#' && /\s/.test(text[i - 1] ?? '\n')) comment = true;
    else if ((c === '"' || c === "'") && QUOTE_MAY_OPEN.has(previous)) quote = c;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_FLOW_DEPTH)
        return { offset: i, message: `more than ${MAX_FLOW_DEPTH} nested [ ] / { }` };
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    if (c !== ' ' && c !== '\t' && c !== '\r') previous = c;
  }
  return undefined;
}
