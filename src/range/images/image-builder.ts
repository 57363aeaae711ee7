import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { shortHash } from '../common/hash';
import { mapBounded } from '../common/queue';
import type { Clients } from '../docker/clients';
import { IMAGE_REPO, LABEL } from '../labels';
import { ignoreProgress, type RangeListener } from '../progress';
import { RangeFailure } from '../range-error';
import { IMAGE_NAMES, type ImageName } from './image-catalog';
import { infraImagesDir } from './infra-dir';

/** The resolved image tag for each role image, all built from the same base. */
export interface ImageSet {
  base: string;
  tags: Record<ImageName, string>;
}

interface ContextFile {
  path: string;
  content: Buffer;
  mode: number;
}

/** Files of a role image's build context: its own folder plus the shared `common/` scripts. */
function contextFiles(root: string, image: ImageName): ContextFile[] {
  const files: ContextFile[] = [];
  const walk = (start: string, prefix: string, dir = start): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(start, prefix, full);
      else
        files.push({
          path: prefix + relative(start, full),
          content: readFileSync(full),
          // Only the executable bit counts: checkouts differ in group/other bits (umask), not in it.
          mode: stat.mode & 0o111 ? 0o755 : 0o644,
        });
    }
  };
  walk(join(root, image), '');
  walk(join(root, 'common'), 'common/');
  return files;
}

/** Tag of the base image: a hash of the script that builds it, so editing the script rebuilds it. */
export function baseTag(root = infraImagesDir()): string {
  return `${IMAGE_REPO}/base:${shortHash(readFileSync(join(root, 'base', 'build-base.sh')))}`;
}

/** Tag of a role image: a hash of its Dockerfile, context files and the base image id. */
export function roleTag(image: ImageName, baseId: string, root = infraImagesDir()): string {
  const parts: (string | Buffer)[] = [baseId];
  for (const file of contextFiles(root, image)) parts.push(file.path, String(file.mode), file.content);
  return `${IMAGE_REPO}/${image}:${shortHash(...parts)}`;
}

function runBaseScript(root: string, out: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(root, 'base', 'build-base.sh'), out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        onLine(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new RangeFailure(
              `base image build failed (exit ${code}): ${tail.join(' | ')}`,
              'run infra/images/base/build-base.sh by hand as root to see why',
            ),
          ),
    );
  });
}

/** Config of the base image, set at import (a root file system tar carries none). */
const BASE_CHANGES = [
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'ENV DEBIAN_FRONTEND=noninteractive',
  'CMD ["/bin/bash"]',
];

/** debootstrap into a tar (the script, as root), then import it through the Engine API. */
async function buildBase(
  clients: Clients,
  root: string,
  tag: string,
  onLine: (line: string) => void,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-base-'));
  const out = join(dir, 'rootfs.tar');
  try {
    await runBaseScript(root, out, onLine);
    const [repo, version] = tag.split(':') as [string, string];
    await clients.images.importRootfs(
      createReadStream(out),
      { repo, tag: version, changes: BASE_CHANGES },
      ({ line }) => onLine(line),
    );
  } catch (error) {
    if (error instanceof RangeFailure) throw error;
    throw new RangeFailure(`base image import failed: ${(error as Error).message}`, 'check the engine log');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds whatever images are missing and returns every tag. Unchanged inputs give the same tag, and an
 * existing tag is never rebuilt, so a second call costs one inspect per image.
 */
export async function ensureImages(
  clients: Clients,
  options: { images?: readonly ImageName[]; onProgress?: RangeListener; parallel?: number } = {},
): Promise<ImageSet> {
  const root = infraImagesDir();
  const emit = options.onProgress ?? ignoreProgress;
  const base = baseTag(root);
  if (await clients.images.exists(base)) {
    emit({ type: 'image', image: 'base', tag: base, state: 'cached' });
  } else {
    emit({ type: 'image', image: 'base', tag: base, state: 'building' });
    await buildBase(clients, root, base, (line) => emit({ type: 'image-log', image: 'base', line }));
    emit({ type: 'image', image: 'base', tag: base, state: 'built' });
  }
  const baseId = await clients.images.id(base);
  const tags = {} as Record<ImageName, string>;
  for (const image of IMAGE_NAMES) tags[image] = roleTag(image, baseId, root);
  // A few builds at once: they mostly wait on the package mirror, and the engine builds them apart.
  const results = await mapBounded(options.images ?? IMAGE_NAMES, options.parallel ?? 3, async (image) => {
    const tag = tags[image];
    if (await clients.images.exists(tag)) {
      emit({ type: 'image', image, tag, state: 'cached' });
      return;
    }
    emit({ type: 'image', image, tag, state: 'building' });
    const archive = pack();
    for (const file of contextFiles(root, image))
      archive.entry({ name: file.path, mode: file.mode }, file.content);
    archive.finalize();
    try {
      await clients.images.build(
        Readable.from(archive),
        { tag, buildargs: { BASE: base }, labels: { [LABEL.inputsHash]: tag.split(':')[1] ?? '' } },
        ({ line }) => emit({ type: 'image-log', image, line }),
      );
    } catch (error) {
      emit({ type: 'image', image, tag, state: 'failed', detail: (error as Error).message });
      throw new RangeFailure(
        `image ${image} failed to build: ${(error as Error).message}`,
        `fix infra/images/${image}/Dockerfile`,
      );
    }
    emit({ type: 'image', image, tag, state: 'built' });
  });
  const failure = results.find((r) => !r.ok);
  if (failure && !failure.ok) throw failure.error;
  return { base, tags };
}
