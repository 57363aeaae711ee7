/**
 * First load of every console page in Debian's Chromium (playwright-core), on loopback with an
 * empty browser cache: bytes over the wire (shell, scripts, style sheets, API and socket.io
 * polling, headers included, as received — compressed when the server compressed) and the time
 * from navigation start until the page shows its first data (measured inside the page on the
 * next animation frame after the data's element appears).
 *
 * Two builds are served side by side in the same run, each by its own exercise server: "before",
 * the old layout (`web/build.mjs --single`: one script with xterm.js for every page, no gzip),
 * and "after", the current build (xterm.js only on /terminal, precompressed gzip). The limit is
 * measured in the same run: every page except the terminal must ship at most a quarter of what
 * the same page shipped with the old single bundle, and the terminal no more than half.
 *
 * Run: npm run bench:web   [-- --rounds 5 --mbps 10 --cpu 4]   (about 30 s per 5 rounds)
 *   --mbps N  emulates a link of N Mbit/s with 20 ms latency (DevTools network conditions)
 *   --cpu N   slows the page's CPU N times (DevTools CPU throttling), like a venue laptop
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { loadPlan } from '../src/cli/load-plan';
import { SessionRunner } from '../src/engine/session/session-runner';
import { EventStore } from '../src/engine/store/event-store';
import { DEFAULTS } from '../src/server/config';
import { createServer, type StartedServer } from '../src/server/server';
import type { Role } from '../src/wire/roles';
import { launchChromium } from '../test/web/support/web-harness';

const ROOT = join(__dirname, existsSync(join(__dirname, '..', 'package.json')) ? '..' : '../..');
const SESSION = 'bench-web';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
  return v;
};

/** Each page, who may open it, and the element that means its first data is on screen. */
const PAGES: { path: string; role: Role; ready: string }[] = [
  { path: '/controller', role: 'controller', ready: '#event-feed .ev' },
  { path: '/team', role: 'team', ready: '#inbox-list .muted, #inbox-list li' },
  { path: '/scoreboard', role: 'spectator', ready: '#ranking tbody tr' },
  { path: '/investigate', role: 'team', ready: '#results table, #results .muted, #results p' },
  { path: '/network', role: 'team', ready: '#segments li[data-segment]' },
  { path: '/respond', role: 'team', ready: '#actions table, #actions p' },
  { path: '/review', role: 'controller', ready: '#review-ttd' },
  { path: '/terminal', role: 'team', ready: '#terminal-screen .xterm-rows' },
];
const LIMIT = (path: string) => (path === '/terminal' ? 0.5 : 0.25);

interface Variant {
  name: 'before' | 'after';
  server: StartedServer;
  /** The login cookies of each role, so a fresh context opens the page itself first. */
  logins: Map<Role, Awaited<ReturnType<BrowserContext['storageState']>>>;
  close(): Promise<void>;
}

interface Load {
  bytes: number;
  assetBytes: number;
  readyMs: number;
}

function build(out: string, single: boolean): void {
  execFileSync(
    process.execPath,
    [join(ROOT, 'web/build.mjs'), '--out', out, ...(single ? ['--single'] : [])],
    {
      stdio: 'pipe',
      timeout: 120_000,
    },
  );
}

async function serve(name: Variant['name'], dir: string, browser: Browser): Promise<Variant> {
  const webRoot = join(dir, name);
  build(webRoot, name === 'before');
  const plan = loadPlan(join(ROOT, 'scenarios/quickstart.yaml'), { fidelity: 'simulated' });
  const store = new EventStore(join(dir, `${name}.db`));
  SessionRunner.create(store, { id: SESSION, plan, scenarioEpochMs: Date.UTC(2026, 0, 5, 10) });
  const server = await createServer({
    store,
    session: SESSION,
    plan,
    config: { ...DEFAULTS, port: 0, host: '127.0.0.1', loginAttempts: 100_000 },
    webRoot,
    log: () => undefined,
  }).listen();
  const logins: Variant['logins'] = new Map();
  for (const role of new Set(PAGES.map((p) => p.role))) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const link = server.createJoinLink({ role, ...(role === 'team' ? { team: 't01' } : {}) }).url;
    await page.goto(link);
    await page.waitForURL((u) => !u.pathname.startsWith('/join'), { timeout: 15_000 });
    logins.set(role, await context.storageState());
    await context.close();
  }
  return {
    name,
    server,
    logins,
    async close() {
      await server.stop();
      store.close();
    },
  };
}

/** What the browser is slowed to (0 Mbit/s: loopback as is; CPU 1: unthrottled). */
interface Conditions {
  mbps: number;
  cpu: number;
}

/** One cold load of `page` (fresh context: empty cache, the role's cookie only). */
async function load(
  browser: Browser,
  v: Variant,
  page: (typeof PAGES)[number],
  on: Conditions,
): Promise<Load> {
  const context = await browser.newContext({
    storageState: v.logins.get(page.role),
    viewport: { width: 1366, height: 860 },
  });
  try {
    const p = await context.newPage();
    const cdp = on.mbps > 0 || on.cpu > 1 ? await context.newCDPSession(p) : undefined;
    if (cdp && on.mbps > 0) {
      const bytesPerSecond = (on.mbps * 1e6) / 8;
      // Without Network.enable the conditions are accepted and silently not applied.
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 20,
        downloadThroughput: bytesPerSecond,
        uploadThroughput: bytesPerSecond,
      });
    }
    if (cdp && on.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: on.cpu });
    const sizes: Promise<{ total: number; asset: number }>[] = [];
    p.on('requestfinished', (r) => {
      sizes.push(
        r.sizes().then(
          (z) => {
            const total = z.responseBodySize + z.responseHeadersSize;
            return { total, asset: new URL(r.url()).pathname.startsWith('/assets/') ? total : 0 };
          },
          () => ({ total: 0, asset: 0 }),
        ),
      );
    });
    await p.goto(`${v.server.url}${page.path}`, { timeout: 30_000 });
    const ready = await p.waitForFunction(
      (sel) => {
        const g = globalThis as unknown as {
          document: { querySelector(s: string): unknown };
          performance: { now(): number };
        };
        return g.document.querySelector(sel) ? g.performance.now() : false;
      },
      page.ready,
      { polling: 'raf', timeout: 30_000 },
    );
    const readyMs = Number(await ready.jsonValue());
    // Requests still in flight when the data showed (socket.io polling) are counted when they end.
    await p.waitForTimeout(300);
    const all = await within(Promise.all(sizes), 10_000, `sizes of ${page.path}'s requests`);
    return {
      bytes: all.reduce((n, s) => n + s.total, 0),
      assetBytes: all.reduce((n, s) => n + s.asset, 0),
      readyMs,
    };
  } finally {
    await context.close();
  }
}

/** `promise`, or an error naming `what` after `ms`: no step of the bench waits for ever. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const rounds = Math.max(1, Math.floor(arg('rounds', 5)));
  const on: Conditions = { mbps: arg('mbps', 0), cpu: Math.max(1, arg('cpu', 1)) };
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-bench-web-'));
  const { browser, close: closeBrowser } = await launchChromium();
  const variants: Variant[] = [];
  let failed = 0;
  try {
    variants.push(await serve('before', dir, browser), await serve('after', dir, browser));
    process.stdout.write(
      `web-load: ${PAGES.length} pages × ${rounds} cold loads per build, ${availableParallelism()} cores, ` +
        `load ${loadavg()[0]!.toFixed(2)}, ${on.mbps > 0 ? `${on.mbps} Mbit/s + 20 ms emulated` : 'loopback'}, ` +
        `CPU ${on.cpu > 1 ? `${on.cpu}× slower` : 'unthrottled'}\n\n`,
    );
    process.stdout.write(
      '| page | before: bytes | before: data shown | after: bytes (of which assets) | after: data shown | bytes ratio | limit |\n',
    );
    process.stdout.write('| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n');
    for (const page of PAGES) {
      const runs: Record<Variant['name'], Load[]> = { before: [], after: [] };
      // Interleaved, so drift on a shared machine hits both builds alike.
      for (let r = 0; r < rounds; r++)
        for (const v of variants)
          runs[v.name].push(await within(load(browser, v, page, on), 90_000, `${v.name} ${page.path}`));
      const m = (name: Variant['name'], k: keyof Load) => median(runs[name].map((x) => x[k]));
      const ratio = m('after', 'bytes') / m('before', 'bytes');
      const ok = ratio <= LIMIT(page.path);
      if (!ok) failed++;
      process.stdout.write(
        `| ${page.path} | ${kib(m('before', 'bytes'))} | ${m('before', 'readyMs').toFixed(0)} ms | ` +
          `${kib(m('after', 'bytes'))} (${kib(m('after', 'assetBytes'))}) | ${m('after', 'readyMs').toFixed(0)} ms | ` +
          `${ratio.toFixed(3)} | ${ok ? '≤' : 'OVER'} ${LIMIT(page.path)} |\n`,
      );
    }
  } finally {
    for (const v of variants) await v.close();
    await closeBrowser();
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(failed ? `\n${failed} page(s) over the limit\n` : '\nevery page within its limit\n');
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`web-load: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
