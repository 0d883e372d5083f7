// The deterministic perturbations against OpenCV + numpy outputs recorded by
// scripts/make-fixtures.py (DeeperForensics' recipe run with OpenCV 4.6 / numpy 1.24).
import { readFileSync } from 'node:fs';
import { createRng, gaussianBlur, resize, wrapImage } from '@caddm/image';
import { describe, expect, it } from 'vitest';
import { firstDiff } from './__fixtures__/test-util.js';
import { blurPerturbation, colorContrast, colorSaturation, gaussianNoiseColor, pixelate } from './index.js';

interface Fixture {
  height: number;
  width: number;
  params: Record<'CS' | 'CC' | 'GB' | 'JPEG', number[]>;
  image: number[];
  outputs: Record<'CS' | 'CC' | 'GB' | 'JPEG', number[][]> & { GNC0: number[] };
}
const fx = JSON.parse(readFileSync(new URL('./__fixtures__/opencv-distortions.json', import.meta.url), 'utf8')) as Fixture;
const img = wrapImage(Uint8Array.from(fx.image), fx.height, fx.width, 3);

function diff(got: Uint8Array, exp: number[]): { max: number; count: number } {
  expect(got.length).toBe(exp.length);
  let max = 0;
  let count = 0;
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i] - exp[i]);
    if (d) count++;
    if (d > max) max = d;
  }
  return { max, count };
}

describe('against OpenCV/numpy (DeeperForensics recipe)', () => {
  it.each(fx.params.CS.map((p, i) => [p, i]))('saturation %f is bit-exact', (p, i) => {
    expect(diff(colorSaturation(img, p).data, fx.outputs.CS[i])).toEqual({ max: 0, count: 0 });
  });

  it.each(fx.params.CC.map((p, i) => [p, i]))('contrast %f is bit-exact', (p, i) => {
    expect(diff(colorContrast(img, p).data, fx.outputs.CC[i])).toEqual({ max: 0, count: 0 });
  });

  it("noise's colour round trip (variance 0) is bit-exact, including the truncation losses", () => {
    const out = gaussianNoiseColor(img, 0, createRng(0)).data;
    expect(diff(out, fx.outputs.GNC0)).toEqual({ max: 0, count: 0 });
    // the reference's round trip is lossy: about half the samples drop by one level
    const lost = diff(img.data, fx.outputs.GNC0);
    expect(lost.max).toBe(1);
    expect(lost.count).toBeGreaterThan(img.data.length / 4);
  });

  // @caddm/image filters in float64 and rounds; OpenCV's uint8 paths are fixed-point.
  it.each(fx.params.GB.map((k, i) => [k, i]))('blur %i is within one level of cv2.GaussianBlur', (k, i) => {
    const out = blurPerturbation(img, k);
    const d = diff(out.data, fx.outputs.GB[i]);
    expect(d.max).toBeLessThanOrEqual(1);
    expect(d.count).toBeLessThan(out.data.length * 0.15);
  });

  it.each(fx.params.JPEG.map((f, i) => [f, i]))('pixelation %i is within one level of two cv2.resize calls', (f, i) => {
    const out = pixelate(img, f);
    const d = diff(out.data, fx.outputs.JPEG[i]);
    expect(d.max).toBeLessThanOrEqual(1);
    expect(d.count).toBeLessThan(out.data.length * 0.3);
  });

  it("blur and pixelation are exactly @caddm/image's Gaussian blur and bilinear resizes", () => {
    for (const k of fx.params.GB) expect(firstDiff(blurPerturbation(img, k).data, gaussianBlur(img, k, k / 6).data)).toBe(-1);
    for (const f of fx.params.JPEG) {
      const small = resize(img, Math.floor(fx.width / f), Math.floor(fx.height / f));
      expect(firstDiff(pixelate(img, f).data, resize(small, fx.width, fx.height).data)).toBe(-1);
    }
  });
});
