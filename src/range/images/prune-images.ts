import type { Clients } from '../docker/clients';
import { IMAGE_REPO } from '../labels';
import { baseTag, roleTag } from './image-builder';
import { IMAGE_NAMES } from './image-catalog';

export interface PruneResult {
  removed: string[];
  /** Old tags still used by a container (removed by a later prune, after `down`). */
  inUse: string[];
}

/**
 * Removes range image tags that current inputs no longer produce (left behind when a Dockerfile or
 * script changed). Never forces: an image a container still runs is kept and reported.
 */
export async function pruneImages(clients: Clients): Promise<PruneResult> {
  const base = baseTag();
  const current = new Set([base]);
  const baseId = (await clients.images.exists(base)) ? await clients.images.id(base) : undefined;
  if (baseId) for (const image of IMAGE_NAMES) current.add(roleTag(image, baseId));
  const tags = (await clients.images.list({ reference: [`${IMAGE_REPO}/*`] })).flatMap(
    (i) => i.RepoTags ?? [],
  );
  const old = tags.filter((t) => !current.has(t));
  // Role images first: an old base cannot go while images built on it remain.
  old.sort(
    (a, b) => Number(a.startsWith(`${IMAGE_REPO}/base:`)) - Number(b.startsWith(`${IMAGE_REPO}/base:`)),
  );
  const result: PruneResult = { removed: [], inUse: [] };
  for (const tag of old) {
    try {
      await clients.images.remove(tag, { force: false });
      result.removed.push(tag);
    } catch {
      result.inUse.push(tag);
    }
  }
  return result;
}
