import { cloneImage, convertImage, createImage, createRng, rgbToYCbCr, type ImageU8 } from '@caddm/image';
import { describe, expect, it } from 'vitest';
import {
  BLOCK_SIZE,
  BLOCK_VALUE,
  NOISE_CHROMA_SCALE,
  NOISE_LUMA_SCALE,
  PERTURBATIONS,
  PerturbArgumentError,
  blockCount,
  blockPositions,
  blockWise,
  colorContrast,
  colorSaturation,
  perturb,
  perturbFrames,
  pixelate,
} from './index.js';
import { constant, firstDiff, psnr, textured, waves } from './__fixtures__/test-util.js';

/** Luma and chroma of every pixel, float, OpenCV coefficients, chroma centred on 128. */
function ycc(img: ImageU8): Float64Array {
  return rgbToYCbCr(convertImage(img, 'float64')).data;
}

function mean(a: ArrayLike<number>, start = 0, step = 1): number {
  let s = 0;
  let n = 0;
  for (let i = start; i < a.length; i += step, n++) s += a[i];
  return s / n;
}

function variance(a: ArrayLike<number>, start: number, step: number): number {
  const m = mean(a, start, step);
  let s = 0;
  let n = 0;
  for (let i = start; i < a.length; i += step, n++) s += (a[i] - m) ** 2;
  return s / n;
}

describe('colour saturation (CS)', () => {
  const img = textured(40, 60, 3);

  it('factor 0 leaves grey: chroma within one level of neutral, luma within one level', () => {
    const out = perturb(img, { type: 'CS', level: 5 });
    const a = ycc(img);
    const b = ycc(out);
    let bad = 0;
    for (let i = 0; i < b.length; i += 3) {
      if (!(Math.abs(b[i + 1] - 128) < 1 && Math.abs(b[i + 2] - 128) < 1 && Math.abs(b[i] - a[i]) <= 1.01)) bad++;
    }
    expect(bad).toBe(0);
  });

  it("reproduces the reference's grey shift: (100, 100, 100) becomes (99, 100, 99)", () => {
    expect(Array.from(colorSaturation(constant(2, 2, 3, 100), 0).data.subarray(0, 3))).toEqual([99, 100, 99]);
  });

  it('scales the chroma deviation by the factor at every level', () => {
    const a = ycc(img);
    for (const { level, param } of PERTURBATIONS.CS.params.map((param, i) => ({ level: i + 1, param }))) {
      const b = ycc(perturb(img, { type: 'CS', level }));
      let worst = 0;
      for (let i = 0; i < b.length; i += 3) {
        for (const k of [1, 2]) worst = Math.max(worst, Math.abs(b[i + k] - 128 - param * (a[i + k] - 128)));
      }
      expect(worst, `level ${level}`).toBeLessThan(1.2);
    }
  });
});

describe('colour contrast (CC)', () => {
  const img = textured(30, 50, 4);

  it('is floor(float32(x · factor)): scales towards black, so the mean scales by the factor', () => {
    for (const [i, p] of PERTURBATIONS.CC.params.entries()) {
      const out = perturb(img, { type: 'CC', level: i + 1 });
      const expected = Uint8Array.from(img.data, (v) => Math.trunc(Math.fround(v * Math.fround(p))));
      expect(firstDiff(out.data, expected)).toBe(-1);
      const m = mean(img.data);
      expect(mean(out.data)).toBeGreaterThan(p * m - 1);
      expect(mean(out.data)).toBeLessThanOrEqual(p * m);
    }
  });

  it('rounds the product to float32 before truncating, as the reference does (180 · 0.35 → 63, not 62)', () => {
    expect(colorContrast(constant(1, 1, 1, 180), 0.35).data[0]).toBe(63);
  });
});

describe('block-wise (BW)', () => {
  it('draws min(H, W) // 256 × level blocks', () => {
    expect(blockCount(250, 250, 80)).toBe(0);
    expect(blockCount(300, 512, 16)).toBe(16);
    expect(blockCount(1080, 1920, 16)).toBe(64);
    expect(blockCount(520, 768, 48)).toBe(96);
  });

  it('places grey 8×8 blocks exactly where blockPositions says, inside [0, W-9] × [0, H-9]', () => {
    const h = 300;
    const w = 520;
    const img = constant(h, w, 3, 7);
    const level = 3;
    const positions = blockPositions(h, w, PERTURBATIONS.BW.params[level - 1], createRng(11));
    const out = perturb(img, { type: 'BW', level }, createRng(11));
    expect(positions).toHaveLength(48);
    const mask = new Uint8Array(h * w);
    for (const { y, x } of positions) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(w - 1 - BLOCK_SIZE);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(h - 1 - BLOCK_SIZE);
      for (let r = y; r < y + BLOCK_SIZE; r++) for (let c = x; c < x + BLOCK_SIZE; c++) mask[r * w + c] = 1;
    }
    let changed = 0;
    let bad = 0;
    for (let i = 0; i < h * w; i++) {
      const want = mask[i] ? BLOCK_VALUE : 7;
      if (out.data[i * 3] !== want || out.data[i * 3 + 1] !== want || out.data[i * 3 + 2] !== want) bad++;
      changed += mask[i];
    }
    expect(bad).toBe(0);
    // 48 possibly overlapping blocks of 64 pixels
    expect(changed).toBeGreaterThan(48 * 64 * 0.8);
    expect(changed).toBeLessThanOrEqual(48 * 64);
    expect(Array.from(img.data.subarray(0, 9))).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 7]); // input untouched
    expect(img.data.every((v) => v === 7)).toBe(true);
  });

  it('leaves frames with a side under 256 unchanged without drawing random numbers', () => {
    const img = textured(250, 250, 5);
    const rng = createRng(3);
    const out = perturb(img, { type: 'BW', level: 5 }, rng);
    expect(firstDiff(out.data, img.data)).toBe(-1);
    expect(out === img).toBe(false);
    expect(rng.next()).toBe(createRng(3).next());
  });

  it('works on one-channel frames', () => {
    const out = blockWise(constant(256, 256, 1, 0), 16, createRng(1));
    let grey = 0;
    for (const v of out.data) if (v === BLOCK_VALUE) grey++;
    expect(grey).toBeGreaterThan(16 * 64 * 0.8);
  });
});

describe('Gaussian noise in colour components (GNC)', () => {
  const grey = constant(200, 200, 3, 128);

  it.each([1, 2, 3, 4])('level %i: luma and chroma noise variance as the reference scales it', (level) => {
    const v = PERTURBATIONS.GNC.params[level - 1];
    const out = perturb(grey, { type: 'GNC', level }, createRng(level));
    const c = ycc(out);
    // quantisation by truncation adds about 1/12 per channel
    const expY = v * NOISE_LUMA_SCALE ** 2;
    const expC = v * NOISE_CHROMA_SCALE ** 2;
    expect(variance(c, 0, 3) / expY).toBeGreaterThan(0.93);
    expect(variance(c, 0, 3) / expY).toBeLessThan(1.07);
    for (const k of [1, 2]) {
      expect(variance(c, k, 3) / expC).toBeGreaterThan(0.93);
      expect(variance(c, k, 3) / expC).toBeLessThan(1.07);
    }
    // truncation: about half a level darker on average
    expect(Math.abs(mean(c, 0, 3) - 127.5)).toBeLessThan(0.5);
  });

  it('noise grows with the level', () => {
    const img = textured(64, 64, 6, 0);
    let last = 0;
    for (let level = 1; level <= 5; level++) {
      const out = perturb(img, { type: 'GNC', level }, createRng(9));
      let se = 0;
      for (let i = 0; i < out.data.length; i++) se += (out.data[i] - img.data[i]) ** 2;
      expect(se).toBeGreaterThan(last);
      last = se;
    }
  });
});

describe('Gaussian blur (GB) and pixelation (JPEG)', () => {
  it('keep a constant image constant', () => {
    const img = constant(50, 70, 3, 93);
    for (let level = 1; level <= 5; level++) {
      expect(perturb(img, { type: 'GB', level }).data.every((v) => v === 93)).toBe(true);
      expect(perturb(img, { type: 'pixel', level }).data.every((v) => v === 93)).toBe(true);
    }
  });

  it('pixelation by 2 averages a one-pixel checkerboard to uniform grey', () => {
    const img = createImage(32, 48, 1);
    for (let y = 0; y < 32; y++) for (let x = 0; x < 48; x++) img.data[y * 48 + x] = (x + y) % 2 ? 254 : 0;
    expect(pixelate(img, 2).data.every((v) => v === 127)).toBe(true);
  });

  it('lose more of a smooth image at higher levels (PSNR falls)', () => {
    const img = waves(96, 96);
    for (const type of ['GB', 'JPEG']) {
      let last = Infinity;
      for (let level = 1; level <= 5; level++) {
        const p = psnr(img.data, perturb(img, { type, level }).data);
        expect(p).toBeLessThan(last);
        last = p;
      }
    }
  });

  it('rejects images smaller than the pixelation factor', () => {
    expect(() => pixelate(constant(5, 40, 3, 0), 6)).toThrow(/at least 6x6, got 40x5/);
  });
});

describe('perturb', () => {
  const img = textured(256, 264, 8);

  it('is deterministic for a seed and differs between seeds', () => {
    for (const type of ['BW', 'GNC']) {
      const a = perturb(img, { type, level: 2 }, createRng(5));
      const b = perturb(img, { type, level: 2 }, createRng(5));
      const c = perturb(img, { type, level: 2 }, createRng(6));
      expect(firstDiff(a.data, b.data)).toBe(-1);
      expect(firstDiff(a.data, c.data)).not.toBe(-1);
    }
  });

  it('returns a new image, never modifying the input, for every type and level', () => {
    const copy = cloneImage(img);
    for (const type of ['CS', 'CC', 'BW', 'GNC', 'GB', 'JPEG']) {
      for (let level = 1; level <= 5; level++) {
        const out = perturb(img, { type, level }, createRng(level));
        expect(out.shape).toEqual([256, 264, 3]);
        expect(out.data).toBeInstanceOf(Uint8Array);
        expect(out.data === img.data).toBe(false);
        expect(firstDiff(out.data, img.data), `${type} ${level}`).not.toBe(-1);
      }
    }
    expect(firstDiff(img.data, copy.data)).toBe(-1);
  });

  it('accepts non-contiguous views', () => {
    const view = img.hi(100, 120, 3).lo(10, 20, 0);
    const dense = cloneImage(view);
    for (const type of ['CS', 'CC', 'GB', 'JPEG']) expect(firstDiff(perturb(view, { type, level: 3 }).data, perturb(dense, { type, level: 3 }).data)).toBe(-1);
  });

  it('gives clear errors', () => {
    expect(() => perturb(img, { type: 'sharpen', level: 1 })).toThrow(/unknown perturbation type "sharpen"/);
    expect(() => perturb(img, { type: 'CS', level: 0 })).toThrow(/CS level must be an integer in 1\.\.5, got 0/);
    expect(() => perturb(img, { type: 'GB', level: 6 })).toThrow(PerturbArgumentError);
    expect(() => perturb(img, { type: 'BW', level: 1 })).toThrow(/BW .* is random: pass an rng/);
    expect(() => perturb(img, { type: 'GNC', level: 1 })).toThrow(/pass an rng/);
    expect(() => perturb(img, { type: 'VC', level: 1 })).toThrow(/acts on a whole video: use compressFrames/);
    expect(() => perturb(convertImage(img, 'float32'), { type: 'CC', level: 1 })).toThrow(/needs a uint8 image/);
    expect(() => perturb(constant(8, 8, 1, 0), { type: 'CS', level: 1 })).toThrow(/needs an RGB image \(3 channels\), got 1/);
    expect(() => perturb(img, null as unknown as { type: string; level: number })).toThrow(/needs a \{ type, level \} spec/);
    expect(() => colorContrast(img, 1.5)).toThrow(/contrast factor must be in \[0, 1\]/);
    expect(() => blockWise(img, -1, createRng(0))).toThrow(/non-negative integer/);
  });
});

describe('perturbFrames (frame-wise types)', () => {
  it('runs the one rng on from frame to frame', async () => {
    const frame = textured(256, 256, 10);
    const frames = [frame, frame, frame];
    const out = await perturbFrames(frames, { type: 'GNC', level: 1 }, createRng(4));
    expect(out).toHaveLength(3);
    expect(firstDiff(out[0].data, out[1].data)).not.toBe(-1);
    const rng = createRng(4);
    const manual = frames.map((f) => perturb(f, { type: 'GNC', level: 1 }, rng));
    out.forEach((o, i) => expect(firstDiff(o.data, manual[i].data)).toBe(-1));
    const blocks = await perturbFrames(frames, { type: 'block', level: 1 }, createRng(4));
    expect(firstDiff(blocks[0].data, blocks[1].data)).not.toBe(-1);
    expect((await perturbFrames(frames, { type: 'CC', level: 2 })).map((f) => f.data[0])).toEqual(frames.map((f) => Math.trunc(Math.fround(f.data[0] * Math.fround(0.725)))));
  });
});
