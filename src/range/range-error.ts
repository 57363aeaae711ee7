/** An error of the live range with what went wrong and how to fix it; the CLI prints `message` only. */
export class RangeFailure extends Error {
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(fix ? `${message} — ${fix}` : message);
    this.name = 'RangeFailure';
  }
}

export function noEngine(where: string, cause?: unknown): RangeFailure {
  const detail = cause instanceof Error ? ` (${cause.message})` : '';
  return new RangeFailure(
    `no Docker engine at ${where}${detail}`,
    'run infra/engine/ensure-engine.sh (installs docker.io and starts dockerd) or set DOCKER_HOST',
  );
}
