import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Finds the repository's infra/images folder from wherever this module runs (src via ts-jest, or dist). */
export function infraImagesDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'infra', 'images');
    if (existsSync(join(candidate, 'base', 'build-base.sh'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(
    'infra/images not found above ' + __dirname + ' — run cyrange from its repository checkout',
  );
}
