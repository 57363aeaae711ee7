/**
 * The team's investigation API against a real server and a real session runner: telemetry
 * search with limits, host inventory, alerts raised by the quickstart's detection rules as the
 * clock runs (and pushed over socket.io), drafts that become reports, attachments checked and
 * kept per team.
 */
import { type Client, type Harness, nextEvent, startHarness } from '../server/support/harness';

const EPOCH = Date.UTC(2026, 0, 5, 10);
let h: Harness;
let t01: Client;
let t02: Client;
let controller: Client;

beforeAll(async () => {
  h = await startHarness({ runner: true });
  t01 = await h.login('team', 't01');
  t02 = await h.login('team', 't02');
  controller = await h.login('controller');
});

afterAll(async () => {
  await h.close();
});

describe('telemetry search', () => {
  it('searches yesterday afternoon with filters, paging and a histogram', async () => {
    const from = EPOCH - 4 * 3600_000;
    const to = EPOCH - 3 * 3600_000;
    const r = await t01.req('POST', '/api/teams/t01/telemetry/search', {
      from,
      to,
      filters: { 'event.action': 'proxy-request' },
      limit: 50,
      interval: 600_000,
    });
    expect(r.status).toBe(200);
    expect(r.body.records).toHaveLength(50);
    for (const rec of r.body.records) {
      expect(rec['event.action']).toBe('proxy-request');
      const ts = Date.parse(rec['@timestamp']);
      expect(ts).toBeGreaterThanOrEqual(from);
      expect(ts).toBeLessThan(to);
    }
    expect(r.body.histogram).toHaveLength(6);
    expect(r.body.nextCursor).toEqual(expect.any(String));
    const next = await t01.req('POST', '/api/teams/t01/telemetry/search', {
      from,
      to,
      filters: { 'event.action': 'proxy-request' },
      limit: 50,
      cursor: r.body.nextCursor,
    });
    expect(next.status).toBe(200);
    expect(Date.parse(next.body.records[0]['@timestamp'])).toBeGreaterThanOrEqual(
      Date.parse(r.body.records[49]['@timestamp']),
    );
    const text = JSON.stringify([r.body, next.body]);
    expect(text).not.toMatch(/trackable/i);
  });

  it('answers GET with filter.FIELD query parameters', async () => {
    const from = new Date(EPOCH - 8 * 3600_000).toISOString();
    const to = new Date(EPOCH - 6 * 3600_000).toISOString();
    const r = await t01.req(
      'GET',
      `/api/teams/t01/telemetry/search?from=${from}&to=${to}&filter.host.name=pc-pol-001&limit=20`,
    );
    expect(r.status).toBe(200);
    for (const rec of r.body.records) expect(rec['host.name']).toBe('pc-pol-001');
  });

  it('refuses searches over the limits, naming the field and the limit', async () => {
    const wide = await t01.req('POST', '/api/teams/t01/telemetry/search', { from: 0, to: EPOCH });
    expect(wide.status).toBe(422);
    expect(wide.body.error).toMatchObject({ field: 'body.to' });
    expect(wide.body.error.message).toMatch(/at most 24 h/);
    const big = await t01.req('POST', '/api/teams/t01/telemetry/search', {
      from: EPOCH - 1,
      to: EPOCH,
      limit: 5000,
    });
    expect(big.status).toBe(422);
    expect(big.body.error.field).toBe('body.limit');
    expect(big.body.error.message).toMatch(/500/);
    const buckets = await t01.req('POST', '/api/teams/t01/telemetry/search', {
      from: EPOCH - 86_400_000,
      to: EPOCH,
      interval: 60_000,
    });
    expect(buckets.status).toBe(422);
    expect(buckets.body.error.field).toBe('body.interval');
    const cursor = await t01.req('POST', '/api/teams/t01/telemetry/search', {
      from: EPOCH - 60_000,
      to: EPOCH,
      cursor: 'not-a-cursor',
    });
    expect(cursor.status).toBe(422);
    expect(cursor.body.error.field).toBe('body.cursor');
  });

  it("never reaches another team's telemetry", async () => {
    const r = await t01.req('POST', '/api/teams/t02/telemetry/search', { from: EPOCH - 60_000, to: EPOCH });
    expect(r.status).toBe(404);
    const g = await t02.req('GET', `/api/teams/t01/telemetry/search?from=${EPOCH - 60_000}&to=${EPOCH}`);
    expect(g.status).toBe(404);
  });
});

describe('hosts', () => {
  it('lists the organisation grouped by segment and role, paged, without attacker infrastructure', async () => {
    const r = await t01.req('GET', '/api/teams/t01/hosts?limit=50');
    expect(r.status).toBe(200);
    expect(r.body.hosts).toHaveLength(50);
    expect(r.body.nextCursor).toBe('50');
    expect(r.body.groups).toContainEqual({ segment: 'staff', role: 'workstation', count: 139 });
    expect(JSON.stringify(r.body)).not.toMatch(/"c2"|update-check/);
    const rest = await t01.req('GET', `/api/teams/t01/hosts?limit=500&cursor=${r.body.nextCursor}`);
    expect(rest.body.hosts.length + 50).toBe(r.body.total);
    const one = await t01.req('GET', '/api/teams/t01/hosts?q=pc-victim');
    expect(one.body.hosts).toEqual([
      expect.objectContaining({ name: 'pc-victim', state: 'up', segment: 'staff' }),
    ]);
    expect((await t01.req('GET', '/api/teams/t01/hosts/c2')).status).toBe(404);
    expect((await t01.req('GET', '/api/teams/t01/hosts?limit=0')).status).toBe(422);
  });

  it('details one host with its addresses', async () => {
    const r = await t01.req('GET', '/api/teams/t01/hosts/dc');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'dc', role: 'domain-controller', services: ['ldap', 'kerberos'] });
    expect(Array.isArray(r.body.recentActivity)).toBe(true);
  });
});

describe('alerts', () => {
  it('raises the beacon alert from the detection rules as the clock runs, and pushes it to the team', async () => {
    const socket = await t01.socket();
    const other = await t02.socket();
    const pushed = nextEvent<{ rule: string; group: string; team: string }>(
      socket,
      'alert:raised',
      (a) => a.rule === 'proxy-periodic-unknown-domain' && a.group.startsWith('pc-victim'),
      25_000,
    );
    const leaked: { team: string }[] = [];
    other.on('alert:raised', (a) => leaked.push(a));
    expect((await controller.req('POST', '/api/exercise/clock', { action: 'start' })).status).toBe(200);
    expect(
      (await controller.req('POST', '/api/exercise/clock', { action: 'speed', speed: 240 })).status,
    ).toBe(200);
    const alert = await pushed;
    expect(alert).toMatchObject({ team: 't01', severity: 'high', count: 4 });
    const list = await t01.req('GET', '/api/teams/t01/alerts');
    expect(list.status).toBe(200);
    const beacon = list.body.alerts.find(
      (a: { group?: string }) => a.group === 'pc-victim / update-check.example',
    );
    expect(beacon).toMatchObject({ rule: 'proxy-periodic-unknown-domain', count: 4 });
    expect(beacon.samples[0]['destination.domain']).toBe('update-check.example');
    expect(JSON.stringify(list.body)).not.toMatch(/trackable/i);
    expect(leaked.every((a) => a.team === 't02')).toBe(true);
    await controller.req('POST', '/api/exercise/clock', { action: 'speed', speed: 1 });
    // Deduplicated: one alert per burst, never a copy.
    const keys = list.body.alerts.map(
      (a: { rule: string; group?: string; firstMs: number }) => `${a.rule}/${a.group}/${a.firstMs}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect((await t01.req('GET', '/api/teams/t01/alerts?severity=urgent')).status).toBe(422);
    socket.disconnect();
    other.disconnect();
  }, 40_000);
});

describe('drafts', () => {
  it('saves, updates with a revision guard, and submits a draft as a report (idempotently)', async () => {
    const created = await t01.req('POST', '/api/teams/t01/drafts', { kind: 'incident', title: 'Beacon' });
    expect(created.status).toBe(201);
    const id = created.body.draft.id;
    expect(created.body.draft).toMatchObject({ revision: 1, body: { kind: 'incident', title: 'Beacon' } });
    const updated = await t01.req(
      'PUT',
      `/api/teams/t01/drafts/${id}`,
      { kind: 'incident', to: 'management', title: 'Implant on pc-victim', hosts: ['pc-victim'] },
      { headers: { 'if-match': '1' } },
    );
    expect(updated.status).toBe(200);
    expect(updated.body.draft.revision).toBe(2);
    const stale = await t01.req(
      'PUT',
      `/api/teams/t01/drafts/${id}`,
      { title: 'x' },
      { headers: { 'if-match': '1' } },
    );
    expect(stale.status).toBe(409);
    expect((await t02.req('GET', `/api/teams/t01/drafts/${id}`)).status).toBe(404);
    expect((await t02.req('GET', '/api/teams/t02/drafts')).body.drafts).toEqual([]);
    const submitted = await t01.req('POST', `/api/teams/t01/drafts/${id}/submit`, {});
    expect(submitted.status).toBe(201);
    expect(submitted.body.report).toMatchObject({ title: 'Implant on pc-victim', hosts: ['pc-victim'] });
    const again = await t01.req('POST', `/api/teams/t01/drafts/${id}/submit`, {});
    expect(again.status).toBe(200);
    expect(again.body.report.id).toBe(submitted.body.report.id);
    const reports = await t01.req('GET', '/api/teams/t01/reports');
    expect(
      reports.body.reports.filter((r: { id: number }) => r.id === submitted.body.report.id),
    ).toHaveLength(1);
    expect((await t01.req('PUT', `/api/teams/t01/drafts/${id}`, { title: 'late' })).status).toBe(409);
  });

  it('refuses to submit an incomplete draft, naming the missing field', async () => {
    const d = await t01.req('POST', '/api/teams/t01/drafts', { narrative: 'notes so far' });
    const r = await t01.req('POST', `/api/teams/t01/drafts/${d.body.draft.id}/submit`, {});
    expect(r.status).toBe(422);
    expect(r.body.error.field).toMatch(/^body\.(kind|title)$/);
  });
});

describe('attachments', () => {
  it('stores a checked attachment for the team and serves it back to the same team only', async () => {
    const content = Buffer.from('10:03:12 pc-victim GET http://update-check.example/\n');
    const r = await t01.req('POST', '/api/teams/t01/attachments', {
      name: 'proxy-excerpt.txt',
      contentType: 'text/plain',
      content: content.toString('base64'),
    });
    expect(r.status).toBe(201);
    expect(r.body.attachment).toMatchObject({ name: 'proxy-excerpt.txt', size: content.length });
    const id = r.body.attachment.id;
    const back = await fetch(`${h.url}/api/teams/t01/attachments/${id}`, { headers: { cookie: t01.cookie } });
    expect(back.status).toBe(200);
    expect(Buffer.from(await back.arrayBuffer())).toEqual(content);
    expect(back.headers.get('content-disposition')).toMatch(/attachment/);
    expect((await t02.req('GET', `/api/teams/t01/attachments/${id}`)).status).toBe(404);
    expect((await t02.req('GET', `/api/teams/t02/attachments/${id}`)).status).toBe(404);
    expect((await controller.req('GET', `/api/teams/t01/attachments/${id}`)).status).toBe(200);
  });

  it('refuses bytes that are not the declared type, unknown types and oversized content', async () => {
    const fake = await t01.req('POST', '/api/teams/t01/attachments', {
      name: 'shot.png',
      contentType: 'image/png',
      content: Buffer.from('MZ\x90\x00 not a png').toString('base64'),
    });
    expect(fake.status).toBe(422);
    expect(fake.body.error.field).toBe('body.content');
    const exe = await t01.req('POST', '/api/teams/t01/attachments', {
      name: 'tool.exe',
      contentType: 'application/x-msdownload',
      content: 'TVo=',
    });
    expect(exe.status).toBe(422);
    expect(exe.body.error.field).toBe('body.contentType');
    const big = await t01.req('POST', '/api/teams/t01/attachments', {
      name: 'big.txt',
      contentType: 'text/plain',
      content: Buffer.alloc(45 * 1024, 0x41).toString('base64'),
    });
    expect([413, 422]).toContain(big.status);
  });
});
