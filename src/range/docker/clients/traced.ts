import { logger } from '../../common/logger';

const log = logger('docker');

/**
 * The shape of every client call: log what is about to happen, do it, log done or the failure, rethrow.
 * Keeping it in one helper makes engine traces uniform (CYRANGE_LOG=debug).
 */
export async function traced<T>(what: string, call: () => Promise<T>): Promise<T> {
  log.debug(`${what}…`);
  try {
    const result = await call();
    log.debug(`${what}: done`);
    return result;
  } catch (error) {
    log.debug(`${what}: failed: ${(error as Error).message}`);
    throw error;
  }
}

/** The engine answers 304 when a container is already in the asked state: that is success. */
export function isNotModified(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 304;
}

export function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

/** 409: a container or network of that name exists already (e.g. created late by a killed `up`). */
export function isConflict(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 409;
}
