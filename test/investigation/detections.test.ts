/**
 * Detection rules: the closed matcher set, thresholds per group within a window, results that do
 * not depend on how time is sliced, and the worker thread raising exactly what the inline
 * evaluation raises.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertMonitor } from '../../src/alerts/alert-monitor';
import { DetectionEvaluator } from '../../src/alerts/detection-evaluator';
import { compileMatcher } from '../../src/alerts/detection-matcher';
import { loadPlan } from '../../src/cli/load-plan';
import type { DetectionPlan } from '../../src/compiler/plan';
import type { EngineEvent } from '../../src/engine/events/event-types';
import { SessionRunner } from '../../src/engine/session/session-runner';
import { buildTeamModel } from '../../src/engine/simulation/team-model';
import { EventStore } from '../../src/engine/store/event-store';
import { TelemetryTable } from '../../src/engine/store/telemetry-table';
import { TeamTelemetry } from '../../src/engine/telemetry/team-telemetry';

const rule = (
  match: DetectionPlan['match'],
  threshold = { count: 1, within: 300, by: [] as string[] },
): DetectionPlan => ({
  id: 'r',
  title: 'r',
  severity: 'low',
  source: 'ids',
  match,
  threshold,
});
const c = (field: string, op: Partial<DetectionPlan['match'][number]>) => ({ field, not: false, ...op });

describe('matcher', () => {
  it('applies equals, in, contains, cidr, regex and not', () => {
    const m = compileMatcher(
      rule([
        c('event.action', { equals: 'proxy-request' }),
        c('destination.domain', { in: ['www.google.com'], not: true }),
        c('url.full', { contains: 'CHECK' }),
        c('source.ip', { cidr: '10.10.16.0/22' }),
        c('user.agent', { regex: '^curl/' }),
      ]),
    );
    const hit = {
      'event.action': 'proxy-request',
      'destination.domain': 'evil.example',
      'url.full': 'http://evil.example/check',
      'source.ip': '10.10.19.7',
      'user.agent': 'curl/8.0',
    };
    expect(m(hit)).toBe(true);
    expect(m({ ...hit, 'destination.domain': 'www.google.com' })).toBe(false);
    expect(m({ ...hit, 'source.ip': '10.10.20.1' })).toBe(false);
    expect(m({ ...hit, 'user.agent': 'Mozilla' })).toBe(false);
    const { 'url.full': _gone, ...missing } = hit;
    expect(m(missing)).toBe(false);
  });
});

const plan = loadPlan(join(__dirname, '../../scenarios/quickstart.yaml'), { fidelity: 'simulated' });
const EPOCH = Date.UTC(2026, 0, 5, 1);
const NOW = EPOCH + 10 * 3600_000;

describe('evaluator', () => {
  const store = new EventStore(':memory:');
  const table = new TelemetryTable(store.db);
  const model = buildTeamModel(plan, plan.teams[0]!, EPOCH);
  const telemetry = new TeamTelemetry(model, table, 's', () => NOW);
  afterAll(() => store.close());

  it('raises the same alerts however time is sliced, per group, once per burst', () => {
    const rules = plan.detections!;
    const whole = new DetectionEvaluator('s', 't01', rules, EPOCH).advance(telemetry, NOW);
    const sliced = new DetectionEvaluator('s', 't01', rules, EPOCH);
    const pieces = [];
    for (let t = EPOCH + 7 * 60_000; t <= NOW; t += 7 * 60_000) pieces.push(...sliced.advance(telemetry, t));
    pieces.push(...sliced.advance(telemetry, NOW));
    expect(pieces.map((a) => a.key)).toEqual(whole.map((a) => a.key));
    expect(whole.length).toBeGreaterThan(0);
    // The licence checker (a decoy) calls home every 5 minutes: 4 within 20 minutes is an alert.
    const licence = whole.filter((a) => a.group === 'pc-adm-012 / license.toolvendor.example');
    expect(licence.length).toBeGreaterThanOrEqual(1);
    for (const a of licence) expect(a.count).toBe(4);
    expect(new Set(whole.map((a) => a.key)).size).toBe(whole.length);
  });
});

describe('worker thread', () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('raises exactly what the inline evaluation raises', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cyrange-alerts-'));
    const store = new EventStore(join(dir, 'x.db'));
    SessionRunner.create(store, { id: 's', plan, scenarioEpochMs: EPOCH });
    const table = new TelemetryTable(store.db);
    const models = new Map(plan.teams.map((t) => [t.id, buildTeamModel(plan, t, EPOCH)]));
    const run = async (worker: boolean) => {
      const written: EngineEvent[] = [];
      const m = new AlertMonitor({
        session: 's',
        teams: plan.teams.map((t) => t.id),
        rules: plan.detections!,
        fromMs: () => EPOCH,
        nowMs: () => NOW,
        telemetryOf: (t) => new TeamTelemetry(models.get(t)!, table, 's', () => NOW),
        write: (e) => written.push(...e),
        lagMs: 0,
        maxSliceMs: 3600_000,
        ...(worker
          ? {
              worker: {
                data: () => ({
                  dbPath: join(dir, 'x.db'),
                  session: 's',
                  plan,
                  epochMs: EPOCH,
                  fromMs: EPOCH,
                }),
                execArgv: ['--require', join(__dirname, '../support/register-ts.js')],
              },
            }
          : {}),
      });
      for (let i = 0; i < 40 && (worker ? m.stats.ticks < 22 : i < 11); i++) {
        m.tick();
        if (worker) await new Promise((r) => setTimeout(r, 500));
      }
      m.stop();
      return written.map((e) => e.key).sort();
    };
    const inline = await run(false);
    const threaded = await run(true);
    expect(inline.length).toBeGreaterThan(0);
    expect(threaded).toEqual(inline);
    store.close();
  }, 60_000);
});
