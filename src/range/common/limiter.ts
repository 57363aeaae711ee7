/**
 * A counting semaphore: `run` waits for one of `limit` slots. Lets two stages of one pipeline share
 * nothing: engine calls (create, connect, start) hold a slot of one limiter while readiness polling,
 * which mostly waits, holds a slot of another, so waiting hosts never starve the engine queue.
 */
export interface Limiter {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function limiter(limit: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  // A finishing holder hands its slot straight to the next waiter, so no newcomer can slip in between.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else active++;
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
