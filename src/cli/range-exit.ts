/**
 * Maps the live range's failures to exit codes: no engine or a failed build is the environment
 * (exit 3); the message carries the fix, never a stack trace.
 */
import { RangeFailure } from '../range/range-error';
import { CliExit, EXIT } from './exit-codes';

export async function rangeExit<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CliExit) throw error;
    if (error instanceof RangeFailure) throw new CliExit(EXIT.environment, `cyrange: ${error.message}`);
    const e = error as { statusCode?: number; message?: string };
    if (e.statusCode !== undefined) {
      throw new CliExit(
        EXIT.environment,
        `cyrange: the Docker engine refused: ${e.message ?? String(error)}`,
      );
    }
    throw error;
  }
}
