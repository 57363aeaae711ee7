import type { Plan } from '../../compiler/plan';
import { KeyedLocks } from '../common/keyed-locks';
import { limiter } from '../common/limiter';
import { mapBounded } from '../common/queue';
import { desiredState, imagesFor, type ReadinessOverrides } from '../desired-state';
import { type Clients, isConflict } from '../docker/clients';
import { ensureHostGuard } from '../host-guard';
import { ensureImages } from '../images/image-builder';
import { ignoreProgress, type RangeListener } from '../progress';
import { RangeFailure } from '../range-error';
import { observe } from '../reconcile/observed-state';
import { diffRange } from '../reconcile/range-diff';
import { bringUpHost, type HostOutcome } from './bring-up-host';
import { removeContainers, removeNetworks } from './remove-resources';

export interface UpOptions {
  /** Prefix of every resource name and the `cyrange.exercise` label (default: the scenario id). */
  exercise?: string;
  /** Engine calls in flight at once (default 12; the daemon serialises beyond that). */
  concurrency?: number;
  readyTimeoutMs?: number;
  /** Replaces the readiness check of some images (tests; custom images); part of each host's config. */
  readiness?: ReadinessOverrides;
  onProgress?: RangeListener;
}

export interface UpResult {
  exercise: string;
  created: number;
  recreated: number;
  restarted: number;
  removed: number;
  kept: number;
  networks: { created: number; removed: number; kept: number };
  ready: string[];
  failed: { name: string; reason: string }[];
  ms: number;
}

const EXERCISE_ID = /^[a-z0-9][a-z0-9-]{0,30}$/;

export function exerciseIdOf(plan: Plan, override?: string): string {
  const id = override ?? plan.scenario.id;
  if (!EXERCISE_ID.test(id)) {
    throw new RangeFailure(
      `exercise id \`${id}\` cannot name containers`,
      'use lowercase letters, digits and dashes (at most 31)',
    );
  }
  return id;
}

/**
 * Brings the engine to the plan's live range, changing only what differs: builds missing images, removes
 * what the plan no longer has, creates networks, then creates, starts and readies hosts with bounded
 * concurrency. Idempotent: over an unchanged plan it only lists and compares.
 */
export async function rangeUp(clients: Clients, plan: Plan, options: UpOptions = {}): Promise<UpResult> {
  const started = Date.now();
  const exercise = exerciseIdOf(plan, options.exercise);
  const emit = options.onProgress ?? ignoreProgress;
  const limit = options.concurrency ?? 12;
  const needed = imagesFor(plan);
  const images = await ensureImages(clients, {
    images: [...new Set([...needed, 'firewall' as const])],
    onProgress: emit,
  });
  await ensureHostGuard(clients, { image: images.tags.firewall, exercise, onProgress: emit });
  const desired = desiredState(plan, exercise, images, options.readiness);
  const diff = diffRange(desired, await observe(clients, exercise));
  emit({
    type: 'plan',
    exercise,
    hosts: {
      create: diff.hosts.create.length,
      recreate: diff.hosts.recreate.length,
      restart: diff.hosts.restart.length,
      remove: diff.hosts.remove.length,
      keep: diff.hosts.keep.length,
    },
    networks: {
      create: diff.networks.create.length,
      remove: diff.networks.remove.length,
      keep: diff.networks.keep.length,
    },
  });

  await removeContainers(
    clients,
    [...diff.hosts.remove, ...diff.hosts.recreate.map((r) => r.existing)],
    limit,
    emit,
  );
  await removeNetworks(clients, diff.networks.remove, limit, emit);
  const createdNetworks = await mapBounded(diff.networks.create, limit, async (spec) => {
    await clients.networks.create(spec.options).catch((error: unknown) => {
      // Created meanwhile by a killed `up` whose request was still in the daemon: same name, same plan.
      if (!isConflict(error)) throw error;
    });
    emit({ type: 'network', team: spec.team, segment: spec.segment, name: spec.name, action: 'created' });
  });
  const networkFailure = createdNetworks.find((r) => !r.ok);
  if (networkFailure && !networkFailure.ok) {
    throw new RangeFailure(
      `creating networks failed: ${networkFailure.error.message}`,
      'run `cyrange down` and retry',
    );
  }

  const work = [
    ...diff.hosts.create.map((spec) => ({ spec, existing: false })),
    ...diff.hosts.recreate.map(({ spec }) => ({ spec, existing: false })),
    ...diff.hosts.restart.map(({ spec }) => ({ spec, existing: true })),
  ];
  const engine = limiter(limit);
  const checks = limiter(limit * 4);
  const networks = new KeyedLocks();
  const settled: HostOutcome[] = await Promise.all(
    work.map(({ spec, existing }) =>
      bringUpHost(clients, spec, emit, {
        existing,
        engine,
        checks,
        networks,
        ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
      }),
    ),
  );
  return {
    exercise,
    created: diff.hosts.create.length,
    recreated: diff.hosts.recreate.length,
    restarted: diff.hosts.restart.length,
    removed: diff.hosts.remove.length,
    kept: diff.hosts.keep.length,
    networks: {
      created: diff.networks.create.length,
      removed: diff.networks.remove.length,
      kept: diff.networks.keep.length,
    },
    ready: settled.filter((o) => o.ok).map((o) => o.name),
    failed: settled.filter((o) => !o.ok).map((o) => ({ name: o.name, reason: o.reason ?? 'unknown' })),
    ms: Date.now() - started,
  };
}
