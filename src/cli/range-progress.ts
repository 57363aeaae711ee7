/**
 * Renders the live range's progress events in the terminal: image builds as lines, hosts as one
 * progress bar redrawn in place on a TTY (plain lines otherwise, so CI logs stay readable).
 */
import type { RangeEvent, RangeListener } from '../range/progress';

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Print every build output line too (`--verbose`). */
  verbose?: boolean;
}

const WIDTH = 30;

export function terminalProgress(options: ProgressOptions = {}): RangeListener & { done(): void } {
  const out = options.stream ?? process.stderr;
  const tty = Boolean(out.isTTY);
  let total = 0;
  let ready = 0;
  let failed = 0;
  let barShown = false;

  const bar = (): void => {
    if (!tty || total === 0) return;
    const finished = ready + failed;
    const filled = Math.round((finished / total) * WIDTH);
    const text = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${finished}/${total} hosts (${ready} ready, ${failed} failed)`;
    out.write(`\r${text}`);
    barShown = true;
  };
  const line = (text: string): void => {
    if (barShown) out.write('\r\x1b[K');
    out.write(`${text}\n`);
    bar();
  };

  const listener = (event: RangeEvent): void => {
    switch (event.type) {
      case 'image':
        if (event.state !== 'cached' || options.verbose)
          line(`image ${event.image}: ${event.state} ${event.tag}`);
        if (event.detail) line(`  ${event.detail}`);
        break;
      case 'image-log':
        if (options.verbose) line(`  ${event.image}| ${event.line}`);
        break;
      case 'plan': {
        const h = event.hosts;
        const n = event.networks;
        total = h.create + h.recreate + h.restart;
        line(
          `${event.exercise}: hosts ${h.create} to create, ${h.recreate} to recreate, ${h.restart} to restart, ` +
            `${h.remove} to remove, ${h.keep} unchanged; networks ${n.create} to create, ${n.remove} to remove, ${n.keep} unchanged`,
        );
        break;
      }
      case 'network':
        if (options.verbose || event.action !== 'kept') line(`network ${event.name}: ${event.action}`);
        break;
      case 'host':
        if (event.state === 'ready') ready++;
        if (event.state === 'failed') {
          failed++;
          line(`host ${event.name}: failed${event.detail ? `: ${event.detail}` : ''}`);
        } else if (event.state === 'removed') {
          if (options.verbose) line(`host ${event.name}: removed`);
        } else if (!tty && event.state === 'ready') {
          line(`host ${event.name}: ready (${ready}/${total})`);
        } else if (options.verbose) {
          line(`host ${event.name}: ${event.state}`);
        }
        bar();
        break;
      case 'guard':
        break;
    }
  };
  return Object.assign(listener, {
    done(): void {
      if (barShown) out.write('\n');
      barShown = false;
    },
  });
}
