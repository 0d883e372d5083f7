import { join } from 'node:path';
import { deepMerge, evaluateCache, resolveConfig, trainJob, type CaddmConfig, type CaddmConfigInput } from '@caddm/trainer';
import type { ExperimentContext } from '../types.js';
import { cacheRoot, type ExperimentData } from './data.js';

/** One trained and evaluated model of an experiment. */
export interface VariantResult {
  readonly name: string;
  readonly config: CaddmConfig;
  readonly steps: number;
  readonly seconds: number;
  /** Video AUC (%) in-domain test, then each cross-dataset cache in order. */
  readonly videoAuc: readonly number[];
  /** Frame AUC (%), same order. */
  readonly frameAuc: readonly number[];
  /** Fake and genuine video counts per test set, same order. */
  readonly videos: ReadonlyArray<{ readonly fake: number; readonly real: number }>;
}

/** The training budget of the mini profile and of its quick (CI) variant. */
export function miniOverrides(ctx: ExperimentContext): CaddmConfigInput {
  if (ctx.quick) {
    return {
      dataset: { embedded_profile: 'tiny', test_frames: 4 },
      model: { backbone: 'resnet18', width: 0.125 },
      train: { batch_size: 8, epoch_num: 2, batches_per_epoch: 3, checkpoint_every: 3, eval_every: 0, seed: ctx.seed },
    };
  }
  return { train: { seed: ctx.seed, eval_every: 0 } };
}

/**
 * Trains one variant (resuming if its run directory already holds a
 * checkpoint, so an interrupted experiment continues) and evaluates it on
 * the in-domain test split and every cross-dataset cache.
 */
export async function trainVariant(
  ctx: ExperimentContext,
  experiment: string,
  name: string,
  data: ExperimentData,
  overrides: CaddmConfigInput,
): Promise<VariantResult> {
  const base = ctx.profile === 'paper' ? 'paper' : 'mini';
  const merged = deepMerge(miniOverrides(ctx) as Record<string, unknown>, overrides as Record<string, unknown>);
  const config = resolveConfig(merged, { profile: base });
  const runDir = join(cacheRoot(), 'runs', `${experiment}-${ctx.profile}${ctx.quick ? '-quick' : ''}-seed${ctx.seed}`, slug(name));
  ctx.log(`[${experiment}] ${name}: training in ${runDir}`);
  const t0 = performance.now();
  const { summary, built } = await trainJob({ config, cache: data.train.cache, runDir, progress: true });
  try {
    const caches = [data.train.cache, ...data.cross.map((c) => c.cache)];
    const results = [];
    for (const [i, cache] of caches.entries()) results.push(await evaluateCache(built, config, cache, i === 0 ? 'test' : undefined));
    const seconds = (performance.now() - t0) / 1000;
    const pct = (x: number) => Math.round(x * 10000) / 100;
    const r: VariantResult = {
      name,
      config,
      steps: summary.steps,
      seconds,
      videoAuc: results.map((x) => pct(x.videoAuc)),
      frameAuc: results.map((x) => pct(x.frameAuc)),
      videos: results.map((x) => ({ fake: x.perVideo.filter((v) => v.label === 1).length, real: x.perVideo.filter((v) => v.label === 0).length })),
    };
    ctx.log(`[${experiment}] ${name}: video AUC ${r.videoAuc.join(' / ')} (${seconds.toFixed(0)} s)`);
    return r;
  } finally {
    built.net.dispose();
  }
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
