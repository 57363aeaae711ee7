/** Setup mode (`cyrange serve` without a FILE) run in the test's process, for server and browser tests. */
import { serveSetupMode } from '../../../src/cli/serve-setup';
import { DEFAULTS } from '../../../src/server/config';
import type { LaunchedView, LaunchProgressView } from '../../../src/wire/setup';
import type { ClientSocket } from './harness';

export interface RunningSetup {
  url: string;
  token: string;
  lines: string[];
  stop(): Promise<void>;
}

/** `serveSetupMode` in this process on port `port` (0: any), until `stop()`. */
export async function runSetup(db: string, port = 0, webRoot?: string): Promise<RunningSetup> {
  const lines: string[] = [];
  const abort = new AbortController();
  const done = serveSetupMode({
    db,
    config: { ...DEFAULTS, port, pollMs: 50 },
    sandbox: `${db}.sandbox`,
    ...(webRoot ? { webRoot } : {}),
    out: (l) => lines.push(l),
    signal: abort.signal,
  });
  let failed: unknown;
  done.catch((e) => {
    failed = e;
  });
  const deadline = Date.now() + 15_000;
  let m: RegExpMatchArray | null = null;
  while (!m && Date.now() < deadline && failed === undefined) {
    m = lines.join('\n').match(/^controller {3}(http:\/\/[^/]+)\/join#(\S+)$/m);
    if (!m) await new Promise((r) => setTimeout(r, 20));
  }
  if (!m) throw new Error(`no controller link: ${String(failed)}\n${lines.join('\n')}`);
  return {
    url: m[1]!,
    token: m[2]!,
    lines,
    async stop() {
      abort.abort();
      await done.catch(() => undefined);
    },
  };
}

/**
 * The quickstart text moved to its own address blocks (`10.B.x` and `198.19.B.0/24`), as a
 * controller would edit it on the setup page: live ranges of one scenario share its subnets, so
 * a test's range must not overlap other ranges on the shared engine.
 */
export function quickstartInBlock(text: string, block: number): string {
  return text.replaceAll('10.10.', `10.${block}.`).replace('198.18.0.0/24', `198.19.${block}.0/24`);
}

/** What the setup page hears of a launch: its progress, and the hand-over (acknowledged, as the page does). */
export function watchLaunch(socket: ClientSocket): {
  progress: LaunchProgressView[];
  launched?: LaunchedView;
} {
  const seen: { progress: LaunchProgressView[]; launched?: LaunchedView } = { progress: [] };
  socket.on('setup:progress', (p) => seen.progress.push(p));
  socket.on('setup:launched', (view, ack) => {
    seen.launched = view;
    ack();
  });
  return seen;
}
