/**
 * Building one batch from sample specs: decode the cached PNGs, prepare each sample with its
 * own seeded generator (seed, epoch, sample index), and pack NHWC float32. The same code runs
 * in-process and in worker threads, so a batch is identical whichever runs it.
 */
import { readFileSync } from 'node:fs';
import { createRng, type ImageU8 } from '@caddm/image';
import { SwapWorkspace } from '@caddm/mfs';
import { decodePng } from '../io/png.js';
import type { PixelBox } from '../augment/ops.js';
import { prepareSample, type SampleOptions, type SampleSpec } from './sample.js';

/** A packed batch. */
export interface Batch {
  /** NHWC float32 pixels (`valueScale` applied). */
  images: Float32Array;
  /** `[batch, height, width, 3]`. */
  shape: [number, number, number, number];
  /** 0/1 labels. */
  labels: Float32Array;
  /** Artifact boxes per sample, canvas pixels `[x0, y0, x1, y1]` (empty for reals). */
  boxes: PixelBox[][];
  /** Video id of each sample. */
  ids: string[];
  /** Frame index of each sample. */
  frames: number[];
  /** What was done to each sample. */
  ops: string[][];
}

/** Options shared by the in-process and worker batch builders. */
export interface BatchOptions extends SampleOptions {
  /** Base seed. */
  seed: number;
  /** Multiplier from 0..255 to the output scale (default 1/255). */
  valueScale?: number;
}

/** The per-sample seed: independent of batch composition and worker assignment. */
export function sampleSeed(seed: number, epoch: number, index: number): number {
  let h = (seed ^ 0x85ebca6b) >>> 0;
  for (const v of [epoch, index]) {
    h = Math.imul(h ^ v, 0xc2b2ae35) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x27d4eb2f) >>> 0;
    h ^= h >>> 13;
  }
  return h >>> 0;
}

/** One MFS workspace per thread. */
const SHARED = new SwapWorkspace();
const png = (p: string): ImageU8 => decodePng(readFileSync(p), p);

/**
 * Builds the batch of the given samples (`index` = the sample's position in the dataset, which
 * seeds its randomness). MFS buffers are reused per thread (`ws`, default one per thread); the
 * loader test checks that this keeps batches independent of which worker built them.
 */
export async function buildBatch(
  specs: readonly SampleSpec[],
  indices: readonly number[],
  epoch: number,
  opts: BatchOptions,
  ws?: SwapWorkspace,
): Promise<Batch> {
  const S = opts.canvasSize;
  const B = specs.length;
  const scale = opts.valueScale ?? 1 / 255;
  const images = new Float32Array(B * S * S * 3);
  const labels = new Float32Array(B);
  const boxes: PixelBox[][] = [];
  const ops: string[][] = [];
  for (let b = 0; b < B; b++) {
    const spec = specs[b];
    const rng = createRng(sampleSeed(opts.seed, epoch, indices[b]));
    const target = png(spec.file);
    const source = spec.label === 1 && spec.sourceFile ? png(spec.sourceFile) : undefined;
    const r = await prepareSample(spec, target, source, rng, opts, ws ?? SHARED);
    const d = r.image.data;
    const o = b * S * S * 3;
    for (let i = 0; i < d.length; i++) images[o + i] = d[i] * scale;
    labels[b] = r.label;
    boxes.push(r.boxes);
    ops.push(r.ops);
  }
  return { images, shape: [B, S, S, 3], labels, boxes, ids: specs.map((s) => s.id), frames: specs.map((s) => s.frame), ops };
}
