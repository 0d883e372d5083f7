import { beforeAll, describe, expect, it } from 'vitest';
import { generateBenchmark } from '../benchmark/generate.js';
import { sidecarDetector } from '../preprocess/detector.js';
import { preprocess } from '../preprocess/preprocess.js';
import { readFFpp } from '../readers/ffpp.js';
import { tempDir } from '../testing/fixtures.js';
import { NO_AUGMENT } from '../augment/augment.js';
import type { Batch } from './batch.js';
import { FrameLoader } from './loader.js';

let cache = '';
beforeAll(async () => {
  const out = tempDir('caddm-loader-bench-');
  const res = await generateBenchmark({ out, seed: 2, profile: 'tiny', format: 'frames' });
  cache = tempDir('caddm-loader-cache-');
  await preprocess(readFFpp(res.ffppRoot), { out: cache, frames: 4, detector: sidecarDetector(), progress: false });
});

describe('FrameLoader', () => {
  it('yields seeded NHWC float batches with labels and canvas-pixel artifact boxes', async () => {
    const S = 64;
    const loader = FrameLoader.open({ cache, split: 'train', batchSize: 8, canvasSize: S, seed: 1 });
    expect(loader.samples.length).toBe(80); // 4 reals + 16 fakes, 4 frames each
    expect(loader.skips).toEqual({ noFace: 0, noSource: 0, failedVideos: 0 });
    expect(loader.batchesPerEpoch).toBe(10);
    const batches: Batch[] = [];
    for await (const b of loader.epoch(0)) batches.push(b);
    expect(batches.length).toBe(10);
    const ops = new Set<string>();
    let partial = 0;
    for (const b of batches) {
      expect(b.shape).toEqual([8, S, S, 3]);
      expect(b.images.length).toBe(8 * S * S * 3);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of b.images) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
      b.labels.forEach((l, i) => {
        const spec = loader.samples.find((s) => s.id === b.ids[i] && s.frame === b.frames[i])!;
        expect(l).toBe(spec.label);
        if (l === 0) expect(b.boxes[i]).toEqual([]);
        else {
          expect(b.boxes[i][0]).toEqual([0, 0, S, S]);
          for (const [x0, y0, x1, y1] of b.boxes[i]) {
            expect(0 <= x0 && x0 < x1 && x1 <= S && 0 <= y0 && y0 < y1 && y1 <= S).toBe(true);
          }
          if (b.boxes[i].length > 1) partial++;
        }
        for (const o of b.ops[i]) ops.add(o.split(':').slice(0, 2).join(':'));
      });
    }
    // Fakes went through MFS (global swaps in both directions) and the augmentations ran.
    expect([...ops].some((o) => o.startsWith('global:source-into-fake'))).toBe(true);
    expect([...ops].some((o) => o.startsWith('global:fake-into-source'))).toBe(true);
    expect([...ops].some((o) => o.startsWith('partial'))).toBe(true);
    expect(ops.has('gamma')).toBe(true);
    expect(ops.has('flip')).toBe(true);
    expect(partial).toBeGreaterThanOrEqual(0);

    // Determinism: same seed, same bytes; the next epoch has another order.
    const again = FrameLoader.open({ cache, split: 'train', batchSize: 8, canvasSize: S, seed: 1 });
    const first = (await again.epoch(0).next()).value!;
    expect(first.ids).toEqual(batches[0].ids);
    expect(Buffer.from(first.images.buffer).equals(Buffer.from(batches[0].images.buffer))).toBe(true);
    expect(again.order(1)).not.toEqual(again.order(0));
  });

  it('evaluation mode aligns without jitter, MFS or augmentation, in manifest order', async () => {
    const loader = FrameLoader.open({ cache, split: 'test', batchSize: 3, canvasSize: 48, training: false, augment: NO_AUGMENT });
    expect(loader.batchesPerEpoch).toBe(Math.ceil(loader.samples.length / 3));
    const b = (await loader.epoch(0).next()).value!;
    expect(b.ids[0]).toBe(loader.samples[0].id);
    expect(b.ops.every((o: string[]) => o.length === 0 || o.every((x: string) => x === 'no-mfs'))).toBe(true);
  });

  it('gives the same batches from worker threads as in-process', async () => {
    const a = FrameLoader.open({ cache, split: 'val', batchSize: 4, canvasSize: 48, seed: 3 });
    const w = FrameLoader.open({ cache, split: 'val', batchSize: 4, canvasSize: 48, seed: 3, workers: 1 });
    try {
      const ba: Batch[] = [];
      for await (const b of a.epoch(2)) ba.push(b);
      const bw: Batch[] = [];
      for await (const b of w.epoch(2)) bw.push(b);
      expect(bw.length).toBe(ba.length);
      bw.forEach((b, i) => {
        expect(b.ids).toEqual(ba[i].ids);
        expect(b.boxes).toEqual(ba[i].boxes);
        expect(Buffer.from(b.images.buffer).equals(Buffer.from(ba[i].images.buffer))).toBe(true);
      });
    } finally {
      await w.close();
    }
  });

  it('balances classes per epoch when asked: the minority class is repeated, seeded', async () => {
    const plain = FrameLoader.open({ cache, split: 'train', batchSize: 4, canvasSize: 48, seed: 1 });
    const real = plain.samples.filter((s) => s.label === 0).length;
    const fake = plain.samples.length - real;
    expect(real).toBeLessThan(fake);
    const bal = FrameLoader.open({ cache, split: 'train', batchSize: 4, canvasSize: 48, seed: 1, balance: true });
    const order = bal.order(0);
    expect(order.length).toBe(2 * fake);
    expect(order.filter((i) => bal.samples[i].label === 0).length).toBe(fake);
    expect(bal.order(0)).toEqual(order);
    expect(bal.batchesPerEpoch).toBe(Math.floor((2 * fake) / 4));
    expect(plain.order(0).length).toBe(real + fake);
  });

  it('fails clearly on an empty cache', () => {
    expect(() => FrameLoader.open({ cache: tempDir(), batchSize: 2, canvasSize: 64 })).toThrow(/run preprocess first/);
    expect(() => FrameLoader.open({ cache, batchSize: 0, canvasSize: 64 })).toThrow(/batchSize/);
  });
});
