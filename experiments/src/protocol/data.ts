import { resolve } from 'node:path';
import type { Split } from '@caddm/datasets';
import { prepareEmbedded, type EmbeddedData } from '@caddm/trainer';
import type { ExperimentContext } from '../types.js';

/** The in-domain training data: at least its preprocessing cache. */
export interface TrainData {
  /** Preprocessing cache with `train`, `val` and `test` splits. */
  readonly cache: string;
  /** Paper profile: the path given with `--data` (a dataset root or a cache), recorded as the config's `dataset.root`. */
  readonly root?: string;
  /** Paper profile: the config's `dataset.name` of this data. */
  readonly dataset?: 'ffpp' | 'celebdf' | 'dfdc';
  /** False when the cache has no `val` split (training then does not validate). */
  readonly hasVal?: boolean;
}

/** One cross-dataset test set. */
export interface CrossTest {
  /** Display name. */
  readonly name: string;
  /** Preprocessing cache. */
  readonly cache: string;
  /** The paper's test set it is (or stands in for). */
  readonly stands_for: string;
  /** Only this split of the cache is the test set (default: every video). */
  readonly split?: Split;
}

/**
 * The datasets an experiment trains and tests on, as preprocessing caches.
 * `T` is what the training data carries beyond its cache (the embedded
 * benchmark's generated trees in the mini profile).
 */
export interface ExperimentData<T extends TrainData = TrainData> {
  /** In-domain training/validation/test cache (FF++, or its stand-in). */
  readonly train: T;
  /** Cross-dataset test caches, by display name (Celeb-DF, then DFDC-V2, or their stand-ins). */
  readonly cross: readonly CrossTest[];
  /** Identity-folder cache (LFW) for the identity probes, when the paper profile was given one. */
  readonly identity?: { readonly name: string; readonly cache: string };
  /** A one-line description for the report. */
  readonly description: string;
}

/** A cross test set's label in reports: its name, and what it stands for when that differs (`Embedded-cross (~Celeb-DF)`). */
export function crossLabel(c: Pick<CrossTest, 'name' | 'stands_for'>): string {
  return c.name === c.stands_for ? c.name : `${c.name} (~${c.stands_for})`;
}

/** Where experiments keep generated data and runs (git-ignored). */
export function cacheRoot(): string {
  return resolve(process.env.CADDM_CACHE ?? '.cache');
}

/**
 * The mini-profile data: the embedded benchmark (procedural identities; its
 * held-out split has new identities and an unseen Poisson-blended swap), and,
 * when `--faces` gives an identity folder, a second benchmark built from
 * those real photos as a second, harder cross-dataset test.
 */
export async function embeddedExperimentData(ctx: ExperimentContext): Promise<ExperimentData<EmbeddedData>> {
  const profile = ctx.quick ? 'tiny' : 'mini';
  const root = resolve(cacheRoot(), 'embedded');
  const train = await prepareEmbedded({ profile, seed: ctx.seed, root, log: ctx.log });
  const cross: Array<{ name: string; cache: string; stands_for: string }> = [
    { name: 'Embedded-cross', cache: train.crossCache, stands_for: 'Celeb-DF' },
  ];
  if (ctx.faces) {
    const real = await prepareEmbedded({ profile, seed: ctx.seed + 1000, root, faces: ctx.faces, log: ctx.log });
    cross.push({ name: 'Real-faces', cache: real.cache, stands_for: 'DFDC-V2' });
  }
  return {
    train,
    cross,
    description:
      `embedded benchmark (${profile}, seed ${ctx.seed}): procedural identities, four in-domain methods; ` +
      `cross-dataset: new identities with an unseen method${ctx.faces ? `; real faces from ${ctx.faces}` : ''}`,
  };
}
