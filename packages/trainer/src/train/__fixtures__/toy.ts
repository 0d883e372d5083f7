import { tf } from '@caddm/tf';
import { LayersNet } from '../layers-net.js';
import type { Box } from '@caddm/anchors';
import type { BatchSource, EvalFrame, SampleBatch } from '../data.js';
import type { TrainBatch } from '../step.js';

export const A = 6; // anchors of the toy detector

/** A tiny net with a toy "ADM": loc/conf heads on a 1x1 map plus logits. */
export function toyNet(withAdm: boolean, seed = 1): LayersNet {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed * 100 + s });
  const x = tf.input({ shape: [8, 8, 3] });
  let h = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: init(1) }).apply(x) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization({ epsilon: 1e-5 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.activation({ activation: 'relu' }).apply(h) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 2, kernelInitializer: init(2) }).apply(pooled) as tf.SymbolicTensor;
  if (!withAdm) return new LayersNet(tf.model({ inputs: x, outputs: logits }));
  const loc = tf.layers.reshape({ targetShape: [A, 4] }).apply(tf.layers.dense({ units: A * 4, kernelInitializer: init(3) }).apply(pooled)) as tf.SymbolicTensor;
  const conf = tf.layers.reshape({ targetShape: [A, 2] }).apply(tf.layers.dense({ units: A * 2, kernelInitializer: init(4) }).apply(pooled)) as tf.SymbolicTensor;
  return new LayersNet(tf.model({ inputs: x, outputs: [loc, conf, logits] }));
}

/** Learnable toy data: fakes have a bright square; their first anchor is positive. */
export function toyBatch(b: number, seed: number, withTargets: boolean): TrainBatch {
  return tf.tidy(() => {
    const labels = tf.tensor1d(Array.from({ length: b }, (_, i) => i % 2), 'int32');
    const noise = tf.randomUniform([b, 8, 8, 3], 0, 0.5, 'float32', seed);
    const square = tf.pad(tf.ones([b, 3, 3, 3]), [[0, 0], [2, 3], [2, 3], [0, 0]]).mul(labels.toFloat().reshape([b, 1, 1, 1]));
    const images = noise.add(square) as tf.Tensor4D;
    if (!withTargets) return { images, labels };
    const confT = tf.tensor2d(Array.from({ length: b * A }, (_, k) => (Math.floor(k / A) % 2 === 1 && k % A === 0 ? 1 : 0)), [b, A], 'int32');
    const locT = tf.randomNormal([b, A, 4], 0, 0.1, 'float32', seed + 1) as tf.Tensor3D;
    return { images, labels, locT, confT };
  });
}

export const disposeBatch = (b: TrainBatch) => tf.dispose(Object.values(b) as tf.Tensor[]);


/** Six anchors at the centre of an 8x8 image (three 1x1 maps), matching {@link toyNet}'s heads. */
export const TOY_ANCHORS = { imageSize: 8, featureMaps: [1, 1, 1], steps: [8, 8, 8], minSizes: [2, 4, 6], maxSizes: [4, 6, 8], clip: true };

/**
 * A resumable toy stream: batch k is a pure function of (seed, k). Fakes have
 * a bright 3x3 square at (2,2) whose box is their artifact box.
 */
export class ToySource implements BatchSource {
  private k = 0;
  constructor(
    private readonly batch = 8,
    private readonly seed = 1,
  ) {}
  async next(): Promise<SampleBatch> {
    const b = this.batch;
    const k = this.k++;
    const images = new Float32Array(b * 8 * 8 * 3);
    const labels = new Uint8Array(b);
    let s = (this.seed * 9973 + k * 7919) >>> 0;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const boxes: Box[][] = [];
    for (let i = 0; i < b; i++) {
      labels[i] = (i + k) % 2;
      for (let p = 0; p < 8 * 8 * 3; p++) images[i * 192 + p] = rnd() * 0.5;
      if (labels[i] === 1) {
        for (let y = 2; y < 5; y++) for (let x = 2; x < 5; x++) for (let c = 0; c < 3; c++) images[i * 192 + (y * 8 + x) * 3 + c] += 1;
        boxes.push([{ x0: 2 / 8, y0: 2 / 8, x1: 5 / 8, y1: 5 / 8 }]);
      } else boxes.push([]);
    }
    return { images, shape: [b, 8, 8, 3], labels, boxes };
  }
  getState(): unknown {
    return { k: this.k };
  }
  setState(state: unknown): void {
    this.k = (state as { k: number }).k;
  }
}

/** Validation frames: 6 "videos" of 3 frames, half fake. */
export function* toyValidation(): Iterable<EvalFrame> {
  for (let v = 0; v < 6; v++) {
    const label = (v % 2) as 0 | 1;
    for (let f = 0; f < 3; f++) {
      const image = new Float32Array(8 * 8 * 3).map((_, p) => (((v * 31 + f * 17 + p * 13) % 97) / 97) * 0.5);
      if (label === 1) for (let y = 2; y < 5; y++) for (let x = 2; x < 5; x++) for (let c = 0; c < 3; c++) image[(y * 8 + x) * 3 + c] += 1;
      yield { videoId: `toy/${label ? 'fake' : 'real'}/${v}`, label, image, shape: [8, 8, 3] };
    }
  }
}
