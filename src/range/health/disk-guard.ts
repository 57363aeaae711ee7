/**
 * The disk guard: overlay2 on ext4 has no per-container quota, so a participant filling a
 * container's disk fills the engine host's. Each listing, every running host whose writable layer
 * passed the limit is stopped (SIGKILL ends the writes at once); the host keeps a note saying why
 * until it is restored (which removes the layer and frees the space). A watchdog, not a quota:
 * a host overshoots by what it writes between two looks (docs/RANGE.md, "Disk bound").
 */
import type { Clients, SizedContainer } from '../docker/clients';
import { LABEL } from '../labels';
import { containerName } from '../reconcile/observed-state';
import { mib } from './host-health';
import type { RangeFact } from './range-facts';

export class DiskGuard {
  /** Why a container was stopped, by container id (a restored host has a new id). */
  readonly notes = new Map<string, string>();

  constructor(
    private readonly clients: Clients,
    readonly limitBytes: number,
    private readonly say: (line: string) => void,
    private readonly record: (fact: RangeFact) => void,
  ) {}

  /** Stops every running container over the limit; returns how many it stopped. */
  async stopOverLimit(containers: readonly SizedContainer[]): Promise<number> {
    const over = containers.filter((c) => c.State === 'running' && (c.SizeRw ?? 0) > this.limitBytes);
    for (const c of over) {
      const bytes = c.SizeRw ?? 0;
      await this.clients.containers.kill(c.Id);
      const detail = `stopped by the disk guard: writable layer ${mib(bytes)} > ${mib(this.limitBytes)}`;
      this.notes.set(c.Id, detail);
      const team = c.Labels?.[LABEL.team] ?? null;
      const host = c.Labels?.[LABEL.host] ?? containerName(c);
      this.say(`${team}/${host} ${detail} — restore it from the controller console`);
      this.record({
        type: 'range.host.disk-limit',
        team,
        payload: { host, bytes, limit: this.limitBytes, detail },
      });
    }
    return over.length;
  }
}
