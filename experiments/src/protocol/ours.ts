import { loadRun, type CaddmConfigInput, type LoadedRun } from '@caddm/trainer';
import type { ExperimentContext } from '../types.js';
import type { ExperimentData } from './data.js';
import { trainVariant, variantConfig, variantRunDir, type VariantResult } from './train.js';

/**
 * Our full model (DA + MFS + ADM) as Table 2's last row trains it: the same
 * experiment and variant names, so every experiment that needs "ours"
 * (Table 2, Table 3's ResNet-34 row, Table 4, Table 5's in-domain row, Fig. 6) shares one trained
 * model per profile and seed instead of training it again.
 */
export const OURS = {
  experiment: 'table2',
  name: '+DA+MFS+ADM',
  overrides: { ablation: { da: true, mfs: true, adm: true } } satisfies CaddmConfigInput,
} as const;

/**
 * The binary classifier (backbone + linear; no DA, MFS or ADM) as Table 2's
 * baseline row trains it: Table 5's in-domain binary row shares it.
 */
export const BINARY = {
  experiment: 'table2',
  name: 'baseline',
  overrides: { ablation: { da: false, mfs: false, adm: false } } satisfies CaddmConfigInput,
} as const;

/**
 * Trains (or resumes, or reuses) our full model, evaluates it on the clean
 * test sets, and loads the trained weights for experiments that score their
 * own frames (perturbed frames, artifact boxes). The caller disposes
 * `run.net`.
 */
export async function trainOurs(ctx: ExperimentContext, data: ExperimentData): Promise<{ result: VariantResult; run: LoadedRun }> {
  const result = await trainVariant(ctx, OURS.experiment, OURS.name, data, OURS.overrides);
  const run = loadRun(variantRunDir(ctx, OURS.experiment, OURS.name, variantConfig(ctx, data, OURS.overrides)), ctx.log);
  // A checkpoint records the index of the step just done.
  if (run.step !== result.steps - 1) {
    run.net.dispose();
    throw new Error(`trainOurs: loaded checkpoint step ${run.step} but training did ${result.steps} steps (${run.runDir})`);
  }
  return { result, run };
}
