/**
 * What needs no login: a health probe, the OpenAPI document, and the join page, which reads the
 * token from the URL fragment (never sent to any server) and posts it to `/api/auth/join`.
 */
import type { Router } from 'express';
import { openApiDocument } from '../openapi';
import type { RouteGroup } from './route-context';

const JOIN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cyrange — join</title>
<script src="/join.js" defer></script></head>
<body><main><h1>cyrange</h1><p id="status">Joining…</p></main></body></html>`;

const JOIN_SCRIPT = `(async () => {
  const status = document.getElementById('status');
  const token = location.hash.slice(1);
  history.replaceState(null, '', '/join');
  if (!token) { status.textContent = 'This link has no token.'; return; }
  const r = await fetch('/api/auth/join', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  const body = await r.json();
  status.textContent = r.ok ? 'Joined as ' + body.role + (body.team ? ' of ' + body.team : '') + '.' : body.error.message;
})();`;

export const apiPublicRoutes: RouteGroup = (r, ctx) => {
  r.get('/health', (_req, res) => {
    res.json({ ok: true, session: ctx.session, clock: ctx.log.state.clock.status });
  });
  const doc = openApiDocument();
  r.get('/openapi.json', (_req, res) => {
    res.json(doc);
  });
};

/** Pages outside `/api`. */
export function installJoinPage(app: Router): void {
  app.get('/join', (_req, res) => {
    res.type('html').send(JOIN_PAGE);
  });
  app.get('/join.js', (_req, res) => {
    res.type('application/javascript').send(JOIN_SCRIPT);
  });
}
