import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { traced } from './traced';

export interface BuildProgress {
  /** One line of build output (a Dockerfile step or the package manager's output). */
  line: string;
}

/** Image calls; build errors arrive inside a 200 response as `errorDetail` lines, so the stream is scanned. */
export class ImageClient {
  constructor(private readonly docker: Docker) {}

  async exists(tag: string): Promise<boolean> {
    return traced(`inspect image ${tag}`, async () => {
      try {
        await this.docker.getImage(tag).inspect();
        return true;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return false;
        throw error;
      }
    });
  }

  async id(tag: string): Promise<string> {
    return traced(`inspect image ${tag}`, async () => (await this.docker.getImage(tag).inspect()).Id);
  }

  list(filters: Record<string, string[]>): Promise<Docker.ImageInfo[]> {
    return traced('list images', () => this.docker.listImages({ filters }));
  }

  build(
    context: Readable,
    options: { tag: string; buildargs: Record<string, string>; labels: Record<string, string> },
    onProgress: (progress: BuildProgress) => void,
  ): Promise<void> {
    return traced(`build image ${options.tag}`, async () => {
      const stream = await this.docker.buildImage(context, {
        t: options.tag,
        buildargs: options.buildargs,
        labels: options.labels,
        rm: true,
        forcerm: true,
      });
      await this.follow(stream, onProgress);
    });
  }

  /**
   * Imports a root file system tar as an image (the base image: no registry, no `FROM`). Errors
   * arrive inside the 200 response like a build's, so the stream is scanned too.
   */
  importRootfs(
    archive: NodeJS.ReadableStream,
    options: { repo: string; tag: string; changes: string[] },
    onProgress: (progress: BuildProgress) => void,
  ): Promise<void> {
    return traced(`import image ${options.repo}:${options.tag}`, async () => {
      const stream = await this.docker.importImage(archive, {
        repo: options.repo,
        tag: options.tag,
        changes: options.changes,
      } as unknown as Record<string, unknown>);
      await this.follow(stream, onProgress);
    });
  }

  private follow(
    stream: NodeJS.ReadableStream,
    onProgress: (progress: BuildProgress) => void,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (error: Error | null, output: { errorDetail?: { message?: string }; error?: string }[]) => {
          if (error) return reject(error);
          const failed = output.find((o) => o.errorDetail || o.error);
          if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error ?? 'build failed'));
          resolve();
        },
        (event: { stream?: string; status?: string; errorDetail?: { message?: string } }) => {
          const text = event.stream ?? event.status ?? event.errorDetail?.message;
          if (text?.trim()) onProgress({ line: text.trimEnd() });
        },
      );
    });
  }

  remove(tag: string, options: { force?: boolean } = {}): Promise<void> {
    return traced(`remove image ${tag}`, async () => {
      await this.docker.getImage(tag).remove({ force: options.force ?? true });
    });
  }
}
