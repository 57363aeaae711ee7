/**
 * A launch, step by step: the scenario text is written to the database first (durable before
 * the controller is told the launch started), then a live launch builds the images and brings
 * the range up through the range layer — relaying its progress — then the session is created.
 * A failed launch removes what it started on the engine, by label, and says so; the controller
 * may launch again. One launch runs at a time.
 */
import type { Plan } from '../../compiler/plan';
import { scenarioEpochMs } from '../../engine/clock/scenario-epoch';
import { SessionRunner } from '../../engine/session/session-runner';
import type { EventStore } from '../../engine/store/event-store';
import type { Clients } from '../../range/docker/clients';
import { rangeDown } from '../../range/lifecycle/range-down';
import { rangeUp } from '../../range/lifecycle/range-up';
import type { RangeEvent } from '../../range/progress';
import { RangeFailure } from '../../range/range-error';
import type { LaunchProgressView, SetupInput, SetupStateView } from '../../wire/setup';
import { ApiError } from '../http/api-error';
import type { CheckedScenario } from './check-scenario';
import { type LaunchStore, recordView, type StoredLaunch } from './launch-store';

/** What a finished launch hands to whoever serves the exercise next. */
export interface Launched {
  launch: StoredLaunch;
  session: string;
  /** Live launches: the range's exercise id. */
  exercise?: string;
}

export interface LauncherDeps {
  store: EventStore;
  launches: LaunchStore;
  /** Connects to the container engine (live launches only). */
  connect: () => Promise<Clients>;
  /** Engine calls in flight at once while bringing the range up (default 12). */
  concurrency?: number;
  /** Called on every change of state and on every progress step. */
  onState: (state: SetupStateView) => void;
  onProgress: (progress: LaunchProgressView) => void;
  onLaunched: (launched: Launched) => void;
  log: (message: string) => void;
  now?: () => number;
}

export class Launcher {
  private state: SetupStateView = { phase: 'setup' };
  private running: Promise<void> | undefined;

  constructor(private readonly deps: LauncherDeps) {
    const last = deps.launches.latest();
    if (last && last.status !== 'launched') this.state = { phase: 'setup', launch: recordView(last) };
  }

  view(): SetupStateView {
    return this.state;
  }

  /** Starts a launch of a checked scenario; returns once its text is committed to the database. */
  begin(input: SetupInput, checked: CheckedScenario & { plan: Plan }): StoredLaunch {
    if (this.state.phase === 'launching')
      throw new ApiError('conflict', 'a launch is already running — wait for it');
    if (this.state.phase === 'launched')
      throw new ApiError('conflict', 'this server already launched its exercise');
    const launch = this.deps.launches.begin(input, checked.plan.scenario.id, checked.exercise);
    const progress: LaunchProgressView = {
      launch: launch.id,
      step: 'saved',
      images: { total: 0, done: 0, failed: 0 },
      hosts: { total: 0, ready: 0, failed: 0 },
      line: `scenario ${launch.scenario} saved as launch ${launch.id}`,
    };
    this.set({ phase: 'launching', launch: recordView(launch), progress });
    this.deps.onProgress({ ...progress, images: { ...progress.images }, hosts: { ...progress.hosts } });
    this.running = this.run(launch, checked.plan, checked.exercise, progress).finally(() => {
      this.running = undefined;
    });
    return launch;
  }

  /** Waits for a running launch (tests, shutdown). */
  async settled(): Promise<void> {
    await this.running;
  }

  private async run(
    launch: StoredLaunch,
    plan: Plan,
    exercise: string | undefined,
    progress: LaunchProgressView,
  ): Promise<void> {
    let clients: Clients | undefined;
    try {
      if (launch.mode === 'live' && exercise) {
        clients = await this.deps.connect();
        await this.bringUp(clients, plan, exercise, progress);
      }
      this.step(progress, 'session', 'creating the exercise session');
      const session = this.createSession(plan, launch.input);
      this.deps.launches.launched(launch.id, session);
      const done = this.deps.launches.get(launch.id)!;
      this.step(progress, 'ready', `session ${session} ready`);
      this.set({ phase: 'launched', launch: recordView(done), progress });
      this.deps.onLaunched({ launch: done, session, ...(exercise ? { exercise } : {}) });
    } catch (e) {
      const reason = failureText(e);
      const cleaned = clients && exercise ? await this.cleanUp(clients, exercise) : '';
      const error = `${reason}${cleaned}`;
      this.deps.log(`launch ${launch.id} failed: ${error}`);
      this.deps.launches.failed(launch.id, error);
      this.set({ phase: 'failed', launch: recordView(this.deps.launches.get(launch.id)!), progress });
    }
  }

  private async bringUp(
    clients: Clients,
    plan: Plan,
    exercise: string,
    progress: LaunchProgressView,
  ): Promise<void> {
    this.step(progress, 'images', 'building the images the range needs (cached ones are reused)');
    const result = await rangeUp(clients, plan, {
      exercise,
      concurrency: this.deps.concurrency ?? 12,
      onProgress: (event) => this.relay(progress, event),
    });
    if (result.failed.length > 0) {
      const first = result.failed[0]!;
      throw new RangeFailure(
        `${result.failed.length} of ${result.failed.length + result.ready.length} hosts failed (first: ${first.name}: ${first.reason})`,
        'check `cyrange status` and the engine, then launch again',
      );
    }
  }

  /** Range progress events → the page's counters and log line. */
  private relay(progress: LaunchProgressView, event: RangeEvent): void {
    let line: string | undefined;
    switch (event.type) {
      case 'image':
        if (event.state === 'building') progress.images.total++;
        if (event.state === 'cached') progress.images.total++;
        if (event.state !== 'building') progress.images.done++;
        if (event.state === 'failed') progress.images.failed++;
        line = `image ${event.image}: ${event.state}${event.detail ? ` — ${event.detail}` : ''}`;
        break;
      case 'plan': {
        const h = event.hosts;
        progress.step = 'range';
        progress.hosts.total = h.create + h.recreate + h.restart;
        line = `range ${event.exercise}: ${h.create} hosts to create, ${h.recreate} to recreate, ${h.restart} to restart, ${h.keep} unchanged`;
        break;
      }
      case 'host':
        if (event.state === 'ready') progress.hosts.ready++;
        if (event.state === 'failed') progress.hosts.failed++;
        if (event.state === 'ready' || event.state === 'failed')
          line = `host ${event.name}: ${event.state}${event.detail ? ` — ${event.detail}` : ''}`;
        break;
      case 'network':
        if (event.action !== 'kept') line = `network ${event.name}: ${event.action}`;
        break;
      default:
        return;
    }
    if (line === undefined) return;
    this.deps.onProgress({ ...progress, images: { ...progress.images }, hosts: { ...progress.hosts }, line });
  }

  private createSession(plan: Plan, input: SetupInput): string {
    const now = this.deps.now?.() ?? Date.now();
    const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15);
    let session = `${plan.scenario.id}-${stamp}`;
    // Two launches in one second (after a failed session write) must not share an id.
    for (let i = 2; this.deps.store.sessionPlan(session) !== undefined && i < 100; i++)
      session = `${plan.scenario.id}-${stamp}-${i}`;
    SessionRunner.create(this.deps.store, {
      id: session,
      plan,
      scenarioEpochMs: scenarioEpochMs(plan.scenario.timezone, plan.scenario.start, now),
      ...(input.speed ? { compression: input.speed } : {}),
    });
    return session;
  }

  /** Removes what a failed launch left on the engine; the text says what (or why it could not). */
  private async cleanUp(clients: Clients, exercise: string): Promise<string> {
    try {
      const down = await rangeDown(clients, exercise, { concurrency: this.deps.concurrency ?? 12 });
      if (down.containers + down.networks + down.volumes === 0) return '';
      return ` (removed what it had started: ${down.containers} containers, ${down.networks} networks, ${down.volumes} volumes of ${exercise})`;
    } catch (e) {
      return ` (could not remove its containers: ${failureText(e)} — run \`cyrange down --exercise ${exercise}\`)`;
    }
  }

  private step(progress: LaunchProgressView, step: LaunchProgressView['step'], line: string): void {
    progress.step = step;
    this.deps.onProgress({ ...progress, images: { ...progress.images }, hosts: { ...progress.hosts }, line });
  }

  private set(state: SetupStateView): void {
    this.state = state;
    this.deps.onState(state);
  }
}

/** A failure as a sentence with its fix, never a stack trace. */
export function failureText(e: unknown): string {
  if (e instanceof RangeFailure) return e.message;
  const err = e as { statusCode?: number; message?: string };
  if (err?.statusCode !== undefined) return `the Docker engine refused: ${err.message ?? String(e)}`;
  return err?.message ?? String(e);
}
