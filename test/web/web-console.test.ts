/**
 * Serving the console without a browser: the shell embeds the scenario's public facts as inert
 * JSON that no title can break out of, and a server without a build keeps its plain join page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { installWebConsole } from '../../src/server/web/web-console';
import { quickstartPlan, SESSION } from '../server/support/harness';
import { buildWeb } from './support/web-harness';

let dir: string;
let webRoot: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cyrange-web-unit-'));
  webRoot = join(dir, 'web');
  buildWeb(webRoot);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serve(app: express.Express, fn: (url: string) => Promise<void>): Promise<void> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

it('embeds the scenario facts as JSON that a hostile title cannot end early', async () => {
  const plan = quickstartPlan();
  plan.scenario.title = 'Drill </script><script>alert(1)</script> & "more"';
  plan.scenario.timezone = 'Asia/Tokyo';
  const app = express();
  expect(installWebConsole(app, { plan, session: SESSION, root: webRoot })).toBe(true);
  await serve(app, async (url) => {
    const html = await (await fetch(`${url}/scoreboard`)).text();
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).toContain(
      '<title>Drill &#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;more&#34; — cyrange</title>',
    );
    const boot = /<script type="application\/json" id="cyrange-boot">(.*?)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(boot!)).toMatchObject({
      title: plan.scenario.title,
      timezone: 'Asia/Tokyo',
      start: 36000,
    });
  });
});

it('stays out of the way when there is no build', async () => {
  const app = express();
  const said: string[] = [];
  const mounted = installWebConsole(app, {
    plan: quickstartPlan(),
    session: SESSION,
    root: join(dir, 'missing'),
    log: (m) => said.push(m),
  });
  expect(mounted).toBe(false);
  expect(said.join()).toContain('npm run build');
  await serve(app, async (url) => {
    expect((await fetch(`${url}/team`)).status).toBe(404);
  });
});
