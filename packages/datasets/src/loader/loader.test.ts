import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { align5p } from '@caddm/face';
import { createRng, type ImageU8 } from '@caddm/image';
import { decodePng } from '../io/png.js';
import { generateBenchmark } from '../benchmark/generate.js';
import { sidecarDetector } from '../preprocess/detector.js';
import { preprocess } from '../preprocess/preprocess.js';
import { readFFpp } from '../readers/ffpp.js';
import { tempDir } from '../testing/fixtures.js';
import { NO_AUGMENT } from '../augment/augment.js';
import type { Batch } from './batch.js';
import { FrameLoader } from './loader.js';
import { prepareSample } from './sample.js';

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
    expect(loader.skips).toEqual({ noFace: 0, noSource: 0, failedVideos: 0, fakeVideos: 0 });
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
    expect(partial).toBeGreaterThan(0);

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

const bytes = (b: Batch): Buffer => Buffer.from(b.images.buffer, b.images.byteOffset, b.images.byteLength);

describe("FrameLoader with synthesis: 'sbi'", () => {
  it('ignores the fake videos and gives each real frame twice, as itself and as its self-blend, balanced', async () => {
    const S = 48;
    const mfs = FrameLoader.open({ cache, split: 'train', batchSize: 4, canvasSize: S, seed: 1 });
    const realFrames = mfs.samples.filter((s) => s.label === 0);
    const loader = FrameLoader.open({ cache, split: 'train', batchSize: 4, canvasSize: S, seed: 1, synthesis: 'sbi' });
    expect(loader.skips).toEqual({ noFace: 0, noSource: 0, failedVideos: 0, fakeVideos: 16 });
    expect(loader.samples.length).toBe(2 * realFrames.length);
    const key = (s: { id: string; frame: number }) => `${s.id}#${s.frame}`;
    const realKeys = new Set(realFrames.map(key));
    const byLabel = [0, 1].map((l) => loader.samples.filter((s) => s.label === l).map(key).sort());
    expect(byLabel[0]).toEqual([...realKeys].sort());
    expect(byLabel[1]).toEqual([...realKeys].sort());
    expect(loader.samples.every((s) => s.sourceFile === undefined)).toBe(true);
    // Balance has nothing to repeat: the epoch is the same with or without it.
    const bal = FrameLoader.open({ cache, split: 'train', batchSize: 4, canvasSize: S, seed: 1, synthesis: 'sbi', balance: true });
    expect(bal.epochLength).toBe(loader.samples.length);
    expect(bal.order(0)).toEqual(loader.order(0));

    const batches: Batch[] = [];
    for await (const b of loader.epoch(0)) batches.push(b);
    expect(batches.length).toBe(loader.samples.length / 4);
    const labels = batches.flatMap((b) => [...b.labels]);
    expect(labels.filter((l) => l === 1).length).toBe(realFrames.length);
    const ops = new Set<string>();
    for (const b of batches) {
      b.labels.forEach((l, i) => {
        expect(realKeys.has(`${b.ids[i]}#${b.frames[i]}`)).toBe(true);
        for (const o of b.ops[i]) ops.add(o.split(':')[0]);
        if (l === 0) {
          expect(b.boxes[i]).toEqual([]);
          expect(b.ops[i].some((o) => o.startsWith('sbi-real:'))).toBe(true);
          return;
        }
        // CADDM's two boxes: the whole canvas, then the blend's artifact box (flipped with the image).
        expect(b.boxes[i]).toHaveLength(2);
        expect(b.boxes[i][0]).toEqual([0, 0, S, S]);
        const [x0, y0, x1, y1] = b.boxes[i][1];
        expect(0 <= x0 && x0 < x1 && x1 <= S && 0 <= y0 && y0 < y1 && y1 <= S).toBe(true);
        expect((x1 - x0) * (y1 - y0)).toBeLessThan(S * S);
        expect(b.ops[i].some((o) => /^sbi:(dfl_full|extended|components|facehull):/.test(o))).toBe(true);
      });
    }
    // No MFS anywhere; CADDM's augmentations still run.
    expect([...ops].some((o) => o === 'global' || o === 'partial' || o === 'no-source' || o === 'no-mfs')).toBe(false);
    expect(ops.has('flip')).toBe(true);

    // Determinism: same seed, same bytes and boxes; another seed, other samples.
    const again = FrameLoader.open({ cache, split: 'train', batchSize: 4, canvasSize: S, seed: 1, synthesis: 'sbi' });
    const first = (await again.epoch(0).next()).value!;
    expect(first.ids).toEqual(batches[0].ids);
    expect(first.boxes).toEqual(batches[0].boxes);
    expect(bytes(first).equals(bytes(batches[0]))).toBe(true);
    const other = FrameLoader.open({ cache, split: 'train', batchSize: 4, canvasSize: S, seed: 2, synthesis: 'sbi' });
    expect(other.order(0)).not.toEqual(loader.order(0));
  });

  it('puts the artifact box inside the canvas and inside the face (evaluation mode: no jitter, no augmentation)', async () => {
    const S = 64;
    const loader = FrameLoader.open({ cache, split: 'train', batchSize: 4, canvasSize: S, synthesis: 'sbi', training: false });
    const fakes = loader.samples.filter((s) => s.label === 1);
    const hulls = new Set<string>();
    for (const [k, spec] of fakes.entries()) {
      const img = decodePng(readFileSync(spec.file), spec.file) as ImageU8;
      const r = await prepareSample(spec, img, undefined, createRng(k), { canvasSize: S, training: false, synthesis: 'sbi' });
      expect(r.label).toBe(1);
      hulls.add(r.ops.find((o) => o.startsWith('sbi:') && !o.startsWith('sbi:landmarks'))!.split(':')[1]);
      // The face on the canvas: the 68 aligned landmarks' bounding box, extended upwards for the
      // forehead (the `facehull` mask reaches it) and by the source-mask affine's reach (3 % shift, 5 % scale).
      const pts = align5p(img, Float32Array.from(spec.landmarks), { canvasSize: S, faceWidth: (80 * S) / 224 }).landmarks;
      let fx0 = Infinity, fy0 = Infinity, fx1 = -Infinity, fy1 = -Infinity;
      for (let i = 0; i < 136; i += 2) {
        fx0 = Math.min(fx0, pts[i]);
        fx1 = Math.max(fx1, pts[i]);
        fy0 = Math.min(fy0, pts[i + 1]);
        fy1 = Math.max(fy1, pts[i + 1]);
      }
      const m = 0.08 * S;
      const forehead = 0.5 * (fy1 - fy0);
      const [x0, y0, x1, y1] = r.boxes[1];
      expect(0 <= x0 && x0 < x1 && x1 <= S && 0 <= y0 && y0 < y1 && y1 <= S).toBe(true);
      expect(x0).toBeGreaterThanOrEqual(fx0 - m);
      expect(x1).toBeLessThanOrEqual(fx1 + m);
      expect(y0).toBeGreaterThanOrEqual(fy0 - forehead - m);
      expect(y1).toBeLessThanOrEqual(fy1 + m);
      // ... and covers a real part of it, centred on it.
      expect((x1 - x0) * (y1 - y0)).toBeGreaterThan(0.2 * Math.min(fx1 - fx0, S) * Math.min(fy1 - fy0, S));
      const cx = (x0 + x1) / 2;
      const cy = (y0 + y1) / 2;
      expect(cx > fx0 && cx < fx1 && cy > fy0 - forehead && cy < fy1).toBe(true);
    }
    expect(hulls.size).toBeGreaterThan(1);
  });

  it('gives the same self-blended batches from worker threads as in-process', async () => {
    const opts = { cache, split: 'train' as const, batchSize: 4, canvasSize: 48, seed: 5, synthesis: 'sbi' as const };
    const a = FrameLoader.open(opts);
    const w = FrameLoader.open({ ...opts, workers: 1 });
    try {
      const ita = a.epoch(1);
      const itw = w.epoch(1);
      for (let k = 0; k < 3; k++) {
        const ba = (await ita.next()).value!;
        const bw = (await itw.next()).value!;
        expect(bw.ids).toEqual(ba.ids);
        expect([...bw.labels]).toEqual([...ba.labels]);
        expect(bw.boxes).toEqual(ba.boxes);
        expect(bytes(bw).equals(bytes(ba))).toBe(true);
      }
      await ita.return(undefined);
      await itw.return(undefined);
    } finally {
      await w.close();
    }
  });

  it('fails clearly on a bad synthesis, a bad sbi option, or a cache without real frames', () => {
    const base = { cache, batchSize: 2, canvasSize: 48 };
    expect(() => FrameLoader.open({ ...base, synthesis: 'xray' as never })).toThrow(/synthesis must be one of mfs, sbi, got "xray"/);
    expect(() => FrameLoader.open({ ...base, synthesis: 'sbi', sbi: { boxThreshold: 2 } })).toThrow(/bad sbi option: .*boxThreshold/);
    expect(() => FrameLoader.open({ ...base, synthesis: 'sbi', filter: (v) => v.label === 1 })).toThrow(/no usable real frame \(synthesis sbi self-blends real frames only\)/);
  });
});

/** The first genuine training sample of the cache at canvas size `S`, and its cached frame. */
function firstRealFrame(S: number) {
  const loader = FrameLoader.open({ cache, split: 'train', batchSize: 4, canvasSize: S });
  const real = loader.samples.find((s) => s.label === 0)!;
  return { real, R: decodePng(readFileSync(real.file), real.file) as ImageU8 };
}

describe('cached landmarks that cannot align a face', () => {
  it('name the frame file and the video, and say to preprocess again', async () => {
    const img = new Uint8Array(32 * 32 * 3);
    const { wrapImage } = await import('@caddm/image');
    const spec = { id: 'ds/original/v', file: '/cache/frames/v/000002.png', label: 0 as const, landmarks: [1, 2, Number.NaN, 4], frameIndex: 2 };
    await expect(prepareSample(spec as never, wrapImage(img, 32, 32, 3) as ImageU8, undefined, createRng(1), { canvasSize: 32, training: false })).rejects.toThrow(
      /^\/cache\/frames\/v\/000002\.png \(video ds\/original\/v\): its cached landmarks has 2 points, at least 68 are needed; preprocess this video again$/,
    );
  });
});

describe('MFS source-into-fake swaps that give back the genuine frame', () => {
  it('keep the fake unchanged by default, and reproduce the reference (real image labelled fake) on request', async () => {
    const S = 64;
    const { real, R } = firstRealFrame(S);
    // A "fake" that differs from its source only around the eyes (well inside the landmark hull).
    const F = { ...R, data: Uint8Array.from(R.data) } as ImageU8;
    const [w, c] = [R.shape[1], R.shape[2]];
    const lm = real.landmarks;
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 36; i < 48; i++) {
      [x0, x1, y0, y1] = [Math.min(x0, lm[2 * i]), Math.max(x1, lm[2 * i]), Math.min(y0, lm[2 * i + 1]), Math.max(y1, lm[2 * i + 1])];
    }
    for (let y = Math.floor(y0); y <= y1; y++) for (let x = Math.floor(x0); x <= x1; x++) for (let k = 0; k < c; k++) F.data[(y * w + x) * c + k] ^= 0x40;
    const spec = { ...real, label: 1 as const };
    const opts = { canvasSize: S, augment: NO_AUGMENT, downscale: 0 };
    let hits = 0;
    for (let seed = 0; seed < 80 && hits < 3; seed++) {
      const kept = await prepareSample(spec, F, R, createRng(seed), opts);
      const op = kept.ops.find((o) => o.startsWith('global:source-into-fake'));
      if (op == null) continue;
      hits++;
      // An elastically deformed hull may leave part of the eyes fake: then the swap is a real forgery.
      if (!op.endsWith('genuine-result-kept-fake')) continue;
      const ref = await prepareSample(spec, F, R, createRng(seed), { ...opts, rejectGenuineSwaps: false });
      const src = await prepareSample({ ...real }, R, undefined, createRng(seed), opts);
      let diffKept = 0;
      let absKept = 0;
      let absRef = 0;
      for (let i = 0; i < src.image.data.length; i++) {
        if (Math.abs(kept.image.data[i] - src.image.data[i]) > 2) diffKept++;
        absKept += Math.abs(kept.image.data[i] - src.image.data[i]);
        absRef += Math.abs(ref.image.data[i] - src.image.data[i]);
      }
      expect(diffKept).toBeGreaterThan(50); // the eyes are still manipulated
      // The reference's result is the real frame, up to a Poisson blend's small colour drift:
      // much nearer to it than the kept fake (whose eyes differ by 64 levels).
      expect(absRef).toBeLessThan(0.5 * absKept);
    }
    expect(hits).toBeGreaterThan(0);
  });
});

describe('MFS partial swaps through the loader', () => {
  it('put each box exactly over the pixels the swap changed, in x/y order ([x0, y0, x1, y1])', async () => {
    const S = 64;
    const { real, R } = firstRealFrame(S);
    // A "fake" that differs from its source everywhere: the partial swap pastes the fake's window
    // into the source, so the result differs from the source exactly inside the box.
    const F = { ...R, data: Uint8Array.from(R.data, (v) => v ^ 0x40) } as ImageU8;
    const spec = { ...real, label: 1 as const };
    const opts = { canvasSize: S, augment: NO_AUGMENT, downscale: 0, partialProbability: 1, windows: [[40, 80]] as Array<[number, number]> };
    let checked = 0;
    for (let seed = 0; seed < 40 && checked < 6; seed++) {
      const swapped = await prepareSample(spec, F, R, createRng(seed), opts);
      if (swapped.boxes.length < 2) continue;
      // The source aligned the same way (the jitter is drawn before any MFS decision).
      const before = await prepareSample({ ...real }, R, undefined, createRng(seed), opts);
      const [x0, y0, x1, y1] = swapped.boxes[1];
      // The window is 80 wide and 40 high (224-pixel units): wider than high on the canvas too.
      expect([x1 - x0, y1 - y0]).toEqual([Math.round((80 * S) / 224), Math.round((40 * S) / 224)]);
      let inside = 0;
      let outside = 0;
      for (let y = 0; y < S; y++) {
        for (let x = 0; x < S; x++) {
          let changed = false;
          for (let k = 0; k < 3; k++) if (swapped.image.data[(y * S + x) * 3 + k] !== before.image.data[(y * S + x) * 3 + k]) changed = true;
          if (!changed) continue;
          // The alpha blend's box mask is softened by a 5x5 blur: 2 px of feather.
          if (x >= x0 - 2 && x < x1 + 2 && y >= y0 - 2 && y < y1 + 2) inside++;
          else outside++;
        }
      }
      expect(outside, `seed ${seed}: pixels differ from the source outside box ${[x0, y0, x1, y1]}`).toBe(0);
      expect(inside).toBeGreaterThan(0.5 * (x1 - x0) * (y1 - y0));
      checked++;
    }
    expect(checked).toBeGreaterThan(2);
  });
});
