/**
 * An `after` chain can push an inject past the end even when every trigger looks fine on its own
 * (`after: exfiltration, delay: 3h` in a 5-hour exercise). The earliest time of each inject is its
 * `at`, its cron window's start, or its predecessor's earliest time plus the delay; manual
 * injects have no earliest time, so chains hanging off them are not checked.
 */
import { formatDuration, parseClock, parseDuration, parseOffset } from '../../common/duration';
import type { ScenarioInject } from '../schema';
import type { RuleContext } from './context';

export function checkAfterChains(ctx: RuleContext): void {
  const injects = ctx.scenario.msel?.injects ?? [];
  const byId = new Map(injects.map((inj) => [inj.id, inj]));
  const duration = parseDuration(ctx.scenario.metadata.duration) ?? 0;
  const start = parseClock(ctx.scenario.metadata.start) ?? 0;
  const memo = new Map<string, number | undefined>();
  const earliest = (inj: ScenarioInject, depth: number): number | undefined => {
    if (memo.has(inj.id)) return memo.get(inj.id);
    // Cycles are reported by the trigger rules; a chain longer than the MSEL is one.
    if (depth > injects.length) return undefined;
    memo.set(inj.id, undefined);
    const value = ownTime(inj, start) ?? afterTime(inj, byId, (p) => earliest(p, depth + 1));
    memo.set(inj.id, value);
    return value;
  };
  injects.forEach((inj, i) => {
    const parent = inj.trigger.after !== undefined ? byId.get(inj.trigger.after) : undefined;
    if (!parent) return;
    const at = earliest(inj, 0);
    const parentAt = earliest(parent, 0);
    // Report where the chain first leaves the exercise, not at every inject after it.
    if (at === undefined || parentAt === undefined || at <= duration || parentAt > duration) return;
    const path = ['msel', 'injects', i, 'trigger', inj.trigger.delay !== undefined ? 'delay' : 'after'];
    ctx.report(
      path,
      `\`${inj.id}\` fires at T+${formatDuration(at)} at the earliest (\`${parent.id}\` at T+${formatDuration(parentAt)}` +
        ` plus the delay), after the end of the exercise (${ctx.scenario.metadata.duration})`,
      'shorten the delay or an earlier step, or lengthen `metadata.duration`',
    );
  });
}

function ownTime(inj: ScenarioInject, start: number): number | undefined {
  const t = inj.trigger;
  if (t.at !== undefined) return t.at.includes('+') ? parseOffset(t.at) : (parseClock(t.at) ?? start) - start;
  if (t.cron !== undefined) return t.from !== undefined ? parseOffset(t.from) : 0;
  return undefined;
}

function afterTime(
  inj: ScenarioInject,
  byId: Map<string, ScenarioInject>,
  earliestOf: (parent: ScenarioInject) => number | undefined,
): number | undefined {
  const parent = inj.trigger.after !== undefined ? byId.get(inj.trigger.after) : undefined;
  if (!parent) return undefined;
  const base = earliestOf(parent);
  const delay = inj.trigger.delay !== undefined ? (parseDuration(inj.trigger.delay) ?? 0) : 0;
  return base === undefined ? undefined : base + delay;
}
