import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { DROP_ROUTE_CAPS } from './exec-client';
import { traced } from './traced';

/** An interactive shell in a container: one exec with a TTY, its raw stream both ways. */
export interface TtyExec {
  /** What the shell writes (a TTY exec is not multiplexed: the bytes as they come). */
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once when the shell ends (or its connection drops), with its exit code when known. */
  onExit(listener: (exitCode: number | undefined) => void): void;
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): Promise<void>;
  /** Closes the connection: the engine hangs up the TTY and the shell gets SIGHUP. Safe twice. */
  close(): void;
}

export interface TtyExecOptions {
  cols: number;
  rows: number;
  user?: string;
  env?: string[];
  /** Hard limit on the shell's life, seconds (`timeout -s KILL` inside the container). */
  maxSeconds: number;
  /** Without NET_ADMIN and SETPCAP (see the exec client's `dropRouteCaps`). */
  dropRouteCaps?: boolean;
}

const SHELL = ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi'];

/** Opens interactive TTY execs; use the stream client (no idle timeout: a quiet shell is normal). */
export class TtyExecClient {
  constructor(private readonly docker: Docker) {}

  open(container: string, options: TtyExecOptions): Promise<TtyExec> {
    return traced(`tty exec in ${container}`, async () => {
      const exec = await this.docker.getContainer(container).exec({
        Cmd: [
          'timeout',
          '-s',
          'KILL',
          String(options.maxSeconds),
          ...(options.dropRouteCaps ? DROP_ROUTE_CAPS : []),
          ...SHELL,
        ],
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: true,
        User: options.user ?? 'root',
        Env: ['TERM=xterm-256color', ...(options.env ?? [])],
      });
      const stream = (await exec.start({
        hijack: true,
        stdin: true,
        Tty: true,
        // dockerode passes these to the start call; the engine sizes the TTY before the shell runs.
        ...({ ConsoleSize: [options.rows, options.cols] } as object),
      })) as unknown as Duplex;
      let closed = false;
      let exited = false;
      const exitListeners: ((code: number | undefined) => void)[] = [];
      const finish = () => {
        if (exited) return;
        exited = true;
        exec.inspect().then(
          (info) => {
            for (const l of exitListeners) l(info.Running ? undefined : (info.ExitCode ?? undefined));
          },
          () => {
            for (const l of exitListeners) l(undefined);
          },
        );
      };
      stream.on('end', finish);
      stream.on('close', finish);
      stream.on('error', finish);
      const resize = (cols: number, rows: number) =>
        exec.resize({ w: cols, h: rows }).then(
          () => undefined,
          // Resizing an exec that has just ended is harmless.
          () => undefined,
        );
      await resize(options.cols, options.rows);
      return {
        onData: (l) => void stream.on('data', l),
        onExit: (l) => void exitListeners.push(l),
        write: (data) => {
          if (!closed) stream.write(data);
        },
        resize,
        close: () => {
          if (closed) return;
          closed = true;
          stream.end();
          stream.destroy();
        },
      };
    });
  }
}
