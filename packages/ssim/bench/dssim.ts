/**
 * Benchmark of `dssimMap` on the input shape of `../shared/bench/baseline.py`'s `image_pair`
 * (224x224x3 uint8, b = a with a 70x80 block replaced by new noise). numpy's RandomState
 * cannot be reproduced here, so the noise comes from our seeded RNG: same shape, same
 * structure, which is all the timing depends on. Baseline figure: `dssim_224`
 * (OpenCV `filter2D`, float64, one thread).
 */
import { createImage, createRng, type ImageU8 } from '@caddm/image';
import { createSsimScratch, dssimMap } from '../src/index.js';

function imagePair(): [ImageU8, ImageU8] {
  const rng = createRng(0);
  const a = createImage(224, 224, 3);
  for (let i = 0; i < a.data.length; i++) a.data[i] = rng.int(0, 255);
  const b = createImage(224, 224, 3);
  b.data.set(a.data);
  for (let y = 50; y < 120; y++) for (let x = 60; x < 140; x++) for (let k = 0; k < 3; k++) b.set(y, x, k, rng.int(0, 255));
  return [a, b];
}

async function median(fn: () => void, runs: number, warmup: number): Promise<{ ms: number; runs: number }> {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((x, y) => x - y);
  const m = t.length >> 1;
  return { ms: t.length % 2 ? t[m] : (t[m - 1] + t[m]) / 2, runs };
}

/** dssim_224: fresh output per call (like the baseline); dssim_224_reuse: caller-owned out + scratch. */
export async function bench(): Promise<Array<{ name: string; ms: number; runs: number; baseline?: string; note?: string }>> {
  const [a, b] = imagePair();
  // Warm-ups let V8 tier the wasm kernel up from its baseline compiler, as it is in a training run.
  const fresh = await median(() => dssimMap(a, b), 41, 60);
  const out = createImage(224, 224, 3, 'float64');
  const scratch = createSsimScratch(224, 224, 3);
  const reuse = await median(() => dssimMap(a, b, { out, scratch }), 41, 60);
  return [
    { name: 'dssim_224', ...fresh, baseline: 'dssim_224', note: 'fresh output and scratch per call, 1 thread' },
    { name: 'dssim_224_reuse', ...reuse, note: 'caller-owned out + scratch, 1 thread' },
  ];
}
