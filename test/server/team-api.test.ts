/**
 * The team's API: the inbox (messages injects delivered), structured reports written durably to
 * the event log before the 201, retries with an Idempotency-Key, and the team's own activity feed
 * (which never shows ground truth such as attack steps).
 */
import Database from 'better-sqlite3';
import { beaconStep, type Client, goodReport, type Harness, startHarness } from './support/harness';

let h: Harness;
let team: Client;

beforeEach(async () => {
  h = await startHarness();
  team = await h.login('team', 't01');
});
afterEach(async () => {
  await h.close();
});

describe('inbox', () => {
  it('lists the messages delivered to the team and to everyone, not those of other teams', async () => {
    h.append([
      {
        type: 'message.delivered',
        team: 't01',
        payload: {
          inject: 'soc-call',
          from: 'soc',
          sender: 'SOC duty analyst',
          subject: 'Suspicious periodic connections',
          body: 'update-check.example every 30 s',
          attachments: [{ name: 'proxy.log', contentType: 'text/plain', content: 'line1\nline2' }],
        },
      },
      {
        type: 'message.delivered',
        team: 't02',
        payload: {
          inject: 'soc-call',
          from: 'soc',
          sender: 'SOC',
          subject: 'not yours',
          body: '',
          attachments: [],
        },
      },
      {
        type: 'message.delivered',
        team: null,
        payload: {
          inject: 'report-due',
          from: 'management',
          sender: 'CIO',
          subject: 'to all',
          body: '',
          attachments: [],
        },
      },
    ]);
    const r = await team.req('GET', '/api/teams/t01/inbox');
    expect(r.status).toBe(200);
    expect(r.body.messages.map((m: { subject: string }) => m.subject)).toEqual([
      'Suspicious periodic connections',
      'to all',
    ]);
    expect(r.body.messages[0]).toMatchObject({
      from: 'soc',
      sender: 'SOC duty analyst',
      attachments: [{ name: 'proxy.log', contentType: 'text/plain', size: 11 }],
    });
    const a = await team.req('GET', `/api/teams/t01/inbox/${r.body.messages[0].id}/attachments/0`);
    expect(a.body).toBe('line1\nline2');
  });
});

describe('incident reports', () => {
  it('are in the event log, fsynced, when the 201 arrives', async () => {
    // A second connection, as another process would open it: it sees only committed data.
    const reader = new Database(h.dbPath, { readonly: true });
    try {
      const row = reader.prepare(
        "SELECT seq, team, type, payload FROM events WHERE type = 'report.submitted' AND seq = ?",
      );
      for (let i = 0; i < 20; i++) {
        const r = await team.req('POST', '/api/teams/t01/reports', goodReport({ title: `report ${i}` }));
        expect(r.status).toBe(201);
        const stored = row.get(r.body.report.id) as { team: string; payload: string } | undefined;
        expect(stored).toBeDefined();
        expect(stored!.team).toBe('t01');
        expect(JSON.parse(JSON.parse(stored!.payload).body)).toMatchObject({
          title: `report ${i}`,
          hosts: ['pc-victim'],
        });
      }
    } finally {
      reader.close();
    }
  });

  it('record who submitted them and give them back as submitted', async () => {
    const r = await team.req('POST', '/api/teams/t01/reports', goodReport());
    expect(r.body.report).toMatchObject({
      team: 't01',
      actor: 't01',
      kind: 'incident',
      to: 'management',
      title: 'Implant on pc-victim beaconing to C2',
      hosts: ['pc-victim'],
      indicators: ['update-check[.]example'],
      techniques: ['T1071.001'],
      timeline: [{ at: '10:03', text: 'beacon seen in proxy log' }],
    });
    const list = await team.req('GET', '/api/teams/t01/reports');
    expect(list.body.reports).toEqual([r.body.report]);
  });

  it('are written once when retried with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'draft-42-submit' };
    const first = await team.req('POST', '/api/teams/t01/reports', goodReport(), { headers });
    const again = await team.req('POST', '/api/teams/t01/reports', goodReport(), { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.report.id).toBe(first.body.report.id);
    expect((await team.req('GET', '/api/teams/t01/reports')).body.reports).toHaveLength(1);
    const bad = await team.req('POST', '/api/teams/t01/reports', goodReport(), {
      headers: { 'idempotency-key': 'no spaces!' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('header.idempotency-key');
  });
});

describe('when the database refuses writes', () => {
  it('answers 503 with a clear message, records nothing, and accepts the retry once writable', async () => {
    const before = h.store.read('test-session').length;
    h.store.db.pragma('query_only = ON');
    const refused = await team.req('POST', '/api/teams/t01/reports', goodReport(), {
      headers: { 'idempotency-key': 'retry-me-123' },
    });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('unavailable');
    expect(refused.body.error.message).toMatch(
      /^the exercise database refuses writes \(SQLITE_READONLY\) — nothing was recorded/,
    );
    expect(refused.headers.get('retry-after')).toBe('5');
    h.store.db.pragma('query_only = OFF');
    expect(h.store.read('test-session')).toHaveLength(before);
    const retried = await team.req('POST', '/api/teams/t01/reports', goodReport(), {
      headers: { 'idempotency-key': 'retry-me-123' },
    });
    expect(retried.status).toBe(201);
  });
});

describe('activity feed', () => {
  it('shows a team its messages, actions and reports, never ground truth; the white cell sees all', async () => {
    h.append([beaconStep('t01')]);
    h.append([
      {
        type: 'team.action',
        team: 't01',
        payload: { actor: 'bob', action: 'isolate', detail: { host: 'pc-victim' } },
      },
    ]);
    await team.req('POST', '/api/teams/t01/reports', goodReport());
    const mine = await team.req('GET', '/api/teams/t01/events');
    const types = mine.body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['team.action', 'report.submitted']));
    expect(types).not.toContain('attack.step');
    expect(types).not.toContain('team.joined');
    const evaluator = await h.login('evaluator');
    const all = await evaluator.req('GET', '/api/teams/t01/events');
    expect(all.body.events.map((e: { type: string }) => e.type)).toContain('attack.step');
    const page = await evaluator.req('GET', `/api/teams/t01/events?after=${all.body.events[0].seq}&limit=1`);
    expect(page.body.events).toHaveLength(1);
    expect(page.body.events[0].seq).toBe(all.body.events[1].seq);
  });
});
