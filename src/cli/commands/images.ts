/** `cyrange images build|list|prune`: the range's container images, built locally from Debian packages. */
import { Command } from 'commander';
import { clientsFor, connectEngine } from '../../range/docker/clients';
import { ensureImages } from '../../range/images/image-builder';
import { IMAGE_NAMES, type ImageName } from '../../range/images/image-catalog';
import { pruneImages } from '../../range/images/prune-images';
import { CliExit, EXIT } from '../exit-codes';
import { rangeExit } from '../range-exit';
import { terminalProgress } from '../range-progress';

export function imagesCommand(): Command {
  const images = new Command('images').description(
    'build or list the live range images (no registry needed)',
  );
  images
    .command('build')
    .description(
      'build every missing range image (debootstrap base, then one image per role); unchanged ones are kept',
    )
    .argument('[image...]', `only these images (${IMAGE_NAMES.join(', ')})`)
    .option('--verbose', 'show every build output line')
    .action(async (names: string[], opts: { verbose?: boolean }) => {
      const unknown = names.filter((n) => !(IMAGE_NAMES as readonly string[]).includes(n));
      if (unknown.length)
        throw new CliExit(
          EXIT.usage,
          `unknown image ${unknown.join(', ')}: one of ${IMAGE_NAMES.join(', ')}`,
        );
      await rangeExit(async () => {
        const clients = clientsFor(await connectEngine());
        const progress = terminalProgress({ verbose: Boolean(opts.verbose) });
        const started = Date.now();
        const set = await ensureImages(clients, {
          ...(names.length ? { images: names as ImageName[] } : {}),
          onProgress: progress,
        });
        progress.done();
        process.stdout.write(`base ${set.base}\n`);
        for (const name of names.length ? (names as ImageName[]) : IMAGE_NAMES) {
          process.stdout.write(`${name} ${set.tags[name]}\n`);
        }
        process.stdout.write(`images ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
      });
    });
  images
    .command('list')
    .description('list the range images on the engine')
    .action(async () => {
      await rangeExit(async () => {
        const clients = clientsFor(await connectEngine());
        for (const image of await clients.images.list({ reference: ['cyrange/*'] })) {
          for (const tag of image.RepoTags ?? []) {
            process.stdout.write(
              `${tag}\t${(image.Size / 1e6).toFixed(0)} MB\t${new Date(image.Created * 1000).toISOString()}\n`,
            );
          }
        }
      });
    });
  images
    .command('prune')
    .description('remove range image tags that the current inputs no longer produce (never ones in use)')
    .action(async () => {
      await rangeExit(async () => {
        const result = await pruneImages(clientsFor(await connectEngine()));
        for (const tag of result.removed) process.stdout.write(`removed ${tag}\n`);
        for (const tag of result.inUse) process.stdout.write(`kept ${tag} (in use by a container)\n`);
        process.stdout.write(
          `${result.removed.length} old range images removed, ${result.inUse.length} kept\n`,
        );
      });
    });
  return images;
}
