import { join } from 'node:path';
import { TargetBuilder, type PriorsLike } from '@caddm/anchors';
import { targetTensors } from '@caddm/losses';
import { JsonlWriter, Progress, readJsonl } from '@caddm/runlog';
import { tf } from '@caddm/tf';
import { CheckpointStore } from '../checkpoint/index.js';
import { learningRateAt, type CaddmConfig } from '../config/index.js';
import type { BatchSource, EvalFrame } from './data.js';
import { evaluate, type EvalResult } from './evaluate.js';
import type { Net } from './net.js';
import { TrainOptimizer } from './optimizer.js';
import { NonFiniteLossError, trainStep, type StepStats } from './step.js';
import {
  optimizerStateToSafetensors,
  safetensorsToArrays,
  safetensorsToOptimizerState,
  tensorsToSafetensors,
} from './weights-io.js';

/** Options of {@link trainRun}. */
export interface TrainRunOptions {
  readonly config: CaddmConfig;
  readonly net: Net;
  readonly data: BatchSource;
  /** Anchors for target building; required when the net has the ADM (`config.ablation.adm`). */
  readonly priors?: PriorsLike;
  /** Run directory: `checkpoints/`, `train.jsonl`. */
  readonly runDir: string;
  /** Continue from the newest good checkpoint in `runDir` (default true). */
  readonly resume?: boolean;
  /** Validation frames, produced afresh for each evaluation. */
  readonly validation?: () => AsyncIterable<EvalFrame> | Iterable<EvalFrame>;
  /** Stop after this many global steps (for smoke runs); default: epochs x batches. */
  readonly maxSteps?: number;
  /** Draw a progress bar on stderr (default true). */
  readonly progress?: boolean;
  /** Called after every step (tests, custom logging). */
  readonly onStep?: (step: number, stats: StepStats) => void;
  /** Warnings (skipped checkpoints); default stderr. */
  readonly warn?: (message: string) => void;
}

/** What {@link trainRun} did. */
export interface TrainSummary {
  /** Global step the run started from (0, or the resumed checkpoint's step + 1). */
  readonly startStep: number;
  /** Steps done in total (the next step's index). */
  readonly steps: number;
  readonly lastStats?: StepStats;
  readonly evaluations: ReadonlyArray<{ readonly epoch: number; readonly step: number; readonly result: EvalResult }>;
  /** The newest checkpoint written. */
  readonly checkpoint?: string;
}

const MODEL_FILE = 'model.safetensors';
const OPT_FILE = 'optimizer.safetensors';

/**
 * Trains `net` as the config says: `epoch_num x batches_per_epoch` steps of
 * the CADDM loss (or cross-entropy without the ADM), the LR schedule per
 * epoch, gradient-value clipping, checkpoints every `checkpoint_every` steps
 * and at each epoch end (weights, optimiser moments, data-stream state,
 * step), evaluation every `eval_every` epochs, one JSONL record per step and
 * per evaluation in `runDir/train.jsonl`. With `resume`, continues exactly
 * where the newest good checkpoint left off; steps the log already holds
 * (done after that checkpoint by a run that died) are logged again with
 * `redo: true`, so a reader keeps the last record of each step. A NaN/Inf loss stops the run
 * with {@link NonFiniteLossError}; the last good checkpoint stays.
 */
export async function trainRun(o: TrainRunOptions): Promise<TrainSummary> {
  const { config, net, data } = o;
  const c = config.train;
  const adm = config.ablation.adm;
  if (adm && o.priors == null) throw new Error('trainRun: the ADM needs priors (anchors) to build targets');
  const builder = adm ? new TargetBuilder(o.priors as PriorsLike) : undefined;
  const matchOptions = { threshold: config.adm_det.match_threshold, variances: config.adm_det.variances };
  const store = new CheckpointStore(join(o.runDir, 'checkpoints'), { keep: c.keep_checkpoints, warn: o.warn });
  const log = new JsonlWriter(join(o.runDir, 'train.jsonl'));
  const opt = new TrainOptimizer({
    kind: c.optimizer,
    lr: learningRateAt(config, 0),
    weightDecay: c.weight_decay,
    clipGradValue: c.clip_grad_value,
  });
  const totalSteps = Math.min(c.epoch_num * c.batches_per_epoch, o.maxSteps ?? Infinity);
  let step = 0;
  let redoUntil = -1;
  let lastCheckpoint: string | undefined;
  try {
    if (o.resume ?? true) {
      const ck = store.latest();
      if (ck != null) {
        net.setWeights(safetensorsToArrays(ck.files[MODEL_FILE]));
        await opt.restore(safetensorsToOptimizerState(ck.files[OPT_FILE]), net.trainableVariables);
        data.setState(ck.meta.data);
        step = ck.meta.step + 1;
        lastCheckpoint = ck.path;
        // Steps logged after that checkpoint (the run died before the next one) are done again.
        redoUntil = lastLoggedStep(join(o.runDir, 'train.jsonl'));
        log.write({ type: 'resume', step, from: ck.path, ...(redoUntil >= step ? { redoing: [step, redoUntil] } : {}) });
      }
    }
    const startStep = step;
    const save = async (epoch: number) => {
      const files = { [MODEL_FILE]: await tensorsToSafetensors(net.weights()), [OPT_FILE]: optimizerStateToSafetensors(await opt.state()) };
      lastCheckpoint = store.save({ step, epoch, lr: opt.lr, data: data.getState() as never }, files);
      log.write({ type: 'checkpoint', step, path: lastCheckpoint });
    };
    const evaluations: Array<{ epoch: number; step: number; result: EvalResult }> = [];
    const bar = (o.progress ?? true) ? new Progress({ total: totalSteps, label: 'train' }) : undefined;
    if (bar && startStep > 0) bar.tick(startStep);
    let stats: StepStats | undefined;
    for (; step < totalSteps; step++) {
      const epoch = Math.floor(step / c.batches_per_epoch);
      opt.lr = learningRateAt(config, epoch);
      const t0 = performance.now();
      const sb = await data.next();
      const batch = tf.tidy(() => {
        const images = tf.tensor4d(sb.images, sb.shape as [number, number, number, number]);
        const labels = tf.tensor1d(Int32Array.from(sb.labels), 'int32');
        if (builder == null) return { images, labels };
        // Genuine images carry no artifact box: all their anchors are negative.
        const t = builder.build(sb.boxes.map((b, i) => (sb.labels[i] === 1 ? [...b] : [])), matchOptions);
        const { locT, confT } = targetTensors(t);
        return { images, labels, locT, confT };
      });
      try {
        stats = trainStep(net, opt, batch, { alpha: config.det_loss.alpha, beta: config.det_loss.beta, negPos: config.det_loss.neg_pos, genuineNegatives: config.det_loss.genuine_negatives }, step);
      } catch (e) {
        if (e instanceof NonFiniteLossError) {
          log.write({ type: 'error', step, error: e.message });
          e.message += lastCheckpoint ? `; the last good checkpoint is ${lastCheckpoint}` : '; no checkpoint was written yet';
        }
        throw e;
      } finally {
        tf.dispose(Object.values(batch));
      }
      const ms = performance.now() - t0;
      const redo = step <= redoUntil ? { redo: true } : {};
      log.write({ type: 'step', step, epoch, lr: opt.lr, ...stats, ms: Math.round(ms), ...redo });
      o.onStep?.(step, stats);
      bar?.tick(1, { loss: stats.loss, acc: stats.acc });
      const epochEnd = (step + 1) % c.batches_per_epoch === 0;
      if (epochEnd && o.validation && c.eval_every > 0 && (epoch + 1) % c.eval_every === 0) {
        const result = await evaluate(net, o.validation());
        evaluations.push({ epoch, step, result });
        log.write({ type: 'eval', step, epoch, frameAuc: result.frameAuc, videoAuc: result.videoAuc, videoEer: result.videoEer, videoAp: result.videoAp, frames: result.frames, videos: result.videos, ...redo });
      }
      if (epochEnd || (step + 1) % c.checkpoint_every === 0 || step + 1 === totalSteps) {
        await save(epoch); // records the step just done; a resume continues after it
      }
    }
    bar?.done();
    return { startStep, steps: step, lastStats: stats, evaluations, checkpoint: lastCheckpoint };
  } finally {
    opt.dispose();
  }
}

/** The highest step of a `step` record in a run's log, or -1 (no log, or no step yet). */
function lastLoggedStep(file: string): number {
  let last = -1;
  for (const r of readJsonl<{ type?: string; step?: number }>(file)) {
    if (r.value.type === 'step' && typeof r.value.step === 'number' && r.value.step > last) last = r.value.step;
  }
  return last;
}
