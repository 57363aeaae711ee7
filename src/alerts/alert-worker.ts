/**
 * The detection rules' evaluation in a worker thread: a big organisation's telemetry (thousands
 * of simulated hosts) costs seconds of CPU per scenario hour, which must not hold the event loop
 * the session runner's timers and the sockets share. The worker opens the database read-only,
 * keeps one evaluator per team, and answers each step with the alerts it raised; the main
 * thread writes them (keys make a re-evaluation after a worker restart harmless).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Plan } from '../compiler/plan';
import { buildTeamModel, type TeamModel } from '../engine/simulation/team-model';
import { TelemetryTable } from '../engine/store/telemetry-table';
import { TeamTelemetry } from '../engine/telemetry/team-telemetry';
import type { AlertStep, AlertStepReply, AlertWorkerData } from './alert-protocol';
import { DetectionEvaluator } from './detection-evaluator';

const data = workerData as AlertWorkerData;
const plan = data.plan as Plan;
const db = new Database(data.dbPath, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const table = new TelemetryTable(db);
const models = new Map<string, TeamModel>();
const evaluators = new Map<string, DetectionEvaluator>();

parentPort?.on('message', (step: AlertStep) => {
  const reply: AlertStepReply = { id: step.id, raised: [] };
  try {
    for (const { team, toMs } of step.targets) {
      let m = models.get(team);
      if (!m) {
        const tp = plan.teams.find((t) => t.id === team);
        if (!tp) continue;
        m = buildTeamModel(plan, tp, data.epochMs);
        models.set(team, m);
      }
      let ev = evaluators.get(team);
      if (!ev) {
        ev = new DetectionEvaluator(data.session, team, plan.detections ?? [], data.fromMs);
        evaluators.set(team, ev);
      }
      const to = Math.min(toMs, ev.position + step.maxSliceMs);
      if (to <= ev.position) continue;
      const t = new TeamTelemetry(m, table, data.session, () => toMs);
      for (const a of ev.advance(t, to)) reply.raised.push({ team, ...a, rule: a.rule.id });
    }
  } catch (e) {
    reply.error = (e as Error).message;
  }
  parentPort?.postMessage(reply);
});
