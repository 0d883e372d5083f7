import { resolve } from 'node:path';
import { benchmarkPeople, targetVideoName, type Split } from '@caddm/datasets';
import { cacheRoot, prepareEmbedded, type EmbeddedData } from '@caddm/trainer';
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
  /**
   * Only the videos (by cache video id) this accepts are the test set, e.g. one
   * method's fakes with the genuine videos. Sets on the same cache and split are
   * scored once and each drawn from those scores.
   */
  readonly keep?: (videoId: string) => boolean;
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
  /**
   * The cross-dataset test set's targets and genuine videos again, each fake's donor now
   * the target's most similar identity (embedded benchmark v2): against the first cross
   * set, it isolates the effect of the donor's identity.
   */
  readonly crossSimilar?: CrossTest;
  /** The person in a video (by cache video id), for identity-cluster intervals; absent: FF++ names. */
  readonly identityOf?: (videoId: string) => string;
}

/**
 * The person of each real video of generated benchmark trees (their
 * `identities.json`), as a lookup from a cache video id: a fake `a_b` is its
 * target `a`'s person. Names not in a map fall back to the video's target name.
 */
export function identityLookup(roots: readonly string[]): (videoId: string) => string {
  const people = benchmarkPeople(roots);
  return (videoId) => people(videoId) ?? targetVideoName(videoId);
}

/** A cross test set's label in reports: its name, and what it stands for when that differs (`Embedded-cross (~Celeb-DF)`). */
export function crossLabel(c: Pick<CrossTest, 'name' | 'stands_for'>): string {
  return c.name === c.stands_for ? c.name : `${c.name} (~${c.stands_for})`;
}

/** Where experiments keep generated data and runs (git-ignored): the trainer's one cache root, `$CADDM_CACHE` or `.cache`. */
export { cacheRoot };

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
  // An evaluation-only set: every person of the folder, fakes by the four in-domain methods.
  const real = ctx.faces ? await prepareEmbedded({ profile, seed: ctx.seed + 1000, root, faces: ctx.faces, facesUse: 'eval', log: ctx.log }) : undefined;
  if (real) cross.push({ name: 'Real-faces', cache: real.cache, stands_for: 'DFDC-V2' });
  return {
    train,
    cross,
    ...(train.crossSimilarCache ? { crossSimilar: { name: 'Embedded-cross-similar', cache: train.crossSimilarCache, stands_for: 'Celeb-DF' } } : {}),
    identityOf: identityLookup([train.ffppRoot, train.crossRoot, ...(real ? [real.ffppRoot] : [])]),
    description:
      `embedded benchmark v2 (${profile}, seed ${ctx.seed}): procedural identities, two real videos each in different scenes, four in-domain methods whose swaps show the donor's inner face; ` +
      `cross-dataset: new identities with an unseen method, donors paired at random${train.crossSimilarCache ? ' (and, as Embedded-cross-similar, the same targets with their most similar identity as donor)' : ''}${ctx.faces ? `; real faces from ${ctx.faces}` : ''}`,
  };
}
