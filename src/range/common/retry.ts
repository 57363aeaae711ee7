/**
 * Retries transient engine errors (daemon busy, socket reset, 5xx other than a real conflict) with
 * exponential backoff. Anything else (404, 409, bad request) is returned to the caller at once.
 */
export function isTransient(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (e.code && ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'ESOCKETTIMEDOUT'].includes(e.code))
    return true;
  if (e.statusCode === 500 || e.statusCode === 503) {
    // "already exists"/"in use" are conflicts the caller must handle, not transient faults.
    return !/already|in use|conflict|not found/i.test(e.message ?? '');
  }
  return /timeout|timed out|socket hang up|try again/i.test(e.message ?? '');
}

export async function retry<T>(
  what: () => Promise<T>,
  options: { attempts?: number; baseMs?: number; transient?: (e: unknown) => boolean } = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  const baseMs = options.baseMs ?? 250;
  const transient = options.transient ?? isTransient;
  for (let attempt = 1; ; attempt++) {
    try {
      return await what();
    } catch (error) {
      if (attempt >= attempts || !transient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, baseMs * 2 ** (attempt - 1)));
    }
  }
}
