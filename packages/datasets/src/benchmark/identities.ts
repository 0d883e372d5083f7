import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The target video's name of a cache video id: `ffpp/Deepfakes/000_003` -> `000` (the fake keeps its target's face and scene). */
export function targetVideoName(videoId: string): string {
  const name = (videoId.split('/').pop() as string).replace(/\.[A-Za-z0-9]+$/, '');
  return name.split('_')[0];
}

/**
 * The person of each real video of generated benchmark trees (their
 * `identities.json`), as a lookup from a cache video id: a fake `a_b` is its
 * target `a`'s person; undefined for a video no tree names.
 */
export function benchmarkPeople(roots: readonly string[]): (videoId: string) => string | undefined {
  const map = new Map<string, string>();
  for (const root of roots) {
    const file = join(root, 'identities.json');
    if (!existsSync(file)) continue;
    const ids = (JSON.parse(readFileSync(file, 'utf8')) as { videos?: Record<string, string> }).videos ?? {};
    for (const [video, person] of Object.entries(ids)) map.set(video, person);
  }
  return (videoId) => map.get(targetVideoName(videoId));
}
