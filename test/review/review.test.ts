/**
 * The after-action review on a real session log (the quickstart run by a SessionRunner): the
 * per-team timeline, the time-to-detect table, coverage, the HSEEP summary and its edits,
 * replay at a time T, and the exports (JSON, CSV, self-contained HTML, xAPI).
 */

import {
  buildReview,
  REVIEW_EDITED,
  type Review,
  reviewCsv,
  reviewHtml,
  reviewJson,
  reviewXapi,
} from '../../src/review';
import type { ScoringEvent } from '../../src/scoring/scoring-events';
import { runQuickstart, SESSION, type SessionLog } from './support/session-log';

jest.setTimeout(120_000);

let log: SessionLog;
let review: Review;

beforeAll(async () => {
  log = await runQuickstart();
  review = buildReview(log.plan, log.events as ScoringEvent[], { session: SESSION });
});

const team = (id: string) => review.teams.find((t) => t.team === id)!;

describe('after-action review of a quickstart session', () => {
  it('joins attack steps, injects, messages, detections, actions, reports and score changes on one timeline', () => {
    const t01 = team('t01');
    const kinds = new Set(t01.timeline.map((i) => i.kind));
    for (const k of ['inject', 'attack', 'message', 'detection', 'action', 'report', 'score'] as const)
      expect(kinds).toContain(k);
    const beacon = t01.timeline.find((i) => i.kind === 'attack' && i.inject === 'beacon')!;
    expect(beacon.technique).toBe('T1071.001');
    const detection = t01.timeline.find((i) => i.kind === 'detection' && i.inject === 'beacon')!;
    expect(detection.at).toBe(log.reportedAt);
    // In time order.
    const times = t01.timeline.map((i) => i.at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(team('t02').timeline.some((i) => i.kind === 'detection')).toBe(false);
    // A report is named by the team's own title, kept as text (renderers escape it).
    expect(t01.timeline.find((i) => i.kind === 'report')?.title).toBe(
      'Report (incident) submitted: Implant on pc-victim beaconing to <b>C2</b>',
    );
  });

  it('gives time to detect and respond per step, and technique coverage side by side', () => {
    const step = team('t01').steps.find((s) => s.inject === 'beacon')!;
    expect(step).toMatchObject({ technique: 'T1071.001', detected: true });
    expect(step.timeToDetect).toBe(log.reportedAt - step.at);
    expect(team('t01').meanTimeToDetect).toBeGreaterThan(0);
    expect(team('t02').steps.find((s) => s.inject === 'beacon')).toMatchObject({ detected: false });
    expect(review.coverage.find((c) => c.inject === 'beacon')).toMatchObject({
      technique: 'T1071.001',
      caught: { t01: true, t02: false },
    });
    expect(team('t01').total).toBeGreaterThan(team('t02').total);
  });

  it('rates objectives P/S/M/U from expectations and applies the instructor edits', () => {
    const c2 = review.summary.objectives.find((o) => o.id === 'beacon')!;
    expect(c2.ratings).toEqual({ t01: 'P', t02: 'U' });
    expect(review.summary.strengths.join('\n')).toMatch(/Report the C2 domain/);
    expect(review.summary.improvements.join('\n')).toMatch(/not achieved/);
    const last = log.events.at(-1)!;
    const edit = {
      ...last,
      seq: last.seq + 1,
      type: REVIEW_EDITED,
      team: null,
      payload: {
        objective: 'beacon',
        team: 't02',
        rating: 'M',
        notes: 'Found it late <i>by hand</i>',
        by: 'Instructor',
      },
    } as unknown as ScoringEvent;
    const edited = buildReview(log.plan, [...(log.events as ScoringEvent[]), edit], { session: SESSION });
    const o = edited.summary.objectives.find((x) => x.id === 'beacon')!;
    expect(o).toMatchObject({ edited: true, ratings: { t01: 'P', t02: 'M' } });
    expect(edited.summary.notes).toBe('Found it late <i>by hand</i>');
    expect(reviewHtml(edited)).toContain('Found it late &#60;i&#62;by hand&#60;/i&#62;');
  });

  it('replays the state at any scenario time', () => {
    const before = buildReview(log.plan, log.events as ScoringEvent[], {
      session: SESSION,
      at: log.reportedAt - 1,
    });
    expect(before.at).toBe(log.reportedAt - 1);
    expect(before.end).toBe(review.end);
    expect(before.teams.find((t) => t.team === 't01')!.timeline.some((i) => i.kind === 'detection')).toBe(
      false,
    );
    expect(before.teams.find((t) => t.team === 't01')!.total).toBe(0);
    const atStart = buildReview(log.plan, log.events as ScoringEvent[], { session: SESSION, at: 0 });
    expect(atStart.teams.every((t) => t.timeline.every((i) => i.at <= 0))).toBe(true);
  });

  it('exports JSON and CSV', () => {
    expect(JSON.parse(reviewJson(review))).toEqual(JSON.parse(JSON.stringify(review)));
    const csv = reviewCsv(review).trim().split('\r\n');
    expect(csv[0]).toBe('team,scenario_seconds,time,kind,title,technique,inject,points,by');
    expect(csv.length).toBe(1 + review.teams.reduce((n, t) => n + t.timeline.length, 0));
    expect(csv.some((l) => l.startsWith('t01,') && l.includes(',attack,') && l.includes('T1071.001'))).toBe(
      true,
    );
  });

  it('exports a self-contained HTML report with inline SVG charts and no external resource', () => {
    const html = reviewHtml(review);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<link|<img|<iframe|url\(/i);
    expect(html).toContain('Time to detect');
    for (const t of review.teams) expect(html).toContain(t.name);
  });

  it('exports xAPI statements with actor, verb, object, result and timestamp', () => {
    const statements = reviewXapi(review);
    expect(statements.length).toBeGreaterThan(3);
    for (const s of statements) {
      expect(s).toMatchObject({
        actor: {
          objectType: 'Group',
          account: { homePage: expect.any(String), name: expect.stringMatching(/^t0[12]$/) },
        },
        verb: {
          id: expect.stringMatching(/^http:\/\/adlnet\.gov\/expapi\/verbs\//),
          display: { 'en-US': expect.any(String) },
        },
        object: { objectType: 'Activity', id: expect.stringMatching(/^urn:cyrange:quickstart:/) },
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    }
    const detected = statements.find((s) => s.verb.display['en-US'] === 'detected')!;
    expect(detected.actor.account.name).toBe('t01');
    expect(detected.result).toMatchObject({ success: true, duration: expect.stringMatching(/^PT\d+S$/) });
    const scored = statements.find((s) => s.result?.score !== undefined)!;
    expect(typeof scored.result!.score!.raw).toBe('number');
  });
});
