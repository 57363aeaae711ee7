import type { InjectPlan, Plan } from '../../../src/compiler/plan';
import { smallPlan, storyInjects } from '../fixtures';

/** The crash test's exercise: dense one-shot injects, a cron beacon and live file drops. */
export const CRASH_COMPRESSION = 30;
/** The controller speeds the clock up to ×45 at T+120 and pauses it for 300 ms at T+200. */
export const CRASH_FASTER = 45;
export const CRASH_SPEED_AT = 120;
export const CRASH_PAUSE_AT = 200;
export const CRASH_ONE_SHOTS = 270;
/** Scenario seconds between one-shot injects (about 67 ms of wall time at ×30). */
export const CRASH_STEP = 2;
export const CRASH_END = 10 + CRASH_ONE_SHOTS * CRASH_STEP + 30;
export const CRASH_EPOCH = Date.UTC(2026, 10, 26, 1, 0, 0);

export function crashPlan(): Plan {
  const base = storyInjects()[5]!;
  const injects: InjectPlan[] = [];
  for (let i = 0; i < CRASH_ONE_SHOTS; i++) {
    const at = 10 + i * CRASH_STEP;
    injects.push({
      ...base,
      id: `step-${i}`,
      trigger: { kind: 'offset', at },
      attack: i % 5 === 0 ? { tactic: 'execution', technique: 'T1059' } : undefined,
      action:
        i % 10 === 0
          ? { type: 'file', host: 'web01', path: `/drop/step-${i}.txt`, content: `step ${i}\n`, mode: '0644' }
          : i % 3 === 0
            ? {
                type: 'telemetry',
                events: [
                  {
                    kind: 'proxy',
                    host: 'pc-0001',
                    offset: 0,
                    count: 2,
                    every: 1,
                    fields: { 'destination.domain': 'c2.evil.example' },
                  },
                ],
              }
            : {
                type: 'message',
                from: 'soc',
                sender: 'SOC',
                subject: `step ${i}`,
                body: 'alert',
                attachments: [],
              },
    });
  }
  injects.push({
    ...base,
    id: 'beacon',
    trigger: { kind: 'cron', expression: '* * * * *', from: 0, until: CRASH_END },
  });
  const plan = smallPlan({ injects, compression: CRASH_COMPRESSION });
  for (const t of plan.teams) for (const h of t.hosts) if (h.name === 'web01') h.fidelity = 'live';
  return plan;
}
