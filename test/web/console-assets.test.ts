/**
 * How the console's build is served, without a browser (real build, real express server on
 * loopback, raw HTTP so compression is seen as sent): only /terminal names xterm.js's chunk, and
 * the staff pages name their own; assets go out gzip-compressed when the client accepts it, plain
 * otherwise, with `Vary` and year-long immutable caching; the shell carries the session's epoch
 * and clock.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import express from 'express';
import { installWebConsole } from '../../src/server/web/web-console';
import { quickstartPlan, SESSION } from '../server/support/harness';
import { buildWeb } from './support/web-harness';

const EPOCH = Date.UTC(2026, 0, 5, 10);
let dir: string;
let webRoot: string;
let server: Server;
let base: string;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer in 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** The asset paths a shell names (scripts, module preloads, style sheets). */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cyrange-assets-'));
  webRoot = join(dir, 'web');
  buildWeb(webRoot);
  const app = express();
  const clock = { status: 'running' as const, anchorWall: 1_000, anchorScenario: 120, compression: 10 };
  installWebConsole(app, {
    plan: quickstartPlan(),
    session: SESSION,
    root: webRoot,
    time: () => ({ epochMs: EPOCH, clock }),
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

it('loads xterm.js only on the terminal page', async () => {
  const team = (await get('/team')).body.toString();
  const terminal = (await get('/terminal')).body.toString();
  const teamAssets = assetsOf(team);
  const extra = assetsOf(terminal).filter((a) => !teamAssets.includes(a));
  expect(extra.some((a) => a.endsWith('.js'))).toBe(true);
  expect(extra.some((a) => a.endsWith('.css'))).toBe(true);
  const text = (name: string) => readFileSync(join(webRoot, 'assets', name), 'utf8');
  // xterm.js's own helper element class: in the terminal's chunk, in nothing the team page loads.
  expect(extra.filter((a) => a.endsWith('.js')).some((a) => text(a).includes('xterm-helper-textarea'))).toBe(
    true,
  );
  for (const a of teamAssets) expect(text(a)).not.toContain('xterm-helper-textarea');
  // The staff pages come apart too: the controller's and the review's own chunks are not the team's.
  for (const staff of ['/controller', '/review']) {
    const own = assetsOf((await get(staff)).body.toString()).filter((a) => !teamAssets.includes(a));
    expect(own.filter((a) => a.endsWith('.js'))).not.toEqual([]);
  }
  const teamBytes = teamAssets.reduce((n, a) => n + text(a).length, 0);
  const terminalBytes = assetsOf(terminal).reduce((n, a) => n + text(a).length, 0);
  expect(teamBytes).toBeLessThan(terminalBytes / 2);
});

it('sends gzip to clients that accept it, plain to others, cacheable for good', async () => {
  const js = assetsOf((await get('/team')).body.toString()).find(
    (a) => a.startsWith('app-') && a.endsWith('.js'),
  )!;
  const plain = readFileSync(join(webRoot, 'assets', js));
  const zipped = await get(`/assets/${js}`, { 'accept-encoding': 'gzip, deflate, br' });
  expect(zipped.status).toBe(200);
  expect(zipped.headers['content-encoding']).toBe('gzip');
  expect(zipped.headers.vary).toBe('Accept-Encoding');
  expect(zipped.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(zipped.headers['content-type']).toMatch(/^text\/javascript/);
  expect(zipped.body.length).toBeLessThan(plain.length / 2);
  expect(gunzipSync(zipped.body).equals(plain)).toBe(true);

  const identity = await get(`/assets/${js}`, { 'accept-encoding': 'identity' });
  expect(identity.headers['content-encoding']).toBeUndefined();
  expect(identity.headers.vary).toBe('Accept-Encoding');
  expect(identity.body.equals(plain)).toBe(true);
  const refused = await get(`/assets/${js}`, { 'accept-encoding': 'gzip;q=0' });
  expect(refused.headers['content-encoding']).toBeUndefined();

  const head = await get(`/assets/${js}`, { 'accept-encoding': 'gzip' }, 'HEAD');
  expect(head.status).toBe(200);
  expect(head.body.length).toBe(0);
  expect(Number(head.headers['content-length'])).toBe(zipped.body.length);
  expect((await get('/assets/app-NOPE.js')).status).toBe(404);
  expect((await get(`/assets/${js}.gz`)).status).toBe(404);
});

it("puts the session's epoch and the clock as served into every page's boot data", async () => {
  const before = Date.now();
  const html = (await get('/scoreboard')).body.toString();
  const boot = JSON.parse(/id="cyrange-boot">(.*?)<\/script>/.exec(html)![1]!);
  expect(boot.epochMs).toBe(EPOCH);
  expect(boot.clock).toMatchObject({
    status: 'running',
    anchorWall: 1_000,
    anchorScenario: 120,
    compression: 10,
  });
  expect(boot.clock.serverNow).toBeGreaterThanOrEqual(before);
  expect(boot.clock.serverNow).toBeLessThanOrEqual(Date.now());
});
