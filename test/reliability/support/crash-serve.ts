/**
 * `cyrange serve` as a real child process for the crash and database suites: started on port 0,
 * its URL and join links read from its output, and logged-in HTTP clients (real join, cookie and
 * CSRF token) for the teams.
 */
import { Client } from '../../server/support/harness';
import { type CliChild, spawnCli, until } from './crash-process';

export interface Served {
  cli: CliChild;
  url: string;
  session: string;
  /** Join tokens by label (`controller`, `t01`…). */
  tokens: Map<string, string>;
  join(label: string): Promise<Client>;
}

/** Starts `cyrange serve FILE ARGS --port 0` and waits (bounded) for its join links. */
export async function startServe(file: string, args: string[], boundMs: number): Promise<Served> {
  const cli = spawnCli(['serve', file, '--port', '0', ...args], boundMs);
  let exited = false;
  void cli.exited.then(() => {
    exited = true;
  });
  await until('serve printed its join links', () => exited || /^spectator /m.test(cli.stdout()), 30_000, 20);
  const head = /^serving session (\S+) at (\S+)$/m.exec(cli.stdout());
  if (exited || !head) throw new Error(`serve did not start: ${cli.stdout()} ${cli.stderr()}`);
  const tokens = new Map<string, string>();
  for (const m of cli.stdout().matchAll(/^(\S+)\s+http\S*\/join#(\S+)$/gm)) tokens.set(m[1]!, m[2]!);
  const url = head[2]!;
  return {
    cli,
    url,
    session: head[1]!,
    tokens,
    join: (label) => Client.join(url, tokens.get(label)!),
  };
}
