import type { Plan } from '../../compiler/plan';
import type {
  BackgroundSpec,
  ExecOptions,
  ExecResult,
  HostRef,
  LiveHostDriver,
  MailDelivery,
} from '../../engine/live/live-host-driver';
import { logger } from '../common/logger';
import type { Clients } from '../docker/clients';
import {
  asUser,
  beaconLoop,
  ensureAccount,
  hashFile,
  isRoot,
  pidFile,
  sendMailOnce,
  startDetached,
  stopDetached,
} from './container-commands';
import { DRIVER_DIR, KeyJournal, keyDigest, markerPath, markerText } from './key-journal';
import { type LiveHost, RangeHosts } from './range-hosts';

const log = logger('driver');

/** Output kept per stream of one command (the rest is cut, as the sandbox driver does). */
const MAX_OUTPUT = 1024 * 1024;
/** Seconds every driver bookkeeping exec may take. */
const SHORT = 20;

/**
 * The engine's `LiveHostDriver` on a range that `cyrange up` brought up: every call is an exec or
 * an archive copy in the team's container `<exercise>-<team>-<host>`, through the range's client
 * layer (the only code that talks to dockerode).
 *
 * Guarantees per key (markers under `/run/cyrange/keys/` in the container acted on): a replayed
 * `exec` returns the first result without running again; `putFile`, `fetchFile`, `deliverMail`
 * and `startBackground` act once. A crash between an action and its marker lets the action run
 * again, except for mail: `deliverMail` claims, sends and marks in one process inside the mail
 * container, which a crash of this process does not interrupt (exactly once). Background processes are detached processes in the container (pidfile
 * `/run/cyrange/<digest>.pid`): they outlive this process and its restarts, and a process the
 * trainees killed stays dead when the engine replays its start.
 */
export class DockerHostDriver implements LiveHostDriver {
  readonly kind = 'docker';
  private readonly journal: KeyJournal;
  private closed = false;

  private constructor(
    private readonly clients: Clients,
    readonly hosts: RangeHosts,
  ) {
    this.journal = new KeyJournal(clients);
  }

  /** Finds the exercise's containers; fails with "run `cyrange up FILE` first" when none runs. */
  static async connect(clients: Clients, exercise: string, plan: Plan): Promise<DockerHostDriver> {
    return new DockerHostDriver(clients, await RangeHosts.connect(clients, exercise, plan));
  }

  async exec(target: HostRef, argv: string[], opts: ExecOptions): Promise<ExecResult> {
    const host = this.live(target);
    const done = await this.journal.read<ExecResult>(host.container, opts.key);
    if (done) return done;
    if (argv.length === 0) throw new Error('exec needs a command');
    const user = this.hosts.accountOf(opts.user);
    if (!isRoot(user)) await this.run(host, ensureAccount(user));
    const seconds = Math.max(0.1, opts.timeoutMs / 1000);
    const started = Date.now();
    // `timeout` inside the container (the Engine API cannot kill an exec): TERM at the deadline,
    // KILL 2 s later; the exec client's own KILL a little after is the last resort.
    const r = await this.clients.exec.run(
      host.container,
      ['timeout', '-k', '2', seconds.toFixed(3), ...asUser(user), ...argv],
      { timeoutSec: Math.ceil(seconds) + 5, dropRouteCaps: host.role !== 'firewall' },
    );
    const elapsed = Date.now() - started;
    const result: ExecResult = {
      exitCode: r.exitCode,
      stdout: r.stdout.slice(0, MAX_OUTPUT),
      stderr: r.stderr.slice(0, MAX_OUTPUT),
      timedOut: r.exitCode === 124 || (r.exitCode === 137 && elapsed >= opts.timeoutMs),
    };
    await this.journal.write(host.container, opts.key, result);
    return result;
  }

  async putFile(
    target: HostRef,
    path: string,
    content: string,
    opts: { key: string; mode: string },
  ): Promise<void> {
    const host = this.live(target);
    if (await this.journal.read(host.container, opts.key)) return;
    const abs = absolute(path);
    const mode = Number.parseInt(opts.mode, 8);
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777)
      throw new Error(`mode "${opts.mode}" is not an octal file mode — use e.g. 0644`);
    await this.run(host, ['mkdir', '-p', abs.slice(0, abs.lastIndexOf('/')) || '/']);
    // The archive API streams any size; a base64 exec would hit the argument length limit.
    await this.clients.exec.putFile(host.container, abs, Buffer.from(content, 'utf8'), mode);
    await this.journal.write(host.container, opts.key, { bytes: Buffer.byteLength(content) });
  }

  async fetchFile(
    target: HostRef,
    path: string,
    opts: { key: string },
  ): Promise<{ bytes: number; sha256: string }> {
    const host = this.live(target);
    const done = await this.journal.read<{ bytes: number; sha256: string }>(host.container, opts.key);
    if (done) return done;
    const out = (await this.run(host, hashFile(absolute(path)))).trim().split('\n');
    const result = { bytes: Number(out[0]), sha256: out[1] ?? '' };
    if (!Number.isFinite(result.bytes) || !/^[0-9a-f]{64}$/.test(result.sha256))
      throw new Error(`could not hash ${path} on ${host.container}: ${out.join(' ')}`);
    await this.journal.write(host.container, opts.key, result);
    return result;
  }

  async startBackground(target: HostRef, spec: BackgroundSpec): Promise<string> {
    const host = this.live(target);
    if (await this.journal.read(host.container, spec.key)) return spec.key;
    const argv = this.backgroundArgv(target.team, spec);
    const user = this.hosts.accountOf(spec.user);
    if (!isRoot(user)) await this.run(host, ensureAccount(user));
    const out = await this.run(host, startDetached(pidFile(keyDigest(spec.key)), [...asUser(user), ...argv]));
    if (!/started|running/.test(out))
      throw new Error(`background ${spec.key} did not start on ${host.container}`);
    await this.journal.write(host.container, spec.key, { started: Date.now() });
    log.debug(`started ${spec.kind} ${spec.key} on ${host.container}`);
    return spec.key;
  }

  async stopBackground(target: HostRef, key: string): Promise<void> {
    const host = this.live(target);
    await this.run(host, stopDetached(pidFile(keyDigest(key))));
    log.debug(`stopped ${key} on ${host.container}`);
  }

  /**
   * Hands the message to the team's live mail server (`sendmail` inside it): Postfix delivers it to
   * the recipient's Maildir `/home/<account>/Maildir/new/` (`to` may be a person id of the
   * scenario, an account or an address; the account is created when missing, and an address whose
   * local part cannot be an account lands in `catchall`) and logs it in `/var/log/mail.log`,
   * as a mail from outside would be.
   */
  async deliverMail(team: string, mail: MailDelivery): Promise<void> {
    const host = this.hosts.mailHost(team);
    this.guard();
    if (await this.journal.read(host.container, mail.key)) return;
    const file = `${DRIVER_DIR}/mail-${keyDigest(mail.key)}.eml`;
    const rcpt = this.hosts.recipient(mail.to);
    if (rcpt.account) await this.run(host, ensureAccount(rcpt.account));
    await this.clients.exec.putFile(
      host.container,
      file,
      Buffer.from(mail.raw.replace(/\r\n/g, '\n')),
      0o600,
    );
    // Postfix delivers by the local part: the account's Maildir when it matches, else `catchall`.
    const to = rcpt.account ? `${rcpt.account}@${rcpt.address.split('@')[1] ?? 'localhost'}` : rcpt.address;
    const marker = markerText(mail.key, { to, bytes: mail.raw.length });
    await this.run(host, sendMailOnce(file, envelopeSender(mail.raw), to, markerPath(mail.key), marker));
  }

  /** Nothing is held in this process (background processes live in the containers); safe twice. */
  async close(): Promise<void> {
    this.closed = true;
  }

  private backgroundArgv(team: string, spec: BackgroundSpec): string[] {
    if (spec.kind === 'beacon') {
      if (!spec.url) throw new Error(`beacon ${spec.key} has no url`);
      const seconds = Math.max(0.1, (spec.intervalMs ?? 60_000) / 1000);
      return beaconLoop(spec.url, seconds, this.hosts.proxyUrl(team));
    }
    if (!spec.argv?.length) throw new Error('a background command needs argv');
    return spec.argv;
  }

  private live(target: HostRef): LiveHost {
    this.guard();
    return this.hosts.get(target.team, target.host);
  }

  private guard(): void {
    if (this.closed) throw new Error('the Docker host driver is closed');
  }

  /** A bookkeeping exec as root that must succeed; returns its stdout. */
  private async run(host: LiveHost, argv: string[]): Promise<string> {
    const r = await this.clients.exec.run(host.container, argv, {
      timeoutSec: SHORT,
      dropRouteCaps: host.role !== 'firewall',
    });
    if (r.exitCode !== 0) {
      throw new Error(
        `${argv[0]} on ${host.container} exited ${r.exitCode}: ${(r.stderr || r.stdout).trim()}`,
      );
    }
    return r.stdout;
  }
}

function absolute(path: string): string {
  const abs = `/${path.replace(/^\/+/, '')}`;
  if (abs.split('/').includes('..')) throw new Error(`path "${path}" has ".." — give the absolute path`);
  return abs;
}

/** The address in the message's From header (the envelope sender), or empty (null sender). */
function envelopeSender(raw: string): string {
  const header = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const from = /^From:(.*)$/im.exec(header)?.[1] ?? '';
  return /<([^<>\s]+@[^<>\s]+)>/.exec(from)?.[1] ?? /([^\s<>"]+@[^\s<>"]+)/.exec(from)?.[1] ?? '';
}
