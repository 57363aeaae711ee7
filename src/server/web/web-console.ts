/**
 * Serves the web console built from `web/` (by `npm run build` into `dist/web`): the app shell
 * for every page (`/`, `/join`, `/team`, `/scoreboard`, `/controller`) and its hashed assets.
 * The shell carries the scenario's public facts (title, time zone, start, language) and the
 * exercise clock as JSON that no script executes, so pages can show scenario time without asking.
 * Each page gets only the scripts it needs (the terminal's xterm.js only on /terminal; see
 * web/build.mjs). Nothing is fetched from outside the machine: exercises run air-gapped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Router } from 'express';
import type { Plan } from '../../compiler/plan';
import type { ClockState } from '../../engine/clock/exercise-clock';
import type { ConsoleBoot } from '../../wire/console';
import { loadAssets, serveAssets } from './console-assets';

/** The pages of the console; each answers with the same shell, the client picks the page. */
export const CONSOLE_PAGES = [
  '/',
  '/join',
  '/team',
  '/scoreboard',
  '/controller',
  '/terminal',
  '/review',
  '/investigate',
  '/network',
  '/respond',
] as const;

/** What a page loads beyond the app script and style sheet (from the build's manifest). */
interface PageAssets {
  preload: string[];
  css: string[];
}

interface Manifest {
  js: string;
  css: string;
  /** Chunks the app script imports statically. */
  preload: string[];
  pages: Record<string, PageAssets>;
}

/** The session's clock as the server knows it now (the session's epoch is fixed at creation). */
export interface ExerciseTime {
  epochMs?: number;
  clock: ClockState;
}

/** Where `npm run build` puts the console: `<package root>/dist/web`. */
export function defaultWebRoot(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'web');
    dir = dirname(dir);
  }
  return undefined;
}

function readManifest(root: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Partial<Manifest>;
    if (typeof m.js !== 'string' || typeof m.css !== 'string') return undefined;
    return {
      js: m.js,
      css: m.css,
      preload: Array.isArray(m.preload) ? m.preload : [],
      pages: typeof m.pages === 'object' && m.pages ? m.pages : {},
    };
  } catch {
    return undefined;
  }
}

/** JSON safe inside a `<script>` element: no `<`, so no `</script>` can end it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function consoleBoot(plan: Plan, session: string, time?: ExerciseTime, now = Date.now()): ConsoleBoot {
  const s = plan.scenario;
  return {
    session,
    title: s.title,
    language: s.language,
    timezone: s.timezone,
    start: s.start,
    duration: s.duration,
    ...(time?.epochMs !== undefined ? { epochMs: time.epochMs } : {}),
    ...(time ? { clock: { ...time.clock, serverNow: now } } : {}),
  };
}

function shell(manifest: Manifest, page: string, boot: ConsoleBoot): string {
  const extra = manifest.pages[page];
  const links = [
    `<link rel="stylesheet" href="/assets/${manifest.css}">`,
    ...(extra?.css ?? []).map((f) => `<link rel="stylesheet" href="/assets/${f}">`),
    `<script type="module" src="/assets/${manifest.js}"></script>`,
    // Fetched alongside the app script rather than after it asks for them.
    ...[...manifest.preload, ...(extra?.preload ?? [])].map(
      (f) => `<link rel="modulepreload" href="/assets/${f}">`,
    ),
  ];
  return `<!doctype html>
<html lang="${boot.language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(boot.title)} — cyrange</title>
${links.join('\n')}
<script type="application/json" id="cyrange-boot">${scriptJson(boot)}</script>
</head><body><div id="app"></div>
<noscript>The cyrange console needs JavaScript.</noscript></body></html>`;
}

/**
 * Mounts the console on `app` when a build is present (otherwise does nothing and says so, and
 * the server's plain join page stays in place).
 */
export function installWebConsole(
  app: Router,
  opts: {
    plan: Plan;
    session: string;
    root?: string;
    /** The session's epoch and clock, put in every page's boot data (absent: pages go without). */
    time?: () => ExerciseTime;
    log?: (m: string) => void;
  },
): boolean {
  const root = opts.root ?? defaultWebRoot();
  const manifest = root ? readManifest(root) : undefined;
  if (!root || !manifest) {
    opts.log?.('no web console build found (run `npm run build`); serving the API only');
    return false;
  }
  const { plan, session, time } = opts;
  for (const page of CONSOLE_PAGES) {
    app.get(page, (_req, res) => {
      // The boot data carries the clock as of now: the browser asks again every time.
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(shell(manifest, page, consoleBoot(plan, session, time?.())));
    });
  }
  app.use('/assets', serveAssets(loadAssets(join(root, 'assets'))));
  return true;
}
