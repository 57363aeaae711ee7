/**
 * The web console's shell in setup mode: the same build as the exercise console, but no scenario
 * is bound yet, so the shell carries neutral boot facts and only `/setup` and `/join` exist
 * (`/` and `/controller` lead to `/setup`). Reads the same `manifest.json` as web-console.ts;
 * that module builds its shell from a plan, which setup mode does not have.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import type { ConsoleBoot } from '../../wire/console';
import { defaultWebRoot } from '../web/web-console';

export const SETUP_BOOT: ConsoleBoot = {
  session: '',
  title: 'cyrange — exercise setup',
  language: 'en',
  timezone: 'UTC',
  start: 0,
  duration: 0,
};

function shell(js: string, css: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cyrange — exercise setup</title>
<link rel="stylesheet" href="/assets/${css}">
<script type="module" src="/assets/${js}"></script>
<script type="application/json" id="cyrange-boot">${JSON.stringify(SETUP_BOOT)}</script>
</head><body><div id="app"></div>
<noscript>The cyrange console needs JavaScript.</noscript></body></html>`;
}

/** Mounts the setup pages when a console build is present; false (and a log line) otherwise. */
export function installSetupConsole(app: Router, opts: { root?: string; log: (m: string) => void }): boolean {
  const root = opts.root ?? defaultWebRoot();
  let manifest: { js: string; css: string } | undefined;
  try {
    const m = JSON.parse(readFileSync(join(root ?? '', 'manifest.json'), 'utf8')) as {
      js?: unknown;
      css?: unknown;
    };
    if (typeof m.js === 'string' && typeof m.css === 'string') manifest = { js: m.js, css: m.css };
  } catch {
    manifest = undefined;
  }
  if (!root || !manifest) {
    opts.log(
      'no web console build found (run `npm run build`); the setup page is unavailable, the API works',
    );
    return false;
  }
  const html = shell(manifest.js, manifest.css);
  for (const page of ['/setup', '/join']) {
    app.get(page, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(html);
    });
  }
  for (const page of ['/', '/controller']) app.get(page, (_req, res) => res.redirect(302, '/setup'));
  app.use(
    '/assets',
    express.static(join(root, 'assets'), { index: false, redirect: false, immutable: true, maxAge: '365d' }),
  );
  return true;
}
