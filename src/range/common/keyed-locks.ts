import { type Limiter, limiter } from './limiter';

/**
 * One lock per key, taken in sorted order so that work needing several keys never deadlocks. The range
 * serialises engine calls per network with it: dockerd 20.10 can lose count of a network's endpoints
 * when containers on the same network are created or removed concurrently, after which the network
 * cannot be removed ("has active endpoints") until the daemon restarts. Different networks still
 * proceed in parallel.
 */
export class KeyedLocks {
  private readonly locks = new Map<string, Limiter>();

  run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const step = (index: number): Promise<T> => {
      const key = sorted[index];
      if (key === undefined) return work();
      let lock = this.locks.get(key);
      if (!lock) {
        lock = limiter(1);
        this.locks.set(key, lock);
      }
      return lock.run(() => step(index + 1));
    };
    return step(0);
  }
}
