import type { Plan } from '../../compiler/plan';
import { limiter } from '../common/limiter';
import { mapBounded } from '../common/queue';
import { desiredState, type HostSpec, imagesFor } from '../desired-state';
import { type Clients, isConflict, type ServiceSummary, type TaskSummary } from '../docker/clients';
import { ensureImages } from '../images/image-builder';
import { LABEL } from '../labels';
import { exerciseIdOf, type UpOptions, type UpResult } from '../lifecycle/range-up';
import { ignoreProgress } from '../progress';
import { RangeFailure } from '../range-error';
import { READINESS } from '../readiness/readiness-checks';
import { overlayNetworks } from './overlay-networks';
import { teamPlacement } from './placement';
import { requireSwarmManager } from './require-swarm';
import { type SwarmServiceSpec, serviceSpec, type TaskAddresses } from './service-spec';
import { observeSwarm, serviceLabels } from './swarm-observe';
import { removeOverlays, removeServices } from './swarm-remove';
import { taskAddresses, waitTaskReady } from './task-state';

/** Deploy order: the firewall first, then the log collector, whose task addresses the others need. */
const PHASES: ((h: HostSpec) => boolean)[] = [
  (h) => h.role === 'firewall',
  (h) => h.role === 'log-collector',
  (h) => h.role !== 'firewall' && h.role !== 'log-collector',
];

/**
 * The plan's live range as Swarm services on internal overlay networks, changing only what differs:
 * services whose config hash changed are updated in place (with their current version), missing ones
 * created, extra ones removed; a service whose task is not running is forced to a new task. Every host
 * is checked ready (task running, then the role's check by exec); a host that fails is removed.
 */
export async function swarmUp(clients: Clients, plan: Plan, options: UpOptions = {}): Promise<UpResult> {
  const started = Date.now();
  const exercise = exerciseIdOf(plan, options.exercise);
  const emit = options.onProgress ?? ignoreProgress;
  const limit = options.concurrency ?? 12;
  await requireSwarmManager(clients);
  const images = await ensureImages(clients, { images: imagesFor(plan), onProgress: emit });
  const desired = desiredState(plan, exercise, images, options.readiness);
  const overlays = overlayNetworks(desired);
  const observed = await observeSwarm(clients, exercise);

  const wantedNet = new Map(overlays.map((n) => [n.name, n]));
  const staleNets = observed.networks.filter(
    (n) => wantedNet.get(n.Name)?.configHash !== n.Labels?.[LABEL.configHash],
  );
  const keptNets = new Set(observed.networks.filter((n) => !staleNets.includes(n)).map((n) => n.Name));
  const staleNetIds = new Set(staleNets.flatMap((n) => [n.Id, n.Name]));
  const wantedHosts = new Set(desired.hosts.map((h) => h.name));
  const staleServices = observed.services.filter(
    (s) =>
      !wantedHosts.has(s.Spec?.Name ?? '') ||
      (s.Spec?.TaskTemplate?.Networks ?? []).some((n) => staleNetIds.has(String(n.Target))),
  );
  await removeServices(clients, staleServices, limit, emit);
  await removeOverlays(clients, staleNets, emit);
  const toCreate = overlays.filter((n) => !keptNets.has(n.name));
  const created = await mapBounded(toCreate, limit, async (n) => {
    await clients.networks.create(n.options).catch((error: unknown) => {
      if (!isConflict(error)) throw error;
    });
    emit({ type: 'network', team: n.team, segment: n.segment, name: n.name, action: 'created' });
  });
  const failedNet = created.find((r) => !r.ok);
  if (failedNet && !failedNet.ok)
    throw new RangeFailure(
      `creating overlay networks failed: ${failedNet.error.message}`,
      'run `cyrange down --backend swarm` and retry',
    );

  const existing = new Map<string, ServiceSummary>(
    observed.services.filter((s) => !staleServices.includes(s)).map((s) => [s.Spec?.Name ?? '', s]),
  );
  // Whether a kept service changes is known only once earlier phases' addresses are: every existing
  // one counts as `recreate` here (each host reports ready or failed, so the progress total holds).
  const missing = desired.hosts.filter((h) => !existing.has(h.name)).length;
  emit({
    type: 'plan',
    exercise,
    hosts: {
      create: missing,
      recreate: desired.hosts.length - missing,
      restart: 0,
      remove: staleServices.length,
      keep: 0,
    },
    networks: { create: toCreate.length, remove: staleNets.length, keep: keptNets.size },
  });
  // One task listing for the whole swarm: a kept service with a running task needs no other call.
  const running = new Map<string, TaskSummary>();
  for (const t of await clients.services.tasks({ 'desired-state': ['running'] }))
    if (t.Status?.State === 'running' && t.ServiceID) running.set(t.ServiceID, t);
  const placement = teamPlacement(
    plan.teams.map((t) => t.id),
    await clients.nodes.list(),
  );
  const localNode = (await clients.nodes.swarmState()).nodeId;
  const cidrs = new Map<string, string[]>();
  for (const n of overlays) cidrs.set(n.team, [...(cidrs.get(n.team) ?? []), n.cidr]);
  const addresses: TaskAddresses = new Map();
  const roleOf = (team: string, role: string) =>
    desired.hosts.find((h) => h.team === team && h.role === role)?.name;
  const engine = limiter(limit);
  const checks = limiter(limit * 4);
  const result: UpResult = {
    exercise,
    created: 0,
    recreated: 0,
    restarted: 0,
    removed: staleServices.length,
    kept: 0,
    networks: { created: toCreate.length, removed: staleNets.length, kept: keptNets.size },
    ready: [],
    failed: [],
    ms: 0,
  };

  for (const inPhase of PHASES) {
    const hosts = desired.hosts.filter(inPhase);
    await Promise.all(
      hosts.map(async (host) => {
        const fw = roleOf(host.team, 'firewall');
        const collector = roleOf(host.team, 'log-collector');
        const wanted = serviceSpec(host, {
          constraints: placement.get(host.team) ?? [],
          ...(fw && addresses.get(fw) ? { firewall: addresses.get(fw) } : {}),
          ...(collector && addresses.get(collector) ? { collector: addresses.get(collector) } : {}),
          cidrs: cidrs.get(host.team) ?? [],
        });
        const event = { type: 'host' as const, team: host.team, host: host.host, name: host.name };
        try {
          const current = existing.get(host.name);
          const kept = await engine.run(() => deploy(clients, wanted, current, running, result, emit));
          const keptTask = kept && current ? running.get(current.ID) : undefined;
          // An unchanged service whose task runs was ready before: its addresses are all that is needed.
          const task = keptTask
            ? { addresses: taskAddresses(keptTask) }
            : await checks.run(() =>
                waitTaskReady(clients, host.name, options.readiness?.[host.image] ?? READINESS[host.image], {
                  ...(options.readyTimeoutMs !== undefined ? { timeoutMs: options.readyTimeoutMs } : {}),
                  localNode,
                }),
              );
          addresses.set(host.name, task.addresses);
          result.ready.push(host.name);
          emit({ ...event, state: 'ready' });
        } catch (error) {
          const reason = (error as Error).message;
          emit({ ...event, state: 'failed', detail: reason });
          await clients.services.remove(host.name).catch(() => undefined);
          emit({ ...event, state: 'removed' });
          result.failed.push({ name: host.name, reason });
        }
      }),
    );
  }
  result.ms = Date.now() - started;
  return result;
}

/**
 * Creates, updates (current version), forces a new task for a dead one, or keeps a service (then
 * returns true).
 */
async function deploy(
  clients: Clients,
  wanted: SwarmServiceSpec,
  current: ServiceSummary | undefined,
  running: Map<string, TaskSummary>,
  result: UpResult,
  emit: NonNullable<UpOptions['onProgress']>,
): Promise<boolean> {
  const host = wanted.host;
  const event = { type: 'host' as const, team: host.team, host: host.host, name: host.name };
  if (!current) {
    emit({ ...event, state: 'creating' });
    await clients.services.create(wanted.spec).catch(async (error: unknown) => {
      if (!isConflict(error)) throw error;
      // Created meanwhile (a killed `up`): replace it with this spec.
      await clients.services.remove(wanted.name);
      await clients.services.create(wanted.spec);
    });
    result.created++;
    return false;
  }
  const version = current.Version?.Index ?? 0;
  if (serviceLabels(current)[LABEL.configHash] !== wanted.configHash) {
    emit({ ...event, state: 'starting', detail: 'config changed: updating the service' });
    await clients.services.update(current.ID, version, wanted.spec);
    result.recreated++;
    return false;
  }
  if (running.has(current.ID)) {
    emit({ ...event, state: 'kept' });
    result.kept++;
    return true;
  }
  // Same spec, but its task died (killed by hand): a new task through ForceUpdate.
  const force = (current.Spec?.TaskTemplate?.ForceUpdate ?? 0) + 1;
  emit({ ...event, state: 'starting', detail: 'task not running: forcing a new task' });
  await clients.services.update(current.ID, version, {
    ...wanted.spec,
    TaskTemplate: { ...wanted.spec.TaskTemplate, ForceUpdate: force },
  });
  result.restarted++;
  return false;
}
