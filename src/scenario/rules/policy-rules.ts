/** Policy rules must name segments (or zones) that exist and ports that make sense. */
import { parsePorts, selectSegments } from '../../compiler/policy';
import type { RuleContext } from './context';

export function checkPolicy(ctx: RuleContext): void {
  const policy = ctx.scenario.network.policy;
  if (!policy) return;
  const segments = ctx.scenario.network.segments;
  const known = [...segments.map((s) => s.id), ...new Set(segments.map((s) => `zone:${s.zone}`)), '*'];
  policy.rules.forEach((rule, i) => {
    for (const side of ['from', 'to'] as const) {
      const list = Array.isArray(rule[side]) ? (rule[side] as string[]) : [rule[side] as string];
      list.forEach((sel, j) => {
        const { unknown } = selectSegments(sel, segments);
        const path = Array.isArray(rule[side])
          ? ['network', 'policy', 'rules', i, side, j]
          : ['network', 'policy', 'rules', i, side];
        if (unknown) ctx.unknown(path, 'segment', unknown, known);
      });
    }
    rule.ports.forEach((p, j) => {
      if (parsePorts(p) === undefined)
        ctx.report(
          ['network', 'policy', 'rules', i, 'ports', j],
          `\`${p}\` is not a port range`,
          'write `8000-8099` with the lower port first, at most 65535',
        );
    });
  });
}
