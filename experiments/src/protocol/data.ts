import { resolve } from 'node:path';
import { prepareEmbedded, type EmbeddedData } from '@caddm/trainer';
import type { ExperimentContext } from '../types.js';

/** The datasets an experiment trains and tests on, as preprocessing caches. */
export interface ExperimentData {
  /** In-domain training/validation/test cache (FF++ stand-in). */
  readonly train: EmbeddedData;
  /** Cross-dataset test caches, by display name (Celeb-DF / DFDC stand-ins). */
  readonly cross: ReadonlyArray<{ readonly name: string; readonly cache: string; readonly stands_for: string }>;
  /** A one-line description for the report. */
  readonly description: string;
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
export async function embeddedExperimentData(ctx: ExperimentContext): Promise<ExperimentData> {
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
