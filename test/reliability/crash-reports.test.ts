/**
 * `kill -9` of `cyrange serve` while several logged-in HTTP clients submit incident reports, save
 * drafts and take response actions concurrently (and injects fire), at seeded random moments. After
 * each restart: every request that got a 2xx is in the database exactly once; a request that got
 * no answer is either wholly there (its body intact) or absent — never half-written; and retrying
 * it with the same Idempotency-Key records it exactly once (201 if it was lost, 200 if it was kept).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEvent, type StoredEvent } from '../../src/engine/events/event-types';
import { EventStore } from '../../src/engine/store/event-store';
import { type Client, goodReport } from '../server/support/harness';
import { simulatedYaml, writeScenario } from './support/crash-fixtures';
import { seededRandom, sleep } from './support/crash-process';
import { type Served, startServe } from './support/crash-serve';
import { budgetMs, repeats } from './support/scale';

const KILLS = repeats(4, 40);
/** Concurrent clients per team (two teams). */
const WORKERS = 3;
const SESSION = 'crash-reports';
const TEAMS = ['t01', 't02'];
const dir = mkdtempSync(join(tmpdir(), 'cyrange-crash-reports-'));
const db = join(dir, 'events.db');
const file = writeScenario(dir, 'crash-reports.yaml', simulatedYaml(200, 20));
let serve: Served | undefined;

afterAll(async () => {
  if (serve) await serve.cli.kill9();
  rmSync(dir, { recursive: true, force: true });
});

type Kind = 'report' | 'draft' | 'action';
interface Sent {
  kind: Kind;
  team: string;
  key: string;
  /** HTTP status, or undefined when the server died before answering. */
  status?: number;
  /** The report's seq, the draft's id or the action's id from a 2xx. */
  id?: number | string;
}

/** The narrative of report `key`: long enough to span several pages, checkable byte for byte. */
function narrativeOf(key: string): string {
  return `${key} `.repeat(Math.ceil(6000 / (key.length + 1)));
}

async function send(client: Client, team: string, kind: Kind, key: string): Promise<Sent> {
  const sent: Sent = { kind, team, key };
  try {
    const r =
      kind === 'report'
        ? await client.req(
            'POST',
            `/api/teams/${team}/reports`,
            goodReport({ title: key, narrative: narrativeOf(key) }),
            {
              headers: { 'idempotency-key': key },
            },
          )
        : kind === 'draft'
          ? await client.req('POST', `/api/teams/${team}/drafts`, { title: key, narrative: key })
          : await client.req('POST', `/api/teams/${team}/actions`, {
              action: 'proxy.block',
              domain: `${key.replace(/[^a-z0-9]/g, '')}.crash.example`,
              reason: key,
            });
    sent.status = r.status;
    if (r.status < 300) sent.id = r.body.report?.id ?? r.body.draft?.id ?? r.body.action?.id;
  } catch {
    // The connection died with the server: no answer.
  }
  return sent;
}

/** One worker: report, draft, action, report… until `stop()` says so (bounded by count too). */
async function worker(
  client: Client,
  team: string,
  tag: string,
  stop: () => boolean,
  out: Sent[],
): Promise<void> {
  const kinds: Kind[] = ['report', 'report', 'action', 'draft'];
  for (let n = 0; n < 2000 && !stop(); n++) {
    // Drafts are capped at 50 per team: only the first worker of a team makes them.
    const kind = kinds[n % kinds.length]!;
    if (kind === 'draft' && !tag.endsWith('w0')) continue;
    out.push(await send(client, team, kind, `${tag}-${n}`));
  }
}

function reportsByTitle(log: StoredEvent[]): Map<string, StoredEvent[]> {
  const byTitle = new Map<string, StoredEvent[]>();
  for (const e of log) {
    if (!isEvent(e, 'report.submitted')) continue;
    const body = JSON.parse(e.payload.body) as { title: string; narrative: string };
    // A half-written report would not parse, or would carry a truncated narrative.
    expect([body.title, body.narrative === narrativeOf(body.title)]).toEqual([body.title, true]);
    byTitle.set(body.title, [...(byTitle.get(body.title) ?? []), e]);
  }
  return byTitle;
}

test(
  `serve killed -9 at ${KILLS} random moments under concurrent reports, drafts and actions loses nothing acknowledged`,
  async () => {
    const rnd = seededRandom('crash-reports');
    const started = Date.now();
    const sent: Sent[] = [];
    const args = ['--db', db, '--session', SESSION, '--start', '--speed', '60'];
    for (let round = 0; round < KILLS; round++) {
      serve = await startServe(file, args, 120_000);
      const clients = await Promise.all(TEAMS.map((t) => serve!.join(t)));
      let killed = false;
      const round0 = sent.length;
      const workers = TEAMS.flatMap((team, i) =>
        Array.from({ length: WORKERS }, (_, w) =>
          worker(clients[i]!, team, `k${round}-${team}-w${w}`, () => killed, sent),
        ),
      );
      const killAt = rnd.int(200, 1500);
      await sleep(killAt);
      // Workers send nothing new from now on; the requests in flight die with the server.
      killed = true;
      await serve.cli.kill9();
      serve = undefined;
      await Promise.all(workers);
      const mine = sent.slice(round0);
      process.stdout.write(
        `round ${round}: kill -9 at ${killAt} ms; ${mine.filter((s) => (s.status ?? 999) < 300).length} acknowledged, ` +
          `${mine.filter((s) => s.status === undefined).length} unanswered\n`,
      );
    }

    // Straight after the last kill, from the database alone.
    const acked = sent.filter((s) => s.status !== undefined && s.status < 300);
    const unanswered = sent.filter((s) => s.status === undefined);
    expect(sent.filter((s) => s.status !== undefined && s.status >= 300 && s.kind !== 'draft')).toEqual([]);
    const store = new EventStore(db);
    let keptUnanswered = 0;
    try {
      const log = store.read(SESSION);
      const byTitle = reportsByTitle(log);
      for (const s of acked.filter((x) => x.kind === 'report')) {
        expect([s.key, (byTitle.get(s.key) ?? []).map((e) => e.seq)]).toEqual([s.key, [s.id]]);
      }
      for (const s of unanswered.filter((x) => x.kind === 'report')) {
        const n = (byTitle.get(s.key) ?? []).length;
        expect([s.key, n <= 1]).toEqual([s.key, true]);
        keptUnanswered += n;
      }
      const bySeq = new Map(log.map((e) => [e.seq, e]));
      for (const s of acked.filter((x) => x.kind === 'action')) {
        const e = bySeq.get(s.id as number);
        expect([
          s.key,
          e?.type,
          (e?.payload as { detail?: { input?: { reason?: string } } })?.detail?.input?.reason,
        ]).toEqual([s.key, 'team.action', s.key]);
      }
      const actionReasons = log
        .filter((e) => isEvent(e, 'team.action'))
        .map((e) => (e.payload as { detail?: { input?: { reason?: string } } }).detail?.input?.reason);
      for (const s of acked.filter((x) => x.kind === 'action'))
        expect([s.key, actionReasons.filter((r) => r === s.key).length]).toEqual([s.key, 1]);
      for (const s of unanswered.filter((x) => x.kind === 'action'))
        expect([s.key, actionReasons.filter((r) => r === s.key).length <= 1]).toEqual([s.key, true]);
    } finally {
      store.close();
    }

    // Restart once more: acknowledged drafts are there; every unanswered report retried with its
    // Idempotency-Key is recorded exactly once.
    serve = await startServe(file, args, 120_000);
    const clients = await Promise.all(TEAMS.map((t) => serve!.join(t)));
    for (const [i, team] of TEAMS.entries()) {
      const drafts = (await clients[i]!.req('GET', `/api/teams/${team}/drafts`)).body.drafts as {
        id: string;
        body: { title?: string };
      }[];
      const byId = new Map(drafts.map((d) => [d.id, d.body.title]));
      for (const s of acked.filter((x) => x.kind === 'draft' && x.team === team))
        expect([s.key, byId.get(s.id as string)]).toEqual([s.key, s.key]);
      const titles = drafts.map((d) => d.body.title);
      for (const s of sent.filter((x) => x.kind === 'draft' && x.team === team))
        expect([s.key, titles.filter((t) => t === s.key).length <= 1]).toEqual([s.key, true]);
    }
    let retried201 = 0;
    let retried200 = 0;
    for (const s of unanswered.filter((x) => x.kind === 'report')) {
      const again = await send(clients[TEAMS.indexOf(s.team)]!, s.team, 'report', s.key);
      expect([s.key, again.status === 201 || again.status === 200]).toEqual([s.key, true]);
      if (again.status === 201) retried201++;
      else retried200++;
    }
    expect(retried200).toBe(keptUnanswered);
    await serve.cli.kill9();
    serve = undefined;
    const final = new EventStore(db);
    try {
      const byTitle = reportsByTitle(final.read(SESSION));
      for (const s of sent.filter((x) => x.kind === 'report'))
        expect([s.key, (byTitle.get(s.key) ?? []).length]).toEqual([s.key, 1]);
    } finally {
      final.close();
    }
    const count = (k: Kind) => acked.filter((s) => s.kind === k).length;
    process.stdout.write(
      `crash-reports: ${KILLS} kills, ${sent.length} requests: ${count('report')} reports, ${count('draft')} drafts, ` +
        `${count('action')} actions acknowledged and found once; ${unanswered.length} unanswered ` +
        `(${keptUnanswered} reports kept whole, ${retried201} lost and recorded on retry); ${Date.now() - started} ms\n`,
    );
  },
  budgetMs(KILLS, 6000, 60_000),
);
