/**
 * Stored XSS, in a real browser (Debian's Chromium via playwright-core) against a real server:
 * a scenario whose organisation, team, segment, host, user, phase, inject, expectation and message
 * texts carry payloads (`<img onerror>`, `"><svg onload>`, `javascript:` links, `{{…}}` template
 * bait, `</script>` breakouts, RTL override and zero-width characters), plus participant text
 * (report titles, narratives, timelines, indicators, draft titles, review notes, hints, grade
 * reasons) with payloads. Every page of every role is visited and the HTML exports are opened as a
 * local file would be (no CSP there): no payload runs (a `window.__xss` list the payloads push to,
 * and no dialog), none becomes markup (no element or attribute a payload would create), the
 * payload text is visible as text where the page shows it, and the CSP blocks an inline script.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Plan } from '../../src/compiler/plan';
import type { EngineEvent } from '../../src/engine/events/event-types';
import type { Role } from '../../src/wire/roles';
import type { Client } from '../server/support/harness';
import { quickstartPlanWithDebrief } from '../server/support/harness';
import { launchChromium } from '../web/support/web-harness';
import { type SecurityServer, startSecurityServer } from './support/security-server';

jest.setTimeout(120_000);

/** Each payload pushes its number to `window.__xss` if it ever runs; `xss-N` is its visible mark. */
const PAYLOADS = [
  (n: number) => `<img src=x onerror="window.__xss.push(${n})"> xss-${n}`,
  (n: number) => `"><svg onload="window.__xss.push(${n})"> xss-${n}`,
  (n: number) => `javascript:window.__xss.push(${n})// xss-${n}`,
  (n: number) => `<a href="javascript:window.__xss.push(${n})">xss-${n}</a>`,
  (n: number) => `{{constructor.constructor('window.__xss.push(${n})')()}} xss-${n}`,
  (n: number) => `</script><script>window.__xss.push(${n})</script> xss-${n}`,
  (n: number) => `\u202egnp.exe\u202c \u200b<img src=x onerror=alert(${n})> xss-${n}`,
  (n: number) => `<iframe srcdoc="<script>parent.__xss.push(${n})</script>"></iframe> xss-${n}`,
  (n: number) => `'-alert(${n})-' <details open ontoggle="window.__xss.push(${n})"> xss-${n}`,
];
/** The browser globals the page callbacks use (this project compiles without the DOM library). */
interface El {
  outerHTML: string;
  textContent: string | null;
  setAttribute(name: string, value: string): void;
}
interface Win {
  __xss: number[];
  __inline?: number;
  document: {
    querySelectorAll(selector: string): Iterable<El>;
    body: El & { innerText: string; appendChild(e: El): void };
    head: { appendChild(e: El): void };
    createElement(tag: string): El;
    addEventListener(type: string, listener: (e: { effectiveDirective: string }) => void): void;
  };
}

let counter = 0;
/** A fresh payload (cycling through the kinds) with its own number. */
function payload(prefix = ''): string {
  counter += 1;
  return `${prefix}${PAYLOADS[counter % PAYLOADS.length]!(counter)}`;
}

/** Selectors of what a payload would create if it became markup. */
const MARKUP = [
  'img[src="x"]',
  'svg[onload]',
  '[onerror]',
  '[onload]',
  '[ontoggle]',
  'a[href^="javascript:" i]',
  'iframe[srcdoc]',
  'script:not([src]):not([type="application/json"])',
].join(', ');

function hostileScenario(): Plan {
  const plan = quickstartPlanWithDebrief();
  plan.scenario.title = payload('Exercise ');
  plan.organisation.name = payload('Ministry ');
  for (const team of plan.teams) {
    team.name = payload(`${team.id} `);
    for (const segment of team.segments) segment.title = payload('Segment ');
    // A host whose name and fqdn are payloads (the loader would refuse them; the console must cope).
    const sim = team.hosts.find((h) => h.fidelity === 'simulated');
    if (sim) team.hosts.push({ ...structuredClone(sim), name: payload('pc-'), fqdn: payload('fqdn-') });
  }
  for (const user of plan.users) {
    user.name = payload('User ');
    user.title = payload('Title ');
  }
  for (const phase of plan.phases) phase.title = payload('Phase ');
  for (const inject of plan.injects) {
    inject.title = payload('Inject ');
    inject.notes = payload('Notes ');
    for (const e of inject.expectations) {
      e.title = payload('Expectation ');
      for (const level of e.rubric ?? []) level.description = payload('Rubric ');
    }
  }
  return plan;
}

function hostileMessage(team: string): EngineEvent {
  return {
    type: 'message.delivered',
    team,
    payload: {
      inject: 'soc-call',
      from: 'soc',
      sender: payload('Sender '),
      subject: payload('Subject '),
      body: payload('Body '),
      attachments: [{ name: payload('file-'), contentType: 'text/html', content: payload('<html>') }],
    },
  };
}

let s: SecurityServer;
let chromium: { browser: Browser; close(): Promise<void> };
const contexts: BrowserContext[] = [];
const dialogs: string[] = [];
let controller: Client;

beforeAll(async () => {
  s = await startSecurityServer({ web: true, plan: hostileScenario() });
  chromium = await launchChromium();
  controller = await s.login('controller');
  s.append([hostileMessage('t01'), hostileMessage('t02')]);
  const team = await s.login('team', 't01');
  const report = await team.req('POST', '/api/teams/t01/reports', {
    kind: 'incident',
    to: 'management',
    title: payload('Report '),
    hosts: ['pc-victim'],
    indicators: [payload('ioc '), 'update-check[.]example'],
    techniques: ['T1071.001'],
    timeline: [{ at: '10:03', text: payload('Timeline ') }],
    narrative: payload('Narrative '),
  });
  expect(report.status).toBe(201);
  expect((await team.req('POST', '/api/teams/t01/drafts', { title: payload('Draft ') })).status).toBe(201);
  // Attachment names are restricted at the door (letters, digits, space, _ . ( ) -).
  const att = await team.req('POST', '/api/teams/t01/attachments', {
    name: '<img src=x onerror=alert(1)>.txt',
    contentType: 'text/plain',
    content: Buffer.from('x').toString('base64'),
  });
  expect(att.status).toBe(422);
  expect((await controller.req('POST', '/api/teams/t01/hints', { hint: payload('Hint ') })).status).toBe(201);
  expect((await controller.req('POST', '/api/review/summary', { notes: payload('Summary ') })).status).toBe(
    201,
  );
  const grade = await controller.req('POST', '/api/teams/t01/grades', {
    expectation: 'debrief',
    level: 'excellent',
    reason: payload('Reason '),
  });
  expect(grade.status).toBe(201);
}, 100_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await chromium?.close();
  await s?.close();
});

async function newPage(): Promise<Page> {
  const context = await chromium.browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'en-GB',
  });
  contexts.push(context);
  // Init scripts run before the page's own and are exempt from the CSP: the payloads' target list.
  await context.addInitScript(() => {
    (globalThis as unknown as Win).__xss = [];
  });
  const p = await context.newPage();
  p.setDefaultTimeout(10_000);
  p.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return p;
}

async function browserAs(role: Role, team: string | undefined, lands: string): Promise<Page> {
  const p = await newPage();
  await p.goto(s.server.createJoinLink({ role, ...(team ? { team } : {}) }).url);
  await p.waitForURL(`**${lands}`);
  return p;
}

interface Visit {
  ran: number[];
  markup: string[];
  marks: number;
}

/** What ran, what became markup, and how many payload marks the page shows as text. */
function inspect(p: Page): Promise<Visit> {
  return p.evaluate((selector) => {
    const w = globalThis as unknown as Win;
    const found = [...w.document.querySelectorAll(selector)].map((e) => e.outerHTML.slice(0, 120));
    // biome-ignore lint/performance/useDomNodeTextContent: what is rendered visibly is the point
    const marks = (w.document.body.innerText.match(/xss-\d+/g) ?? []).length;
    return { ran: [...w.__xss], markup: found, marks };
  }, MARKUP);
}

/** Opens `path`, lets it load and go live, then inspects it. */
async function visit(p: Page, path: string): Promise<Visit> {
  await p.goto(`${s.url}${path}`);
  await p.waitForLoadState('networkidle').catch(() => undefined);
  await p.waitForTimeout(500);
  return inspect(p);
}

const ROLE_PAGES: [Role, string, string | undefined, string[]][] = [
  [
    'team',
    '/team',
    't01',
    ['/', '/team', '/investigate', '/network', '/respond', '/terminal', '/scoreboard', '/review'],
  ],
  ['controller', '/controller', undefined, ['/', '/controller', '/review', '/scoreboard', '/network']],
  ['evaluator', '/controller', undefined, ['/controller', '/review', '/scoreboard']],
  ['spectator', '/scoreboard', undefined, ['/', '/scoreboard']],
];

const marksByPage: Record<string, number> = {};

describe('stored XSS in every page of every role', () => {
  test.each(ROLE_PAGES)('%s: no payload runs or becomes markup', async (role, lands, team, paths) => {
    const p = await browserAs(role, team, lands);
    const results: Record<string, Omit<Visit, 'marks'>> = {};
    for (const path of paths) {
      const v = await visit(p, path);
      results[path] = { ran: v.ran, markup: v.markup };
      marksByPage[`${role} ${path}`] = v.marks;
    }
    expect(results).toEqual(Object.fromEntries(paths.map((path) => [path, { ran: [], markup: [] }])));
  });

  test('the join page with a hostile fragment runs nothing', async () => {
    const p = await newPage();
    await p.goto(`${s.url}/join#${encodeURIComponent('<img src=x onerror=window.__xss.push(99)>')}`);
    await p.waitForTimeout(800);
    const v = await inspect(p);
    expect({ ran: v.ran, markup: v.markup }).toEqual({ ran: [], markup: [] });
  });

  test('payload text is shown as text where the pages show scenario and participant text', () => {
    if (process.env.CYRANGE_SECURITY_REPORT)
      process.stdout.write(`${counter} payloads; marks ${JSON.stringify(marksByPage)}\n`);
    for (const page of [
      'team /team',
      'team /network',
      'team /scoreboard',
      'controller /controller',
      'controller /review',
    ])
      expect({ page, shown: (marksByPage[page] ?? 0) > 0 }).toEqual({ page, shown: true });
    expect(dialogs).toEqual([]);
  });

  test('the CSP blocks an inline script and an inline handler (and reports both)', async () => {
    const p = await browserAs('spectator', undefined, '/scoreboard');
    const result = await p.evaluate(async () => {
      const violations: string[] = [];
      const w = globalThis as unknown as Win;
      const document = w.document;
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__inline = 1';
      document.head.appendChild(script);
      const img = document.createElement('img');
      img.setAttribute('onerror', 'window.__xss.push(1000)');
      img.setAttribute('src', 'x');
      document.body.appendChild(img);
      await new Promise((r) => setTimeout(r, 400));
      return { inline: w.__inline ?? null, ran: w.__xss, violations: [...new Set(violations)].sort() };
    });
    expect(result).toEqual({
      inline: null,
      ran: [],
      violations: ['script-src-attr', 'script-src-elem'],
    });
  });
});

describe('the HTML exports opened as local files (no CSP to help)', () => {
  test.each([
    ['the review export', '/api/review/export/html'],
    ["team t01's take-home review", '/api/teams/t01/review?format=html'],
  ])('%s runs nothing and shows the payloads as text', async (_name, path) => {
    const r = await controller.req('GET', path);
    expect(r.status).toBe(200);
    const p = await newPage();
    await p.goto('about:blank');
    // document.open() keeps the window, so the list is there while the export is parsed.
    await p.evaluate(() => {
      const w = globalThis as unknown as Partial<Win>;
      w.__xss ??= [];
    });
    await p.setContent(String(r.body), { waitUntil: 'load' });
    await p.waitForTimeout(300);
    const v = await inspect(p);
    expect({ ran: v.ran, markup: v.markup }).toEqual({ ran: [], markup: [] });
    expect(v.marks).toBeGreaterThan(0);
    expect(dialogs).toEqual([]);
  });
});
