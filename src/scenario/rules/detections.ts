/**
 * Detection rules must be evaluable cheaply and safely: each condition names exactly one
 * operator, regular expressions compile and have no nested quantifiers (no catastrophic
 * backtracking), and every rule has at least one positive `equals` so the evaluator narrows the
 * telemetry it regenerates instead of scanning every record. Ids are unique.
 */
import type { RuleContext } from './context';

const OPERATORS = ['equals', 'in', 'contains', 'cidr', 'regex'] as const;
/** A group with a quantifier inside, itself quantified: `(a+)+`, `(\w*)*`, `(x|y+){2,}`. */
const NESTED_QUANTIFIER = /\([^)]*[+*}][^)]*\)\s*[+*{]/;

export function checkDetections(ctx: RuleContext): void {
  const seen = new Map<string, number>();
  ctx.scenario.detections.forEach((d, i) => {
    const first = seen.get(d.id);
    if (first !== undefined) {
      ctx.report(
        ['detections', i, 'id'],
        `detection \`${d.id}\` is defined twice`,
        `rename one; the other is at ${ctx.locate(['detections', first, 'id'])}`,
      );
    } else seen.set(d.id, i);
    d.match.forEach((c, j) => {
      const given = OPERATORS.filter((op) => c[op] !== undefined);
      if (given.length !== 1) {
        ctx.report(
          ['detections', i, 'match', j],
          given.length === 0
            ? `condition on \`${c.field}\` has no operator`
            : `condition on \`${c.field}\` has ${given.length} operators (${given.join(', ')})`,
          'give exactly one of equals, in, contains, cidr, regex (split it into several conditions)',
        );
        return;
      }
      if (c.regex !== undefined) {
        try {
          new RegExp(c.regex);
        } catch (e) {
          ctx.report(
            ['detections', i, 'match', j, 'regex'],
            `not a regular expression: ${(e as Error).message}`,
            'fix the pattern',
          );
          return;
        }
        if (NESTED_QUANTIFIER.test(c.regex) || /\\[1-9]/.test(c.regex))
          ctx.report(
            ['detections', i, 'match', j, 'regex'],
            'nested quantifiers or back-references can make matching take exponential time',
            'flatten the pattern (e.g. `(ab)+` → `(?:ab){1,20}` is still nested: use `contains` or `in`)',
          );
      }
    });
    if (!d.match.some((c) => c.equals !== undefined && !c.not))
      ctx.report(
        ['detections', i, 'match'],
        `detection \`${d.id}\` has no positive \`equals\` condition`,
        'add one on a narrowing field such as `event.dataset`, `event.action` or `event.code`',
      );
  });
}
