import type { Plan } from '../../compiler/plan';
import type { StoredEvent } from '../../engine/events/event-types';
import type { CollectedRecord } from '../../engine/session/collect-logs';
import { logger } from '../common/logger';
import { mapBounded } from '../common/queue';
import type { Clients } from '../docker/clients';
import type { ParseContext } from './log-parsers';
import { type LogSource, sourcesFor } from './log-sources';
import type { LiveHost, RangeHosts } from './range-hosts';

const log = logger('collector');

/** Where collected batches go: `SessionRunner` has exactly this method. */
export interface CollectSink {
  collect(team: string, host: string, source: string, key: string, records: CollectedRecord[]): boolean;
}

export interface CollectorOptions {
  /** Wall ms between polls (default 5 s). */
  intervalMs?: number;
  /** Hosts read at once (default 4). */
  concurrency?: number;
  /** Bytes read from one file per poll (default 256 KiB); the rest waits for the next poll. */
  maxBytesPerRead?: number;
  /** Keys of batches already stored (see `collectedKeys`): reading resumes after them. */
  resumeKeys?: Iterable<string>;
  /** Also collect the C2's own log (the attacker's view; off for a defender's telemetry). */
  includeAttacker?: boolean;
  /**
   * Maps a line's wall-clock time to the record's time. Give the exercise clock's mapping
   * (`epochMs + scenarioAt(clock, wall) * 1000`) so live lines sort among simulated records
   * written in scenario time; identity by default.
   */
  timeOf?: (wallMs: number) => number;
  now?: () => number;
}

export interface PollResult {
  batches: number;
  records: number;
  /** Files that could not be read this time (host stopped, file missing…); retried next poll. */
  errors: number;
}

interface FileState {
  inode: string;
  offset: number;
  /** Parser state per file (e.g. Postfix queue ids). */
  state: Map<string, string>;
}

/** Reads a slice of a file by offset; restarts at 0 when the file was replaced or truncated. */
const READ_SLICE = [
  'f="$1"; off="$2"; max="$3"; want="$4"',
  '[ -f "$f" ] || { echo missing; exit 0; }',
  'ino="$(stat -c %i "$f")"; size="$(stat -c %s "$f")"',
  'if [ "$ino" != "$want" ] || [ "$size" -lt "$off" ]; then off=0; fi',
  'echo "$ino $size $off"',
  'tail -c +"$((off + 1))" "$f" | head -c "$max" | base64 -w0',
].join('\n');

const BATCH_KEY = /^(.*)\|(\d+)\|(\d+)-(\d+)$/;

/**
 * Tails the live hosts' real log files (Squid, dnsmasq, Postfix, nginx, syslog — see
 * log-sources.ts) by byte offset through execs, parses new complete lines into ECS records and
 * hands each slice to the runner as one batch keyed `<host>:<path>|<inode>|<start>-<end>`. The
 * store refuses a key twice, and on restart `resumeKeys` (from `collectedKeys(store, session)`)
 * puts every file's offset after the last stored batch: no line is stored twice, none skipped.
 * Bounded: `concurrency` hosts read at once (one file per host at a time), at most
 * `maxBytesPerRead` per file per poll, one poll in flight.
 */
export class LiveLogCollector {
  private readonly files = new Map<string, FileState>();
  private readonly intervalMs: number;
  private readonly maxBytes: number;
  private readonly concurrency: number;
  private readonly now: () => number;
  private readonly ips = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<PollResult> | undefined;
  private stopped = false;

  constructor(
    private readonly clients: Clients,
    private readonly hosts: RangeHosts,
    private readonly sink: CollectSink,
    private readonly options: CollectorOptions = {},
  ) {
    this.intervalMs = Math.max(200, options.intervalMs ?? 5_000);
    this.maxBytes = Math.max(4096, options.maxBytesPerRead ?? 256 * 1024);
    this.now = options.now ?? Date.now;
    this.concurrency = Math.min(16, Math.max(1, options.concurrency ?? 4));
    indexAddresses(hosts.plan, this.ips);
    for (const key of options.resumeKeys ?? []) this.resume(key);
  }

  /** Polls every `intervalMs` until `stop()`; a failing poll is logged and the next one tries again. */
  start(): void {
    if (this.timer || this.stopped) return;
    const loop = () => {
      this.polling = this.pollOnce().finally(() => {
        this.polling = undefined;
        if (!this.stopped) this.timer = setTimeout(loop, this.intervalMs);
      });
      this.polling.catch((e: Error) => log.warn(`poll failed: ${e.message}`));
    };
    this.timer = setTimeout(loop, 0);
  }

  /**
   * Stops polling and waits for the poll in flight; with `finalPoll`, reads once more so lines
   * written up to now are stored. Safe twice.
   */
  async stop(options: { finalPoll?: boolean } = {}): Promise<PollResult | undefined> {
    const first = !this.stopped;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling?.catch(() => undefined);
    return first && options.finalPoll ? this.poll(true) : undefined;
  }

  /** Reads every live host's log files once and stores what is new. */
  pollOnce(): Promise<PollResult> {
    return this.poll(false);
  }

  private async poll(final: boolean): Promise<PollResult> {
    const result: PollResult = { batches: 0, records: 0, errors: 0 };
    const all = this.hosts.all().filter((h) => h.running);
    // Hosts in parallel (bounded), each host's files one after the other.
    await mapBounded(all, this.concurrency, async (host) => {
      const team = all.filter((h) => h.team === host.team);
      for (const source of sourcesFor(host, team, {
        includeAttacker: Boolean(this.options.includeAttacker),
      })) {
        if (this.stopped && !final) return;
        try {
          for (const file of await this.filesOf(host, source)) {
            const r = await this.readFile(host, source, file);
            result.batches += r.batches;
            result.records += r.records;
          }
        } catch (e) {
          result.errors++;
          log.debug(`${host.container} ${source.path}: ${(e as Error).message}`);
        }
      }
    });
    return result;
  }

  private async filesOf(host: LiveHost, source: LogSource): Promise<string[]> {
    if (!source.folder) return [source.path];
    const r = await this.clients.exec.run(
      host.container,
      ['sh', '-c', 'for f in "$1"/*.log; do [ -f "$f" ] && echo "$f"; done; true', 'list', source.path],
      { timeoutSec: 15 },
    );
    return r.stdout.split('\n').filter(Boolean).sort();
  }

  /** Reads until the file has nothing new or the per-poll budget is spent. */
  private async readFile(
    host: LiveHost,
    source: LogSource,
    path: string,
  ): Promise<{ batches: number; records: number }> {
    const id = `${host.host}:${path}`;
    const known = this.files.get(id) ?? { inode: '', offset: 0, state: new Map<string, string>() };
    const r = await this.clients.exec.run(
      host.container,
      ['sh', '-c', READ_SLICE, 'read', path, String(known.offset), String(this.maxBytes), known.inode || '-'],
      { timeoutSec: 30 },
    );
    if (r.exitCode !== 0) throw new Error(`read exited ${r.exitCode}: ${r.stderr.trim()}`);
    const [meta = '', data = ''] = r.stdout.split('\n');
    if (meta === 'missing' || meta === '') return { batches: 0, records: 0 };
    const [inode = '', , startText = '0'] = meta.split(' ');
    const start = Number(startText);
    const state =
      inode === known.inode && start === known.offset ? known : { inode, offset: start, state: new Map() };
    const bytes = Buffer.from(data, 'base64');
    // Only complete lines; a single line longer than the budget is taken as it is.
    let end = bytes.lastIndexOf(0x0a) + 1;
    if (end === 0 && bytes.length >= this.maxBytes) end = bytes.length;
    if (end === 0) {
      this.files.set(id, state);
      return { batches: 0, records: 0 };
    }
    const ctx: ParseContext = {
      host: host.host,
      nameOf: (ip) => this.ips.get(`${host.team}/${ip}`),
      nowMs: this.now(),
      state: state.state,
    };
    const parse = source.parser(path);
    const records: CollectedRecord[] = [];
    for (const line of bytes.subarray(0, end).toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const record = parse(line, ctx);
      if (record)
        records.push(this.options.timeOf ? { ...record, ts: this.options.timeOf(record.ts) } : record);
    }
    const key = `${id}|${inode}|${start}-${start + end}`;
    const stored = records.length > 0 && this.sink.collect(host.team, host.host, source.source, key, records);
    this.files.set(id, { ...state, offset: start + end });
    return { batches: stored ? 1 : 0, records: stored ? records.length : 0 };
  }

  private resume(key: string): void {
    const m = BATCH_KEY.exec(key);
    if (!m) return;
    const [, id, inode, , end] = m as unknown as [string, string, string, string, string];
    const known = this.files.get(id);
    if (known && known.inode === inode && known.offset >= Number(end)) return;
    this.files.set(id, { inode, offset: Number(end), state: new Map() });
  }
}

/** Batch keys (`<host>:<path>|<inode>|<start>-<end>`) of what a session already collected. */
export function collectedKeys(events: Iterable<StoredEvent>): string[] {
  const keys: string[] = [];
  for (const e of events) {
    if (e.type !== 'telemetry.collected' || !e.key) continue;
    const at = e.key.indexOf('/collected/');
    if (at >= 0) keys.push(e.key.slice(at + '/collected/'.length));
  }
  return keys;
}

function indexAddresses(plan: Plan, into: Map<string, string>): void {
  for (const team of plan.teams) {
    for (const host of team.hosts) {
      into.set(`${team.id}/${host.ip}`, host.name);
      for (const i of host.interfaces) into.set(`${team.id}/${i.ip}`, host.name);
    }
  }
}
