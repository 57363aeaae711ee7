import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { traced } from './traced';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Seconds; enforced by `timeout` inside the container, since the Engine API cannot kill an exec. */
  timeoutSec?: number;
  user?: string;
  env?: string[];
  /**
   * Runs the command without NET_ADMIN and SETPCAP (via `setpriv`). The engine gives every exec the
   * container's create-time capabilities again, so participant shells on non-firewall hosts use this to
   * stay unable to change routes, as the host's own services are.
   */
  dropRouteCaps?: boolean;
}

/** The `setpriv` prefix that runs a command without NET_ADMIN and SETPCAP (`dropRouteCaps`). */
export const DROP_ROUTE_CAPS = [
  'setpriv',
  '--bounding-set=-net_admin,-setpcap',
  '--inh-caps=-net_admin,-setpcap',
  '--',
];

/** Runs commands in containers with demultiplexed output and the exit code read after the stream ends. */
export class ExecClient {
  constructor(private readonly docker: Docker) {}

  run(container: string, command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const timeoutSec = options.timeoutSec ?? 30;
    return traced(`exec in ${container}: ${command.join(' ')}`, async () => {
      const exec = await this.docker.getContainer(container).exec({
        Cmd: [
          'timeout',
          '-s',
          'KILL',
          String(timeoutSec),
          ...(options.dropRouteCaps ? DROP_ROUTE_CAPS : []),
          ...command,
        ],
        AttachStdout: true,
        AttachStderr: true,
        User: options.user,
        Env: options.env,
      });
      const stream = await exec.start({ hijack: true, stdin: false });
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      stdout.on('data', (chunk: Buffer) => out.push(chunk));
      stderr.on('data', (chunk: Buffer) => err.push(chunk));
      this.docker.modem.demuxStream(stream, stdout, stderr);
      await new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', reject);
      });
      stdout.end();
      stderr.end();
      const info = await exec.inspect();
      return {
        exitCode: info.ExitCode ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
    });
  }

  /** Copies one file into a container (tar archive through the API, no host mounts). */
  async putFile(container: string, path: string, content: string | Buffer, mode = 0o644): Promise<void> {
    const { pack } = await import('tar-stream');
    const slash = path.lastIndexOf('/');
    const dir = path.slice(0, slash) || '/';
    const name = path.slice(slash + 1);
    return traced(`copy ${path} into ${container}`, async () => {
      const archive = pack();
      archive.entry({ name, mode }, content);
      archive.finalize();
      await this.docker
        .getContainer(container)
        .putArchive(archive as unknown as NodeJS.ReadableStream, { path: dir });
    });
  }

  /** Copies one file out of a container (tar archive through the API); rejects when it is missing. */
  getFile(container: string, path: string): Promise<Buffer> {
    return traced(`copy ${path} out of ${container}`, async () => {
      const { extract } = await import('tar-stream');
      const archive = await this.docker.getContainer(container).getArchive({ path });
      const chunks: Buffer[] = [];
      const unpack = extract();
      unpack.on('entry', (header, stream, next) => {
        if (header.type === 'file') stream.on('data', (chunk: unknown) => void chunks.push(chunk as Buffer));
        stream.on('end', next);
        stream.resume();
      });
      await new Promise<void>((resolve, reject) => {
        unpack.on('finish', resolve);
        unpack.on('error', reject);
        (archive as NodeJS.ReadableStream).on('error', reject);
        (archive as NodeJS.ReadableStream).pipe(unpack);
      });
      return Buffer.concat(chunks);
    });
  }
}
