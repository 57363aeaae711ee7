import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type {
  BackgroundSpec,
  ExecOptions,
  ExecResult,
  HostRef,
  LiveHostDriver,
  MailDelivery,
} from './live-host-driver';

/**
 * A real, local `LiveHostDriver` without containers: every host is a directory
 * `<root>/<team>/<host>/`, commands run with `/bin/sh` semantics in that directory (with a
 * timeout), files are written and read inside it (paths cannot escape it), mail lands as
 * Maildir files under `<root>/<team>/mail/<address>/new/`, and a beacon is a timer in this
 * process appending its calls to `var/log/beacon.log` of the host.
 *
 * It is not isolation: use it for tests, classrooms without a container engine and `cyrange run`
 * on the simulated part. Results of finished commands are journalled under `.cyrange/ops/` by
 * key, so a retried key returns the first result; a command cut by a crash runs again.
 */
export class SandboxHostDriver implements LiveHostDriver {
  readonly kind = 'sandbox';
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly children = new Map<string, ChildProcess>();

  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  hostDir(target: HostRef): string {
    const dir = join(this.root, safeName(target.team), safeName(target.host));
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Absolute path of `path` on the host, refusing anything outside its directory. */
  resolvePath(target: HostRef, path: string): string {
    const dir = this.hostDir(target);
    const abs = resolve(dir, `.${sep}${path.replace(/^[/\\]+/, '')}`);
    if (abs !== dir && !abs.startsWith(dir + sep)) {
      throw new Error(`path "${path}" leaves host ${target.host}'s sandbox — use a path inside the host`);
    }
    return abs;
  }

  async exec(target: HostRef, argv: string[], opts: ExecOptions): Promise<ExecResult> {
    const journal = this.opFile(target, opts.key);
    if (existsSync(journal)) return JSON.parse(readFileSync(journal, 'utf8')) as ExecResult;
    const [file, ...args] = argv;
    if (!file) throw new Error('exec needs a command');
    const cwd = this.hostDir(target);
    const result = await new Promise<ExecResult>((done) => {
      execFile(
        file,
        args,
        {
          cwd,
          timeout: opts.timeoutMs,
          maxBuffer: 1024 * 1024,
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: cwd,
            USER: opts.user,
            CYRANGE_HOST: target.host,
          },
        },
        (err, stdout, stderr) => {
          const e = err as (Error & { code?: number | string; killed?: boolean; signal?: string }) | null;
          const timedOut = Boolean(e?.killed && e.signal === 'SIGTERM');
          const exitCode = e ? (typeof e.code === 'number' ? e.code : 127) : 0;
          done({
            exitCode,
            stdout: String(stdout),
            stderr: e && !stderr ? e.message : String(stderr),
            timedOut,
          });
        },
      );
    });
    writeAtomic(journal, JSON.stringify(result));
    return result;
  }

  async putFile(
    target: HostRef,
    path: string,
    content: string,
    opts: { key: string; mode: string },
  ): Promise<void> {
    const abs = this.resolvePath(target, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeAtomic(abs, content, Number.parseInt(opts.mode, 8) || 0o644);
  }

  async fetchFile(
    target: HostRef,
    path: string,
    _opts: { key: string },
  ): Promise<{ bytes: number; sha256: string }> {
    const content = readFileSync(this.resolvePath(target, path));
    return { bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') };
  }

  async startBackground(target: HostRef, spec: BackgroundSpec): Promise<string> {
    if (this.timers.has(spec.key) || this.children.has(spec.key)) return spec.key;
    if (spec.kind === 'beacon') {
      const log = this.resolvePath(target, 'var/log/beacon.log');
      mkdirSync(dirname(log), { recursive: true });
      const intervalMs = Math.max(100, spec.intervalMs ?? 60_000);
      const call = () => appendFileSync(log, `${new Date().toISOString()} GET ${spec.url ?? ''}\n`);
      call();
      const timer = setInterval(call, intervalMs);
      timer.unref();
      this.timers.set(spec.key, timer);
    } else {
      const [file, ...args] = spec.argv ?? [];
      if (!file) throw new Error('a background command needs argv');
      const child = spawn(file, args, { cwd: this.hostDir(target), stdio: 'ignore' });
      child.on('error', () => this.children.delete(spec.key));
      child.on('exit', () => this.children.delete(spec.key));
      child.unref();
      this.children.set(spec.key, child);
    }
    return spec.key;
  }

  async stopBackground(_target: HostRef, key: string): Promise<void> {
    const timer = this.timers.get(key);
    if (timer) clearInterval(timer);
    this.timers.delete(key);
    const child = this.children.get(key);
    if (child && child.exitCode === null) child.kill('SIGTERM');
    this.children.delete(key);
  }

  /** Keys of the background processes running in this process. */
  running(): string[] {
    return [...this.timers.keys(), ...this.children.keys()];
  }

  async deliverMail(team: string, mail: MailDelivery): Promise<void> {
    const box = join(this.root, safeName(team), 'mail', safeName(mail.to.toLowerCase()), 'new');
    mkdirSync(box, { recursive: true });
    writeAtomic(join(box, `${digest(mail.key)}.eml`), mail.raw);
  }

  async close(): Promise<void> {
    for (const key of [...this.timers.keys(), ...this.children.keys()]) {
      await this.stopBackground({ team: '', host: '' }, key);
    }
  }

  private opFile(target: HostRef, key: string): string {
    const dir = join(this.hostDir(target), '.cyrange', 'ops');
    mkdirSync(dir, { recursive: true });
    return join(dir, `${digest(key)}.json`);
  }
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

function safeName(s: string): string {
  const clean = s.replace(/[^A-Za-z0-9._@+-]/g, '_');
  if (clean === '' || clean === '.' || clean === '..')
    throw new Error(`"${s}" cannot name a sandbox directory`);
  return clean;
}

/** Write-then-rename, so a crash never leaves half a file. */
function writeAtomic(path: string, content: string, mode = 0o644): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}
