/**
 * Benchmarks of `@caddm/anchors`: training-target assignment for a batch of
 * 128 images (each fake image has the whole-image box, half of them also a
 * partial-swap window; a quarter are genuine), and decode + NMS of one image.
 * No baseline figure exists in `../shared/bench/baseline.py` for these.
 */
import { decodeBoxes, nms, priorBoxes, TargetBuilder, type Box } from '../src/index.js';

async function median(fn: () => void, runs: number, warmup = 20): Promise<{ ms: number; runs: number }> {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  const m = t.length >> 1;
  return { ms: t.length % 2 ? t[m] : (t[m - 1] + t[m]) / 2, runs };
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

function batch(n: number): Box[][] {
  const r = lcg(42);
  const windows = [
    [40, 80],
    [80, 120],
    [120, 160],
  ];
  return Array.from({ length: n }, (_, i) => {
    if (i % 4 === 3) return [];
    const boxes: Box[] = [{ x0: 0, y0: 0, x1: 1, y1: 1 }];
    if (i % 2 === 0) {
      const [h, w] = windows[Math.floor(r() * 3)];
      const x0 = Math.floor(r() * (224 - w));
      const y0 = Math.floor(r() * (224 - h));
      boxes.push({ x0: x0 / 224, y0: y0 / 224, x1: (x0 + w) / 224, y1: (y0 + h) / 224 });
    }
    return boxes;
  });
}

/** Runs the anchors benchmarks. */
export async function bench(): Promise<Array<{ name: string; ms: number; runs: number; note?: string }>> {
  const priors = priorBoxes();
  const builder = new TargetBuilder(priors);
  const b128 = batch(128);
  const out = { loc: new Float32Array(128 * priors.count * 4), conf: new Uint8Array(128 * priors.count) };
  const reuse = await median(() => builder.build(b128, { out }), 200);
  const alloc = await median(() => builder.build(b128), 200);

  const r = lcg(7);
  const loc = Float32Array.from({ length: priors.count * 4 }, () => r() * 2 - 1);
  const scores = Float32Array.from({ length: priors.count }, () => r());
  const boxes = new Float32Array(priors.count * 4);
  const dn = await median(() => nms(decodeBoxes(loc, priors, undefined, boxes), scores, { iouThreshold: 0.5, topK: 200 }), 200);
  return [
    { name: 'anchors_targets_b128', ...reuse, note: '168 priors, 1-2 truths per fake image, reused output buffers; target <= 2 ms' },
    { name: 'anchors_targets_b128_alloc', ...alloc, note: 'same, allocating outputs' },
    { name: 'anchors_decode_nms_168', ...dn, note: 'decode 168 offsets + NMS (0.5, top 200)' },
  ];
}
