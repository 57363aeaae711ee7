/**
 * A tiny leveled logger for the range runtime. Silent unless CYRANGE_LOG=debug|info, so CLI output stays
 * clean; tests and operators turn it on when they need to see every engine call.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function threshold(): number {
  const value = process.env.CYRANGE_LOG;
  return value && value in ORDER ? ORDER[value as Level] : ORDER.warn;
}

function write(level: Level, scope: string, message: string): void {
  if (ORDER[level] < threshold()) return;
  process.stderr.write(`${new Date().toISOString()} ${level} [${scope}] ${message}\n`);
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function logger(scope: string): Logger {
  return {
    debug: (m) => write('debug', scope, m),
    info: (m) => write('info', scope, m),
    warn: (m) => write('warn', scope, m),
    error: (m) => write('error', scope, m),
  };
}
