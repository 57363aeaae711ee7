/**
 * Looks at a live range: a listing of the exercise's containers with their writable-layer sizes, and
 * service checks of given hosts (the readiness check `up` waits for, run as an exec; the monitor
 * chooses which hosts, within a budget: check-budget.ts). Bounded: `concurrency` checks at once, each
 * killed inside the container after `checkTimeoutSec` and abandoned here after a deadline, so a wedged
 * engine cannot stall the probe.
 */

import { mapBounded } from '../common/queue';
import type { SizedContainer as ContainerSummary } from '../docker/clients';
import { type Clients, withDeadline } from '../docker/clients';
import { IMAGE_FOR_ROLE, type ImageName } from '../images/image-catalog';
import { exerciseFilter, LABEL } from '../labels';
import { READINESS, type ReadinessCheck } from '../readiness/readiness-checks';
import { containerName } from '../reconcile/observed-state';
import type { CheckOutcome } from './host-health';

export interface ProbeOptions {
  checkTimeoutSec?: number;
  concurrency?: number;
  /** Replaces the check of some images (tests; custom images). */
  readiness?: Partial<Record<ImageName, ReadinessCheck>>;
}

export class RangeHealthProbe {
  constructor(
    private readonly clients: Clients,
    readonly exercise: string,
    private readonly options: ProbeOptions = {},
  ) {}

  /** Containers with sizes only: cheap enough to run every second for the disk guard. */
  listing(): Promise<ContainerSummary[]> {
    return this.clients.containers.listWithSize(exerciseFilter(this.exercise));
  }

  /** Service checks of these (running) hosts, by container name. */
  async checks(running: readonly ContainerSummary[]): Promise<Map<string, CheckOutcome>> {
    const timeoutSec = this.options.checkTimeoutSec ?? 5;
    const settled = await mapBounded(running, this.options.concurrency ?? 4, (c) =>
      withDeadline(
        this.check(c, timeoutSec),
        (timeoutSec + 3) * 1000,
        `check timed out after ${timeoutSec}s`,
      ),
    );
    const checks = new Map<string, CheckOutcome>();
    running.forEach((c, i) => {
      const r = settled[i];
      if (!r) return;
      checks.set(containerName(c), r.ok ? r.value : { ok: false, detail: r.error.message.slice(0, 200) });
    });
    return checks;
  }

  private async check(c: ContainerSummary, timeoutSec: number): Promise<CheckOutcome> {
    const role = c.Labels?.[LABEL.role] as keyof typeof IMAGE_FOR_ROLE | undefined;
    const image = role ? IMAGE_FOR_ROLE[role] : undefined;
    if (!image) return { ok: true, detail: 'no check for this role' };
    const check = this.options.readiness?.[image] ?? READINESS[image];
    const r = await this.clients.exec.run(containerName(c), ['sh', '-c', check.command], { timeoutSec });
    if (r.exitCode === 0) return { ok: true, detail: 'passes' };
    const said = `${r.stdout}${r.stderr}`.trim().slice(-160);
    return { ok: false, detail: said || `${image} check exited ${r.exitCode}` };
  }
}
