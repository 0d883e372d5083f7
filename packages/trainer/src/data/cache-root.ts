import { join, resolve } from 'node:path';

/**
 * The one folder for generated data, caches and runs: `$CADDM_CACHE`, or
 * `.cache` in the working directory. The embedded benchmark goes under
 * `embedded/`, preprocessed frames (the config's default `dataset.cache`)
 * under `frames/`, and the experiments' runs under `runs/`.
 */
export function cacheRoot(): string {
  return resolve(process.env.CADDM_CACHE ?? '.cache');
}

/** The config's default `dataset.cache`: `frames` in {@link cacheRoot}, relative when `CADDM_CACHE` is unset (as written in a config). */
export function defaultFramesCache(): string {
  return join(process.env.CADDM_CACHE ?? '.cache', 'frames');
}
