import { createHash } from 'node:crypto';
import type { ActionPlan, InjectPlan, Plan, TeamPlan, TelemetryArtifactPlan } from '../../compiler/plan';
import type { EngineEvent } from '../events/event-types';
import type { LiveHostDriver } from '../live/live-host-driver';
import { attackArtifacts } from '../session/ground-truth';
import type { TeamModel } from '../simulation/team-model';
import { renderMail } from './mail-message';
import { type ArtifactRecord, expandArtifacts } from './telemetry-artifacts';

/**
 * What one firing does, split in two: the simulated effects (messages, telemetry, ground truth),
 * computed purely and written by the session in one transaction; and the live part, sent through
 * the `LiveHostDriver`. Both are keyed by the firing's key prefix so a re-execution after a crash
 * writes nothing twice.
 */
export interface FiringContext {
  session: string;
  plan: Plan;
  team: TeamPlan;
  model: TeamModel;
  inject: InjectPlan;
  occurrence: string;
  trackable: string;
  /** Scenario seconds of the `inject.fired` event. */
  firedAt: number;
  /** Unix ms of `firedAt` on the scenario calendar (ECS timestamps). */
  firedMs: number;
  /** `<session>/<team>/<inject>/<occurrence>`: prefix of every idempotency key of this firing. */
  keyPrefix: string;
}

export interface SimulatedEffects {
  events: EngineEvent[];
  telemetry: ArtifactRecord[];
}

/** Upper bound on records one simulated beacon pre-computes (interval × count ≤ exercise end). */
export const MAX_SIMULATED_BEACON_CALLS = 500;

export function firingKey(session: string, team: string, inject: string, occurrence: string): string {
  return `${session}/${team}/${inject}/${occurrence}`;
}

export function isLiveHost(team: TeamPlan, host: string): boolean {
  return team.hosts.find((h) => h.name === host)?.fidelity === 'live';
}

/** Whether the action needs the live-host driver in this team (a mail always goes to a mailbox). */
export function needsDriver(action: ActionPlan, team: TeamPlan): boolean {
  if (action.type === 'mail') return true;
  if (action.type === 'message' || action.type === 'telemetry') return false;
  return isLiveHost(team, action.host);
}

/** Telemetry artifacts an action leaves on simulated hosts (or, for mail, on the mail server). */
export function artifactsOf(ctx: FiringContext, action: ActionPlan): TelemetryArtifactPlan[] {
  const one = (
    kind: TelemetryArtifactPlan['kind'],
    host: string,
    fields: TelemetryArtifactPlan['fields'],
    user?: string,
  ) => ({
    kind,
    host,
    offset: 0,
    count: 1,
    every: 0,
    fields,
    ...(user ? { user } : {}),
  });
  switch (action.type) {
    case 'telemetry':
      return action.events;
    case 'message':
      return [];
    case 'mail':
      return ctx.model.byName.has(ctx.model.mailServer)
        ? [
            one('mail', ctx.model.mailServer, {
              'email.from.address': action.from,
              'email.to.address': action.to,
              'email.subject': action.subject,
            }),
          ]
        : [];
    default:
      if (isLiveHost(ctx.team, action.host)) return [];
  }
  switch (action.type) {
    case 'exec':
      return [one('process', action.host, { 'process.command_line': action.command }, action.user)];
    case 'file':
      return [
        one('file', action.host, {
          'file.path': action.path,
          'file.hash.sha256': createHash('sha256').update(action.content).digest('hex'),
        }),
      ];
    case 'fetch':
      return [one('file', action.host, { 'file.path': action.path, 'event.action': 'file-accessed' })];
    case 'beacon': {
      const remaining = Math.max(0, ctx.plan.scenario.duration - ctx.firedAt);
      const count = Math.min(
        MAX_SIMULATED_BEACON_CALLS,
        Math.max(1, Math.floor(remaining / action.interval) + 1),
      );
      const c2 = ctx.model.byName.get(action.c2);
      return [
        {
          kind: 'proxy',
          host: action.host,
          offset: 0,
          count,
          every: action.interval,
          fields: {
            'destination.domain': action.domain,
            'url.path': action.path,
            ...(c2 === undefined ? {} : { 'destination.ip': ctx.model.ips[c2]! }),
          },
        },
      ];
    }
  }
}

export function simulatedEffects(ctx: FiringContext): SimulatedEffects {
  const { inject: inj, keyPrefix: p } = ctx;
  const events: EngineEvent[] = [];
  const a = inj.action;
  if (a.type === 'message') {
    events.push({
      type: 'message.delivered',
      team: ctx.team.id,
      key: `${p}/message`,
      payload: {
        inject: inj.id,
        from: a.from,
        sender: a.sender,
        subject: a.subject,
        body: a.body,
        attachments: a.attachments,
      },
    });
  }
  const telemetry = expandArtifacts(artifactsOf(ctx, a), ctx.model.artifactContext(ctx.firedMs));
  if (telemetry.length > 0) {
    events.push({
      type: 'telemetry.injected',
      team: ctx.team.id,
      key: `${p}/telemetry`,
      payload: {
        inject: inj.id,
        trackable: ctx.trackable,
        count: telemetry.length,
        firstMs: telemetry[0]!.ts,
        lastMs: telemetry[telemetry.length - 1]!.ts,
      },
    });
  }
  if (inj.attack) {
    events.push({
      type: 'attack.step',
      team: ctx.team.id,
      key: `${p}/attack`,
      payload: {
        trackable: ctx.trackable,
        inject: inj.id,
        occurrence: ctx.occurrence,
        tactic: inj.attack.tactic,
        technique: inj.attack.technique,
        artifacts: attackArtifacts(ctx.plan, ctx.team, inj, telemetry),
      },
    });
  }
  return { events, telemetry };
}

export interface LiveOutcome {
  ok: boolean;
  detail: string;
}

/** Runs one action (an inject's or a cleanup step's) through the driver. */
export async function runLiveAction(
  driver: LiveHostDriver,
  ctx: FiringContext,
  action: ActionPlan,
  key: string,
): Promise<LiveOutcome> {
  const team = ctx.team.id;
  switch (action.type) {
    case 'message':
    case 'telemetry':
      return { ok: true, detail: 'nothing to do on live hosts' };
    case 'mail': {
      const raw = renderMail(action, { key, dateMs: ctx.firedMs, domain: ctx.plan.network.domain });
      await driver.deliverMail(team, { key, to: action.to, raw });
      return { ok: true, detail: `mail delivered to ${action.to} (${raw.length} bytes)` };
    }
    case 'exec': {
      const target = { team, host: action.host };
      const argv = ['/bin/sh', '-c', action.command];
      if (action.background) {
        await driver.startBackground(target, { key, kind: 'command', argv, user: action.user });
        return { ok: true, detail: `started in background on ${action.host}` };
      }
      const r = await driver.exec(target, argv, { key, user: action.user, timeoutMs: action.timeout * 1000 });
      const tail = (r.stderr || r.stdout).trim().slice(-200);
      return {
        ok: r.exitCode === 0 && !r.timedOut,
        detail: r.timedOut
          ? `timed out after ${action.timeout}s`
          : `exit ${r.exitCode}${tail ? `: ${tail}` : ''}`,
      };
    }
    case 'file':
      await driver.putFile({ team, host: action.host }, action.path, action.content, {
        key,
        mode: action.mode,
      });
      return { ok: true, detail: `wrote ${action.path} on ${action.host}` };
    case 'fetch': {
      const r = await driver.fetchFile({ team, host: action.host }, action.path, { key });
      return {
        ok: true,
        detail: `fetched ${action.path} from ${action.host} (${r.bytes} bytes, sha256 ${r.sha256})`,
      };
    }
    case 'beacon': {
      const url = `http://${action.domain}${action.path}`;
      await driver.startBackground(
        { team, host: action.host },
        { key, kind: 'beacon', url, intervalMs: action.interval * 1000, user: '' },
      );
      return { ok: true, detail: `beacon to ${url} every ${action.interval}s from ${action.host}` };
    }
  }
}

/** Runs an action whose live part may throw, as an outcome. */
export async function tryLiveAction(
  driver: LiveHostDriver,
  ctx: FiringContext,
  action: ActionPlan,
  key: string,
): Promise<LiveOutcome> {
  try {
    return await runLiveAction(driver, ctx, action, key);
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}
