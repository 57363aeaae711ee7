/**
 * A telemetry search worker thread: opens the exercise database read-only, builds each team's
 * model on first use, and answers one search (page and optional histogram) per message. The
 * main thread validates queries and decides "now"; nothing here can write.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Plan } from '../../compiler/plan';
import { foldResponseEffects } from '../../engine/simulation/response-effects';
import { buildTeamModel, type TeamModel } from '../../engine/simulation/team-model';
import { TelemetryTable } from '../../engine/store/telemetry-table';
import { TeamTelemetry } from '../../engine/telemetry/team-telemetry';
import type { SearchJob, SearchReply, SearchWorkerData } from './search-protocol';

const data = workerData as SearchWorkerData;
const db = new Database(data.dbPath, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const table = new TelemetryTable(db);
const models = new Map<string, TeamModel>();
const plan = data.plan as Plan;

function model(team: string): TeamModel | undefined {
  let m = models.get(team);
  if (m) return m;
  const tp = plan.teams.find((t) => t.id === team);
  if (!tp) return undefined;
  m = buildTeamModel(plan, tp, data.epochMs);
  models.set(team, m);
  return m;
}

parentPort?.on('message', (job: SearchJob) => {
  let reply: SearchReply;
  try {
    const m = model(job.team);
    if (!m) throw new Error(`no team "${job.team}"`);
    const effects = foldResponseEffects(job.actions ?? [], job.team, data.epochMs);
    const t = new TeamTelemetry(m, table, data.session, () => job.nowMs, effects);
    const started = performance.now();
    const page = t.search(job.query);
    const histogram = job.interval ? t.histogram(job.query, job.interval) : undefined;
    reply = {
      id: job.id,
      ok: true,
      page,
      ...(histogram ? { histogram } : {}),
      tookMs: performance.now() - started,
    };
  } catch (e) {
    reply = { id: job.id, ok: false, message: (e as Error).message };
  }
  parentPort?.postMessage(reply);
});
