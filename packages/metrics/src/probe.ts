import { tf } from '@caddm/tf';
import { MetricsInputError } from './errors.js';
import type { ProbeEpoch, ProbeResult } from './probe-result.js';
import { seededRng, shuffleInPlace } from './rng.js';

export type { ProbeEpoch, ProbeResult } from './probe-result.js';

/** Frozen features with their identity labels. */
export interface FeatureSet {
  /**
   * One row per image: a flat row-major `Float32Array` of `rows * dim`
   * values (give `dim` in the options), or an array of rows.
   */
  readonly features: Float32Array | readonly ArrayLike<number>[];
  /** Identity of each row (any numbers or strings). */
  readonly labels: ArrayLike<number | string>;
}

/** Options of {@link linearProbe}. */
export interface ProbeOptions {
  /** Feature dimension; required when `features` is a flat array. */
  readonly dim?: number;
  /** Passes over the training set; default 30. */
  readonly epochs?: number;
  /** Rows per step; default 64. */
  readonly batchSize?: number;
  /** Adam learning rate; default 1e-3. */
  readonly learningRate?: number;
  /** L2 penalty on the weights added to the loss; default 0. */
  readonly weightDecay?: number;
  /**
   * Feature preprocessing: `'none'` (default), `'l2'` (unit-length rows, as
   * the paper's Fig. 5 feature spaces) or `'standardize'` (per-dimension
   * mean/std of the training set).
   */
  readonly normalize?: 'none' | 'l2' | 'standardize';
  /** Seed of the weight initialisation and the shuffles; default 0. */
  readonly seed?: number;
  /** Called after each epoch. */
  readonly onEpoch?: (epoch: ProbeEpoch) => void;
}



interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly dim: number;
}

function toMatrix(set: FeatureSet, dimOpt: number | undefined, what: string): Matrix {
  const f = set.features;
  let data: Float32Array;
  let rows: number;
  let dim: number;
  if (f instanceof Float32Array) {
    if (dimOpt === undefined || !Number.isInteger(dimOpt) || dimOpt < 1) {
      throw new MetricsInputError('bad-option', `linearProbe: ${what} features are flat, so options.dim (a positive integer) is needed`);
    }
    dim = dimOpt;
    if (f.length % dim !== 0) {
      throw new MetricsInputError('bad-shape', `linearProbe: ${what} features have ${f.length} values, not a multiple of dim ${dim}`);
    }
    rows = f.length / dim;
    data = f;
  } else {
    rows = f.length;
    dim = rows > 0 ? f[0].length : (dimOpt ?? 0);
    if (dimOpt !== undefined && dim !== dimOpt) {
      throw new MetricsInputError('bad-shape', `linearProbe: ${what} rows have ${dim} values but options.dim is ${dimOpt}`);
    }
    data = new Float32Array(rows * dim);
    for (let i = 0; i < rows; i++) {
      if (f[i].length !== dim) {
        throw new MetricsInputError('bad-shape', `linearProbe: ${what} row ${i} has ${f[i].length} values, row 0 has ${dim}`);
      }
      for (let j = 0; j < dim; j++) data[i * dim + j] = f[i][j];
    }
  }
  if (rows === 0) throw new MetricsInputError('empty', `linearProbe: ${what} set has no rows`);
  if (set.labels.length !== rows) {
    throw new MetricsInputError('length-mismatch', `linearProbe: ${what} set has ${rows} rows but ${set.labels.length} labels`);
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new MetricsInputError('non-finite', `linearProbe: ${what} feature ${Math.floor(i / dim)}[${i % dim}] is ${data[i]}`);
    }
  }
  return { data, rows, dim };
}

function normalizeRows(m: Matrix, mode: 'none' | 'l2' | 'standardize', stats?: { mean: Float64Array; std: Float64Array }): Float32Array {
  const out = Float32Array.from(m.data);
  const { rows, dim } = m;
  if (mode === 'l2') {
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += out[i * dim + j] ** 2;
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let j = 0; j < dim; j++) out[i * dim + j] *= inv;
    }
  } else if (mode === 'standardize' && stats) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) out[i * dim + j] = (out[i * dim + j] - stats.mean[j]) / stats.std[j];
  }
  return out;
}

function columnStats(m: Matrix): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(m.dim);
  const std = new Float64Array(m.dim);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.dim; j++) mean[j] += m.data[i * m.dim + j] / m.rows;
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.dim; j++) std[j] += (m.data[i * m.dim + j] - mean[j]) ** 2 / m.rows;
  for (let j = 0; j < m.dim; j++) std[j] = std[j] > 0 ? Math.sqrt(std[j]) : 1;
  return { mean, std };
}

function accuracy(x: tf.Tensor2D, y: tf.Tensor1D, w: tf.Variable, b: tf.Variable): number {
  return tf.tidy(() => x.matMul(w as tf.Tensor2D).add(b).argMax(1).equal(y).cast('float32').mean().dataSync()[0]);
}

/**
 * Identity linear probe (paper Fig. 2 and 5b/5d): trains a softmax linear
 * classifier `softmax(x W + b)` with Adam on frozen features to predict
 * identities, and records train/test accuracy after every epoch. Seeded:
 * the same inputs and seed give the same curves on the same backend.
 * Needs an initialised tfjs backend.
 *
 * @throws {@link MetricsInputError} on empty sets, ragged or non-finite
 * features, label count mismatches, fewer than two identities, a test
 * identity absent from training, or bad options.
 */
export async function linearProbe(train: FeatureSet, test: FeatureSet, options: ProbeOptions = {}): Promise<ProbeResult> {
  const epochs = options.epochs ?? 30;
  const batchSize = options.batchSize ?? 64;
  const lr = options.learningRate ?? 1e-3;
  const wd = options.weightDecay ?? 0;
  const mode = options.normalize ?? 'none';
  const posInt = (v: number): boolean => Number.isInteger(v) && v >= 1;
  if (!posInt(epochs)) throw new MetricsInputError('bad-option', `linearProbe: epochs must be a positive integer, got ${epochs}`);
  if (!posInt(batchSize)) throw new MetricsInputError('bad-option', `linearProbe: batchSize must be a positive integer, got ${batchSize}`);
  if (!(lr > 0 && Number.isFinite(lr))) throw new MetricsInputError('bad-option', `linearProbe: learningRate must be positive, got ${lr}`);
  if (!(wd >= 0 && Number.isFinite(wd))) throw new MetricsInputError('bad-option', `linearProbe: weightDecay must be >= 0, got ${wd}`);
  if (mode !== 'none' && mode !== 'l2' && mode !== 'standardize') {
    throw new MetricsInputError('bad-option', `linearProbe: unknown normalize '${String(mode)}'`);
  }
  const tr = toMatrix(train, options.dim, 'train');
  const te = toMatrix(test, options.dim ?? tr.dim, 'test');
  if (te.dim !== tr.dim) {
    throw new MetricsInputError('bad-shape', `linearProbe: train features have ${tr.dim} dimensions, test features ${te.dim}`);
  }

  const classIndex = new Map<number | string, number>();
  const classes: (number | string)[] = [];
  const yTrain = new Int32Array(tr.rows);
  const counts: number[] = [];
  for (let i = 0; i < tr.rows; i++) {
    const l = train.labels[i];
    let k = classIndex.get(l);
    if (k === undefined) {
      k = classes.length;
      classIndex.set(l, k);
      classes.push(l);
      counts.push(0);
    }
    counts[k]++;
    yTrain[i] = k;
  }
  if (classes.length < 2) {
    throw new MetricsInputError('single-class', `linearProbe: the training set has ${classes.length} identity; at least two are needed`);
  }
  const yTest = new Int32Array(te.rows);
  const majority = counts.indexOf(Math.max(...counts));
  let majorityRight = 0;
  for (let i = 0; i < te.rows; i++) {
    const k = classIndex.get(test.labels[i]);
    if (k === undefined) {
      throw new MetricsInputError('bad-label', `linearProbe: test label ${JSON.stringify(test.labels[i])} (row ${i}) is not an identity of the training set`);
    }
    yTest[i] = k;
    if (k === majority) majorityRight++;
  }

  const stats = mode === 'standardize' ? columnStats(tr) : undefined;
  const numClasses = classes.length;
  const dim = tr.dim;
  const rng = seededRng(options.seed ?? 0);
  const limit = Math.sqrt(6 / (dim + numClasses));
  const w0 = new Float32Array(dim * numClasses);
  for (let i = 0; i < w0.length; i++) w0[i] = (2 * rng.next() - 1) * limit;

  const xTr = tf.tensor2d(normalizeRows(tr, mode, stats), [tr.rows, dim]);
  const xTe = tf.tensor2d(normalizeRows(te, mode, stats), [te.rows, dim]);
  const yTr = tf.tensor1d(yTrain, 'int32');
  const yTe = tf.tensor1d(yTest, 'int32');
  const yTrOneHot = tf.oneHot(yTr, numClasses);
  const wInit = tf.tensor2d(w0, [dim, numClasses]);
  const bInit = tf.zeros([numClasses]);
  const w = tf.variable(wInit, true, undefined, 'float32');
  const b = tf.variable(bInit, true, undefined, 'float32');
  tf.dispose([wInit, bInit]);
  const optimizer = tf.train.adam(lr);
  const order = new Uint32Array(tr.rows);
  for (let i = 0; i < tr.rows; i++) order[i] = i;

  const history: ProbeEpoch[] = [];
  let testCorrect = new Uint8Array(te.rows);
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      shuffleInPlace(order, rng);
      let lossSum = 0;
      let steps = 0;
      for (let s = 0; s < tr.rows; s += batchSize) {
        const idx = tf.tensor1d(Int32Array.from(order.subarray(s, Math.min(tr.rows, s + batchSize))), 'int32');
        const cost = optimizer.minimize(
          () =>
            tf.tidy(() => {
              const xb = tf.gather(xTr, idx) as tf.Tensor2D;
              const yb = tf.gather(yTrOneHot, idx);
              const logits = xb.matMul(w as tf.Tensor2D).add(b);
              const ce = tf.losses.softmaxCrossEntropy(yb, logits) as tf.Scalar;
              return wd > 0 ? ce.add(w.square().sum().mul(wd)) : ce;
            }) as tf.Scalar,
          true,
          [w, b],
        );
        idx.dispose();
        if (cost) {
          lossSum += (await cost.data())[0];
          cost.dispose();
        }
        steps++;
      }
      const e: ProbeEpoch = {
        epoch,
        loss: lossSum / steps,
        trainAccuracy: accuracy(xTr, yTr, w, b),
        testAccuracy: accuracy(xTe, yTe, w, b),
      };
      history.push(e);
      options.onEpoch?.(e);
    }
    testCorrect = Uint8Array.from(tf.tidy(() => xTe.matMul(w as tf.Tensor2D).add(b).argMax(1).equal(yTe).cast('int32').dataSync()));
  } finally {
    optimizer.dispose();
    tf.dispose([xTr, xTe, yTr, yTe, yTrOneHot, w, b]);
  }
  return {
    epochs: history,
    trainAccuracy: history.map((e) => e.trainAccuracy),
    testAccuracy: history.map((e) => e.testAccuracy),
    loss: history.map((e) => e.loss),
    classes,
    chance: majorityRight / te.rows,
    testCorrect,
  };
}
