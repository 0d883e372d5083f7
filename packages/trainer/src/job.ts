import { FrameLoader } from '@caddm/datasets';
import { initBackend } from '@caddm/tf';
import type { CaddmConfig } from './config/index.js';
import { cacheSplits, manifestEvalFrames } from './data/eval-frames.js';
import { LoaderSource, loaderOptionsOf } from './data/train-source.js';
import { buildNet, type BuiltNet } from './model.js';
import { saveRunConfig } from './run.js';
import { evaluate, type EvalResult, type ScoreOptions } from './train/evaluate.js';
import { trainRun, type TrainSummary } from './train/loop.js';

/** Options of {@link trainJob}. */
export interface TrainJobOptions {
  readonly config: CaddmConfig;
  /** Preprocessing cache with `train` (and `val`) splits. */
  readonly cache: string;
  /** Run directory (config, checkpoints, logs). */
  readonly runDir: string;
  /** Continue from the newest good checkpoint (default true). */
  readonly resume?: boolean;
  /** Stop after this many steps (smoke runs). */
  readonly maxSteps?: number;
  /** Progress bar (default true). */
  readonly progress?: boolean;
  /** Worker threads building batches (default 0). */
  readonly workers?: number;
  /** Evaluate on the cache's `val` split each `eval_every` epochs (default true). */
  readonly validate?: boolean;
  readonly warn?: (message: string) => void;
}

/** A finished job: its summary and the trained net (the caller disposes `built.net`). */
export interface TrainJobResult {
  readonly summary: TrainSummary;
  readonly built: BuiltNet;
}

/** The training data cannot train this model (one class only, no sample): the cache and what to do, in the message. */
export class TrainDataError extends Error {
  override readonly name = 'TrainDataError';
}

/**
 * Why the training samples cannot train the model, or undefined: with MFS
 * (the default synthesis) the train split needs genuine and fake videos; with
 * SBI genuine videos alone do (it makes its fakes from them).
 */
export function trainDataProblem(samples: ReadonlyArray<{ readonly label: number }>, config: CaddmConfig, cache: string): string | undefined {
  const reals = samples.filter((s) => s.label === 0).length;
  const fakes = samples.length - reals;
  const methods = config.dataset.methods;
  if (config.dataset.synthesis === 'sbi') {
    return reals > 0 ? undefined : `${cache}: the train split has no genuine video, and SBI makes its fakes from genuine ones; preprocess genuine videos into it`;
  }
  if (fakes === 0 && methods != null) {
    return `dataset.methods [${methods.join(', ')}] matches no fake training video in ${cache} (method names are the manifest's, e.g. FF++ folder names such as Deepfakes)`;
  }
  if (reals === 0 || fakes === 0) {
    const have = samples.length === 0 ? 'no usable video at all' : `only ${reals ? 'genuine' : 'fake'} videos (${samples.length} samples)`;
    return `${cache}: the train split has ${have}; a detector needs genuine and fake videos to train (or set dataset.synthesis=sbi to train on genuine videos alone)`;
  }
  return undefined;
}

/**
 * Trains the configured model on a preprocessing cache: records the config
 * in the run directory, builds the net, streams MFS/augmented batches from
 * the cache's `train` split, validates on its `val` split, checkpoints and
 * resumes (see {@link trainRun}).
 */
export async function trainJob(o: TrainJobOptions): Promise<TrainJobResult> {
  await initBackend();
  saveRunConfig(o.runDir, o.config);
  const built = buildNet(o.config);
  let source: LoaderSource | undefined;
  try {
    const loader = FrameLoader.open(loaderOptionsOf(o.config, o.cache, { workers: o.workers ?? 0 }));
    const problem = trainDataProblem(loader.samples, o.config, o.cache);
    if (problem) {
      await loader.close();
      throw new TrainDataError(problem);
    }
    source = new LoaderSource(loader, o.config.crop_face.output_size, o.config.model.input_norm);
    // Validation needs a val split; without one, training goes on without it (and says so) rather
    // than stopping at the first epoch's end, before any checkpoint.
    let validate = o.validate ?? true;
    if (validate && !((cacheSplits(o.cache).get('val') ?? 0) > 0)) {
      (o.warn ?? ((m: string) => process.stderr.write(`${m}\n`)))(`${o.cache} has no 'val' split: training without validation (the test split is not used for it)`);
      validate = false;
    }
    const summary = await trainRun({
      config: o.config,
      net: built.net,
      data: source,
      priors: built.priors,
      runDir: o.runDir,
      resume: o.resume,
      maxSteps: o.maxSteps,
      progress: o.progress,
      warn: o.warn,
      validation: validate ? () => manifestEvalFrames(o.cache, o.config, { split: 'val' }) : undefined,
    });
    return { summary, built };
  } catch (e) {
    built.net.dispose();
    throw e;
  } finally {
    await source?.close();
  }
}

/** Evaluates a net on one split of a preprocessing cache. */
export function evaluateCache(built: BuiltNet, config: CaddmConfig, cache: string, split?: 'train' | 'val' | 'test' | 'cross', frames?: number, options: ScoreOptions = {}): Promise<EvalResult> {
  return evaluate(built.net, manifestEvalFrames(cache, config, { split, frames }), 32, options);
}
