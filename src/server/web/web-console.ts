/**
 * Serves the web console built from `web/` (by `npm run build` into `dist/web`): the app shell
 * for every page (`/`, `/join`, `/team`, `/scoreboard`, `/controller`) and its hashed assets.
 * The shell carries the scenario's public facts (title, time zone, start, language) as JSON that
 * no script executes, so pages can show scenario time without asking. Nothing is fetched from
 * outside the machine: exercises run air-gapped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';
import type { Plan } from '../../compiler/plan';
import type { ConsoleBoot } from '../../wire/console';

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

interface Manifest {
  js: string;
  css: string;
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
    return typeof m.js === 'string' && typeof m.css === 'string' ? { js: m.js, css: m.css } : undefined;
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

export function consoleBoot(plan: Plan, session: string): ConsoleBoot {
  const s = plan.scenario;
  return {
    session,
    title: s.title,
    language: s.language,
    timezone: s.timezone,
    start: s.start,
    duration: s.duration,
  };
}

function shell(manifest: Manifest, boot: ConsoleBoot): string {
  return `<!doctype html>
<html lang="${boot.language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(boot.title)} — cyrange</title>
<link rel="stylesheet" href="/assets/${manifest.css}">
<script type="module" src="/assets/${manifest.js}"></script>
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
  opts: { plan: Plan; session: string; root?: string; log?: (m: string) => void },
): boolean {
  const root = opts.root ?? defaultWebRoot();
  const manifest = root ? readManifest(root) : undefined;
  if (!root || !manifest) {
    opts.log?.('no web console build found (run `npm run build`); serving the API only');
    return false;
  }
  const html = shell(manifest, consoleBoot(opts.plan, opts.session));
  for (const page of CONSOLE_PAGES) {
    app.get(page, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(html);
    });
  }
  // Hashed file names: a new build has new names, so the browser may keep these for good.
  app.use(
    '/assets',
    express.static(join(root, 'assets'), {
      index: false,
      redirect: false,
      fallthrough: true,
      immutable: true,
      maxAge: '365d',
    }),
  );
  return true;
}
