import { trainJob, type BuiltNet, type CaddmConfig, type CaddmConfigInput } from '@caddm/trainer';
import type { ExperimentContext } from '../types.js';
import type { ExperimentData } from './data.js';
import { runDirFor, variantConfig } from './train.js';

/** A trained net kept in memory for feature / interaction measurements (the caller disposes `built.net`). */
export interface TrainedNet {
  readonly name: string;
  readonly config: CaddmConfig;
  readonly built: BuiltNet;
  readonly steps: number;
  readonly seconds: number;
  readonly runDir: string;
}

/**
 * Trains (or, when its run directory already holds the finished run,
 * reloads) one model shared by the identity-leakage experiments: every
 * experiment asking for the same `name` and settings uses the same run
 * directory `runs/identity-<profile>[-quick]-seed<seed>/<name>` (see
 * {@link runDirFor}), so Table 1, Fig. 2 and Fig. 5 train each model once.
 */
export async function trainedNet(ctx: ExperimentContext, name: string, data: ExperimentData, overrides: CaddmConfigInput): Promise<TrainedNet> {
  const config = variantConfig(ctx, data, overrides);
  const runDir = runDirFor(ctx, 'identity', name, config);
  ctx.onModel?.({ runDir, config });
  ctx.log(`[identity] ${name}: training (or resuming) in ${runDir}`);
  const t0 = performance.now();
  const { summary, built } = await trainJob({ config, cache: data.train.cache, runDir, progress: true, validate: false });
  return { name, config, built, steps: summary.steps, seconds: (performance.now() - t0) / 1000, runDir };
}

/**
 * The binary classifier of the identity experiments: backbone + linear,
 * no ADM, no MFS, no data augmentation (the paper's "binary classifier").
 */
export function binaryOverrides(backbone: string, width: number): CaddmConfigInput {
  return { model: { backbone, width }, ablation: { adm: false, mfs: false, da: false } } as CaddmConfigInput;
}

/** CADDM (ADM, MFS and data augmentation) with the given backbone. */
export function caddmOverrides(backbone: string, width: number): CaddmConfigInput {
  return { model: { backbone, width }, ablation: { adm: true, mfs: true, da: true } } as CaddmConfigInput;
}
