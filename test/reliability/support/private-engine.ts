/**
 * A private Docker engine for tests that kill and restart the engine: its own dockerd (and the
 * containerd it supervises) with its own data root, exec root, pid file and socket, so the shared
 * engine other tests use is never touched. It must not touch the host's networking either:
 *
 * - `--bridge=<own bridge>`: never `--bridge=none` — dockerd 20.10 then DELETES the host's
 *   `docker0` (removeDefaultBridgeInterface), breaking the shared engine's default network. We
 *   create a bridge of our own (no address, no ports) and hand it over instead.
 * - `--iptables=false --ip-masq=false --ip-forward=false`: no rules, no sysctls of its own.
 *
 * Everything it starts is ended by pid (dockerd from our child handle, containerd from its pid
 * file under our exec root), its mounts are unmounted and its directories deleted in `destroy()`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type Clients, clientsFor, createEngine } from '../../../src/range/docker/clients';

export const PRIVATE_SOCKET = '/run/cyrange-test-docker.sock';

export interface PrivateEngine {
  socket: string;
  root: string;
  /** Clients of the range layer bound to this engine (the same code `serve --live` uses). */
  clients: Clients;
  start(): Promise<void>;
  /** kill -9 of dockerd; resolves once it is gone. Containers stay under containerd until restart. */
  kill(): Promise<void>;
  /** Orderly stop (SIGTERM, then SIGKILL after 20 s). */
  stop(): Promise<void>;
  running(): boolean;
  /** `docker save TAGS | docker -H private load`; returns the images' total size in bytes. */
  loadImages(tags: string[]): number;
  /**
   * Stops everything it started, unmounts, deletes its directories, its bridge and the given
   * range bridges (left when the engine died with networks), and its cgroups. Safe twice.
   */
  destroy(bridges?: string[]): Promise<void>;
}

function sh(cmd: string, args: string[], input?: Buffer): Buffer {
  return execFileSync(cmd, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    ...(input ? { input } : {}),
  });
}

async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 10_000; i++) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: gave up after 10000 checks`);
}

function alive(pid: number | undefined): boolean {
  // Our own pid counts as gone: never signal ourselves.
  if (pid === process.pid) return false;
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether this machine can run a private dockerd at all (root, dockerd and ip present). */
export function privateEngineSupported(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  for (const bin of ['dockerd', 'ip', 'docker']) {
    try {
      sh('sh', ['-c', `command -v ${bin}`]);
    } catch {
      return `${bin} not found`;
    }
  }
  return undefined;
}

export function privateEngine(): PrivateEngine {
  const root = `/tmp/cyrange-test-engine-${process.pid}`;
  const bridge = `cyrpe${process.pid % 1_000_000}`;
  const exec = join(root, 'exec');
  const pidfile = join(root, 'dockerd.pid');
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = `unix://${PRIVATE_SOCKET}`;
  const engine = createEngine({ timeoutMs: 30_000 });
  if (saved === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = saved;
  const clients = clientsFor(engine);

  const args = [
    '--config-file',
    join(root, 'daemon.json'),
    '--data-root',
    join(root, 'data'),
    '--exec-root',
    exec,
    '--pidfile',
    pidfile,
    '-H',
    `unix://${PRIVATE_SOCKET}`,
    `--bridge=${bridge}`,
    '--iptables=false',
    '--ip-masq=false',
    '--ip-forward=false',
    '--userland-proxy=false',
    '--cgroup-parent=cyrange-test-engine',
    '--storage-driver=overlay2',
  ];

  const containerdPid = (): number | undefined => {
    const file = join(exec, 'containerd', 'containerd.pid');
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  };

  const pingOk = async (): Promise<boolean> => {
    try {
      await engine.api.ping();
      return true;
    } catch {
      return false;
    }
  };

  const self: PrivateEngine = {
    socket: PRIVATE_SOCKET,
    root,
    clients,
    async start() {
      if (child && alive(child.pid)) return;
      mkdirSync(join(root, 'data'), { recursive: true });
      writeFileSync(join(root, 'daemon.json'), '{}\n');
      try {
        sh('ip', ['link', 'show', bridge]);
      } catch {
        sh('ip', ['link', 'add', bridge, 'type', 'bridge']);
      }
      rmSync(pidfile, { force: true });
      const logFd = openSync(join(root, 'dockerd.log'), 'a');
      child = spawn('dockerd', args, { stdio: ['ignore', logFd, logFd] });
      closeSync(logFd);
      const c = child;
      exited = new Promise((resolve) => c.once('exit', () => resolve()));
      try {
        await until(pingOk, 60_000, 'private dockerd answering');
      } catch (e) {
        const log = existsSync(join(root, 'dockerd.log'))
          ? readFileSync(join(root, 'dockerd.log'), 'utf8')
          : '';
        throw new Error(`${(e as Error).message}\n${log.split('\n').slice(-15).join('\n')}`);
      }
    },
    async kill() {
      if (!child || !alive(child.pid)) return;
      const containerd = containerdPid();
      child.kill('SIGKILL');
      await exited;
      // Its containerd dies with it (parent-death signal), a little later. A dockerd started
      // before that finds the old pid alive, waits for it to answer and fails: wait, as a crash
      // and a supervisor's restart would.
      await until(() => !alive(containerd), 20_000, "the killed engine's containerd exiting");
    },
    async stop() {
      if (!child || !alive(child.pid)) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
    running: () => alive(child?.pid),
    loadImages(tags) {
      // Streamed through a pipe: the images are hundreds of MiB.
      sh('bash', [
        '-c',
        `set -o pipefail; docker save "$@" | docker -H unix://${PRIVATE_SOCKET} load -q >/dev/null`,
        'load',
        ...tags,
      ]);
      const sizes = sh('docker', [
        '-H',
        `unix://${PRIVATE_SOCKET}`,
        'image',
        'inspect',
        '-f',
        '{{.Size}}',
        ...tags,
      ]);
      return sizes
        .toString()
        .trim()
        .split('\n')
        .reduce((n, line) => n + Number(line), 0);
    },
    async destroy(bridges = []) {
      await self.stop();
      // The containerd dockerd supervises outlives a stopped dockerd for a moment: end it by pid.
      const cpid = containerdPid();
      if (alive(cpid)) {
        process.kill(cpid!, 'SIGTERM');
        await until(() => !alive(cpid), 20_000, 'private containerd exiting').catch(() => {
          if (alive(cpid)) process.kill(cpid!, 'SIGKILL');
        });
      }
      // Shims (and the container processes under them) of a containerd that died under them.
      for (const pid of leftoverShims(exec)) {
        for (const p of [...descendants(pid), pid]) {
          try {
            process.kill(p, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      // Overlay and namespace mounts under our root, deepest first.
      const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[4] ?? '')
        .filter((m) => m.startsWith(`${root}/`))
        .sort((a, b) => b.length - a.length);
      for (const m of mounts) {
        try {
          sh('umount', ['-l', m]);
        } catch {
          // already gone
        }
      }
      rmSync(root, { recursive: true, force: true });
      rmSync(PRIVATE_SOCKET, { force: true });
      // Our bridge, and range bridges a dead engine could not remove (names given by the test).
      for (const name of [bridge, ...bridges]) {
        try {
          sh('ip', ['link', 'del', name]);
        } catch {
          // not there
        }
      }
      removeCgroups('cyrange-test-engine');
    },
  };
  return self;
}

/** Pids of containerd shims serving containerd sockets under `exec` (ours only). */
function leftoverShims(exec: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.startsWith('/usr/bin/containerd-shim') && cmd.includes(`${exec}/containerd/`))
        out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Every process below `pid` (children first found through /proc/<pid>/task/<pid>/children). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const queue = [pid];
  for (let i = 0; i < 10_000 && queue.length; i++) {
    const p = queue.shift()!;
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      // exited
    }
    out.push(...children);
    queue.push(...children);
  }
  return out;
}

/** Removes the (empty) cgroup directories dockerd made under `parent`, deepest first. */
function removeCgroups(parent: string): void {
  if (!existsSync('/sys/fs/cgroup')) return;
  for (const controller of readdirSync('/sys/fs/cgroup')) {
    const top = join('/sys/fs/cgroup', controller, parent);
    if (!existsSync(top)) continue;
    try {
      sh('find', [top, '-mindepth', '1', '-depth', '-type', 'd', '-exec', 'rmdir', '{}', ';']);
    } catch {
      // busy or gone: leave it
    }
    try {
      rmdirSync(top);
    } catch {
      // not empty
    }
  }
}
