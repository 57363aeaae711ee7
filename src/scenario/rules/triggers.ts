/**
 * Trigger rules: one kind per trigger, times inside the exercise, cron that parses, references
 * to injects and expectations that exist, and no cycle of `after` dependencies.
 */
import { CronExpressionParser } from 'cron-parser';
import { parseClock, parseDuration, parseOffset } from '../../common/duration';
import type { ScenarioTrigger } from '../schema';
import type { PathSegment } from '../source';
import type { RuleContext } from './context';

export function checkTriggers(ctx: RuleContext): void {
  const injects = ctx.scenario.msel?.injects ?? [];
  const duration = parseDuration(ctx.scenario.metadata.duration) ?? 0;
  const start = parseClock(ctx.scenario.metadata.start) ?? 0;
  injects.forEach((inj, i) => {
    checkTrigger(ctx, inj.trigger, ['msel', 'injects', i, 'trigger'], duration, start);
  });
  checkCycles(ctx);
  const freeze = ctx.scenario.scoring.freeze;
  if (freeze !== undefined && (parseOffset(freeze) ?? 0) > duration) {
    ctx.report(
      ['scoring', 'freeze'],
      `score freeze at ${freeze} is after the end of the exercise (${ctx.scenario.metadata.duration})`,
      'freeze before the end, or remove it',
    );
  }
}

function checkTrigger(
  ctx: RuleContext,
  t: ScenarioTrigger,
  path: PathSegment[],
  duration: number,
  start: number,
): void {
  const kinds = (['at', 'cron', 'manual', 'after'] as const).filter((k) => t[k] !== undefined);
  if (kinds.length !== 1) {
    ctx.report(
      path,
      kinds.length === 0
        ? 'trigger says nothing about when'
        : `trigger mixes ${kinds.map((k) => `\`${k}\``).join(' and ')}`,
      'use exactly one of `at`, `cron`, `manual` or `after`',
    );
    return;
  }
  if ((t.on !== undefined || t.delay !== undefined) && t.after === undefined) {
    ctx.report(
      [...path, t.on !== undefined ? 'on' : 'delay'],
      `\`${t.on !== undefined ? 'on' : 'delay'}\` only goes with \`after\``,
      'remove it or use `after: <inject>`',
    );
  }
  if ((t.from !== undefined || t.until !== undefined) && t.cron === undefined) {
    ctx.report(
      [...path, t.from !== undefined ? 'from' : 'until'],
      '`from`/`until` only go with `cron`',
      'remove them or use `cron:`',
    );
  }
  if (t.at !== undefined) {
    const at = t.at.includes('+') ? parseOffset(t.at) : relativeClock(parseClock(t.at), start);
    if (at !== undefined && (at < 0 || at > duration)) {
      ctx.report(
        [...path, 'at'],
        `\`${t.at}\` is outside the exercise (${ctx.scenario.metadata.start} + ${ctx.scenario.metadata.duration})`,
        'pick a time between the start and the end',
      );
    }
  }
  if (t.cron !== undefined) checkCron(ctx, t, path, duration);
  if (t.after !== undefined && !ctx.injects.has(t.after))
    ctx.unknown([...path, 'after'], 'inject', t.after, ctx.injects);
  if (t.if !== undefined) checkCondition(ctx, t.if, [...path, 'if']);
}

function relativeClock(clock: number | undefined, start: number): number | undefined {
  return clock === undefined ? undefined : clock - start;
}

function checkCron(ctx: RuleContext, t: ScenarioTrigger, path: PathSegment[], duration: number): void {
  const fields = t.cron!.trim().split(/\s+/);
  if (fields.length !== 5) {
    ctx.report(
      [...path, 'cron'],
      `cron \`${t.cron}\` has ${fields.length} fields, not 5`,
      'write minute hour day-of-month month day-of-week, e.g. `*/10 * * * *`',
    );
    return;
  }
  try {
    CronExpressionParser.parse(t.cron!, { currentDate: new Date(0), tz: 'UTC' });
  } catch (e) {
    ctx.report(
      [...path, 'cron'],
      `cron \`${t.cron}\` does not parse: ${(e as Error).message}`,
      'e.g. `*/10 * * * *` for every ten minutes',
    );
  }
  const from = t.from !== undefined ? parseOffset(t.from) : 0;
  const until = t.until !== undefined ? parseOffset(t.until) : duration;
  if (from !== undefined && until !== undefined && from >= until)
    ctx.report([...path, 'until'], '`until` must come after `from`', 'swap them');
  if (until !== undefined && until > duration)
    ctx.report(
      [...path, 'until'],
      `\`until: ${t.until}\` is after the end of the exercise`,
      `use at most +${ctx.scenario.metadata.duration}`,
    );
}

export function checkCondition(ctx: RuleContext, cond: unknown, path: PathSegment[]): void {
  const c = cond as Record<string, unknown>;
  if ('expectation' in c && !ctx.expectations.has(String(c.expectation)))
    ctx.unknown([...path, 'expectation'], 'expectation', String(c.expectation), ctx.expectations);
  if ('inject' in c && !ctx.injects.has(String(c.inject)))
    ctx.unknown([...path, 'inject'], 'inject', String(c.inject), ctx.injects);
  for (const key of ['all', 'any'] as const) {
    if (Array.isArray(c[key]))
      (c[key] as unknown[]).forEach((sub, i) => {
        checkCondition(ctx, sub, [...path, key, i]);
      });
  }
  if (c.not !== undefined) checkCondition(ctx, c.not, [...path, 'not']);
}

/** Depth-first search over `after` edges; each cycle is reported once, at the inject that closes it. */
function checkCycles(ctx: RuleContext): void {
  const injects = ctx.scenario.msel?.injects ?? [];
  const index = new Map(injects.map((inj, i) => [inj.id, i]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, chain: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...chain.slice(chain.indexOf(id)), id];
      ctx.report(
        ['msel', 'injects', index.get(chain[chain.length - 1]!)!, 'trigger', 'after'],
        `inject dependency cycle: ${cycle.join(' → ')}`,
        'one of these injects must start from a time or be manual',
      );
      return;
    }
    state.set(id, 'visiting');
    const after = injects[index.get(id)!]?.trigger.after;
    if (after !== undefined && index.has(after)) visit(after, [...chain, id]);
    state.set(id, 'done');
  };
  for (const inj of injects) visit(inj.id, []);
}
