import { createImage, createRng, filter2D, hsvToRgb, resize, rgbToHsv, wrapImage, type ImageU8 } from '@caddm/image';
import { describe, expect, it } from 'vitest';
import {
  applyAugment,
  augmentPair,
  SbiArgumentError,
  applyColorJitter,
  downUpScale,
  sampleColorJitter,
  sampleQuality,
  SBI_DEFAULTS,
  SbiImageError,
  sharpen,
  sourceTargetAugment,
  type ColorJitterParams,
} from './index.js';
import { firstMismatch, same } from './__fixtures__/arrays.js';

/** A random RGB image with every grey level and some saturated colours mixed in. */
function testImage(h = 48, w = 64, seed = 3): ImageU8 {
  const rng = createRng(seed);
  const img = createImage(h, w, 3);
  for (let i = 0; i < img.data.length; i++) img.data[i] = rng.int(0, 256);
  for (let i = 0; i < 256 && 3 * i + 2 < img.data.length; i++) img.data.fill(i, 3 * i, 3 * i + 3);
  return img;
}

const none: ColorJitterParams = { rgbShift: null, hsvShift: null, brightnessContrast: null };

describe('colour jitter (albumentations uint8 arithmetic)', () => {
  it('the HSV step with identity look-up tables is exactly the OpenCV uint8 RGB->HSV->RGB round trip', () => {
    const img = testImage();
    const out = new Uint8Array(img.data.length);
    // positive shifts below 1 truncate away: only the conversion round trip remains
    applyColorJitter(img.data, out, { ...none, hsvShift: [0.2, 0.1, 0.25] });
    const expected = hsvToRgb(rgbToHsv(img)).data;
    expect(firstMismatch(out, expected)).toBeNull();
    expect(same(out, img.data)).toBe(false); // the round trip is lossy
  });

  it('negative HSV shifts lower hue (mod 180), saturation and value by one level after truncation', () => {
    const img = testImage(32, 40, 9);
    const out = new Uint8Array(img.data.length);
    const shift: [number, number, number] = [-0.25, -0.1, -0.3];
    applyColorJitter(img.data, out, { ...none, hsvShift: shift });
    const hsv = rgbToHsv(img);
    for (let j = 0; j < hsv.data.length; j += 3) {
      hsv.data[j] = Math.trunc((((hsv.data[j] + shift[0]) % 180) + 180) % 180);
      hsv.data[j + 1] = Math.trunc(Math.max(0, hsv.data[j + 1] + shift[1]));
      hsv.data[j + 2] = Math.trunc(Math.max(0, hsv.data[j + 2] + shift[2]));
    }
    expect(firstMismatch(out, hsvToRgb(hsv).data)).toBeNull();
  });

  it('RGB shift and brightness/contrast are float32 look-up tables, clipped and truncated', () => {
    const src = Uint8Array.of(0, 100, 250, 255, 3, 128);
    const out = new Uint8Array(6);
    applyColorJitter(src, out, { ...none, rgbShift: [10.7, -3.2, 6] });
    expect(Array.from(out)).toEqual([10, 96, 255, 255, 0, 134]);
    applyColorJitter(src, out, { ...none, brightnessContrast: [1.1, 0.05] });
    // trunc(clip(float32(v * 1.1) + 12.75))
    expect(Array.from(out)).toEqual([12, 122, 255, 255, 16, 153]);
  });

  it('applies RGB shift, then HSV, then brightness/contrast', () => {
    const img = testImage(16, 16, 5);
    const p: ColorJitterParams = { rgbShift: [12.5, -7.1, 3.3], hsvShift: [-0.2, 0.2, -0.1], brightnessContrast: [0.93, -0.04] };
    const fused = new Uint8Array(img.data.length);
    applyColorJitter(img.data, fused, p);
    const a = new Uint8Array(img.data.length);
    const b = new Uint8Array(img.data.length);
    const c = new Uint8Array(img.data.length);
    applyColorJitter(img.data, a, { ...none, rgbShift: p.rgbShift });
    applyColorJitter(a, b, { ...none, hsvShift: p.hsvShift });
    applyColorJitter(b, c, { ...none, brightnessContrast: p.brightnessContrast });
    expect(firstMismatch(fused, c)).toBeNull();
  });

  it('draws each step with its probability', () => {
    const rng = createRng(11);
    let rgb = 0;
    let hsv = 0;
    let bc = 0;
    let maxShift = 0;
    let maxBc = 0;
    for (let i = 0; i < 2000; i++) {
      const p = sampleColorJitter(rng, SBI_DEFAULTS.color);
      if (p.rgbShift) {
        rgb++;
        maxShift = Math.max(maxShift, ...p.rgbShift.map(Math.abs));
      }
      if (p.hsvShift) hsv++;
      if (p.brightnessContrast) {
        bc++;
        maxBc = Math.max(maxBc, Math.abs(p.brightnessContrast[0] - 1), Math.abs(p.brightnessContrast[1]));
      }
    }
    expect(maxShift).toBeLessThanOrEqual(20);
    expect(maxShift).toBeGreaterThan(19);
    expect(maxBc).toBeLessThanOrEqual(0.1);
    expect(maxBc).toBeGreaterThan(0.099);
    expect(rgb / 2000).toBeCloseTo(0.3, 1);
    expect(hsv).toBe(2000);
    expect(bc).toBe(2000);
  });
});

describe('quality step', () => {
  it('sharpen matches filter2D with albumentations` kernel (reflect-101), within one level at rounding ties', () => {
    const img = testImage(30, 37, 2);
    const [a, l] = [0.37, 0.8];
    const out = new Uint8Array(img.data.length);
    sharpen(img.data, out, 30, 37, 3, a, l);
    const k = [-a, -a, -a, -a, 1 - a + a * (8 + l), -a, -a, -a, -a];
    const ref = filter2D(img, k, 3, 3).data;
    let equal = 0;
    let maxDiff = 0;
    for (let i = 0; i < out.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(out[i] - ref[i]));
      if (out[i] === ref[i]) equal++;
    }
    expect(maxDiff).toBeLessThanOrEqual(1);
    expect(equal / out.length).toBeGreaterThan(0.999);
  });

  it('the down-up scaling is nearest down, bilinear up (OpenCV pixel mapping)', () => {
    for (const [h, w, r] of [
      [48, 64, 2],
      [50, 37, 4],
    ]) {
      const img = testImage(h, w, r);
      const out = new Uint8Array(img.data.length);
      downUpScale(img.data, out, h, w, 3, r);
      const small = resize(img, Math.trunc(w / r), Math.trunc(h / r), { interpolation: 'nearest' });
      const ref = resize(small, w, h).data;
      let equal = 0;
      let maxDiff = 0;
      for (let i = 0; i < out.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(out[i] - ref[i]));
        if (out[i] === ref[i]) equal++;
      }
      expect(maxDiff).toBeLessThanOrEqual(1);
      expect(equal / out.length).toBeGreaterThan(0.99);
      // blocks of r x r share one source pixel before the upscale
      expect(same(out, img.data)).toBe(false);
    }
  });

  it('is one of the two with equal probability (albumentations OneOf), or none with prob 0', () => {
    const rng = createRng(4);
    const kinds = { downscale: 0, sharpen: 0, none: 0 };
    const ratios = new Set<number>();
    let outOfRange = 0;
    for (let i = 0; i < 2000; i++) {
      const q = sampleQuality(rng, SBI_DEFAULTS.quality);
      if (!q) kinds.none++;
      else if (q.kind === 'downscale') {
        kinds.downscale++;
        ratios.add(q.ratio);
      } else {
        kinds.sharpen++;
        if (!(q.alpha >= 0.2 && q.alpha <= 0.5 && q.lightness >= 0.5 && q.lightness <= 1)) outOfRange++;
      }
    }
    expect(kinds.none).toBe(0);
    expect([...ratios].sort()).toEqual([2, 4]);
    expect(outOfRange).toBe(0);
    expect(kinds.downscale / 2000).toBeCloseTo(0.5, 1);
    expect(sampleQuality(rng, { ...SBI_DEFAULTS.quality, prob: 0 })).toBeNull();
  });
});

describe('sourceTargetAugment', () => {
  it('is deterministic for a seed and equals applyAugment of the drawn parameters', () => {
    const img = testImage();
    const a = sourceTargetAugment(img, createRng(8), SBI_DEFAULTS.color, SBI_DEFAULTS.quality);
    const b = sourceTargetAugment(img, createRng(8), SBI_DEFAULTS.color, SBI_DEFAULTS.quality);
    expect(firstMismatch(a.image.data, b.image.data)).toBeNull();
    expect(a.params).toEqual(b.params);
    expect(firstMismatch(applyAugment(img.data, 48, 64, a.params), a.image.data)).toBeNull();
    expect(same(a.image.data, img.data)).toBe(false);
  });

  it('rejects non-RGB and non-uint8 images', () => {
    const rng = createRng(1);
    expect(() => sourceTargetAugment(createImage(8, 8, 1), rng, SBI_DEFAULTS.color, SBI_DEFAULTS.quality)).toThrow(SbiImageError);
    const f = wrapImage(new Float32Array(8 * 8 * 3), 8, 8, 3) as unknown as ImageU8;
    expect(() => sourceTargetAugment(f, rng, SBI_DEFAULTS.color, SBI_DEFAULTS.quality)).toThrow(SbiImageError);
  });
});

describe('augmentPair (SBI get_transforms)', () => {
  it('applies the same draws to real and fake, so equal pixels stay equal', async () => {
    const real = testImage(40, 48, 12);
    const fake = createImage(40, 48, 3);
    fake.data.set(real.data);
    for (let i = 0; i < 600; i++) fake.data[i] = 255 - fake.data[i]; // the "blended" rows
    let jpeg = 0;
    let colour = 0;
    for (let seed = 0; seed < 12; seed++) {
      const r = await augmentPair(real, fake, createRng(seed));
      if (r.params.jpegQuality != null) {
        jpeg++;
        expect(r.params.jpegQuality >= 40 && r.params.jpegQuality <= 100).toBe(true);
        continue; // JPEG blocks mix the changed rows into their neighbours
      }
      const c = r.params.color;
      if (c.rgbShift || c.hsvShift || c.brightnessContrast) colour++;
      expect(firstMismatch(r.real.data.subarray(600), r.fake.data.subarray(600))).toBeNull();
      const expected = new Uint8Array(real.data.length);
      applyColorJitter(real.data, expected, c);
      expect(firstMismatch(r.real.data, expected)).toBeNull();
    }
    expect(jpeg).toBeGreaterThan(0);
    expect(colour).toBeGreaterThan(0);
    await expect(augmentPair(real, createImage(40, 47, 3), createRng(1))).rejects.toThrow(SbiImageError);
    await expect(augmentPair(real, fake, createRng(1), { jpegQuality: [0, 50] })).rejects.toThrow(SbiArgumentError);
  });
});
