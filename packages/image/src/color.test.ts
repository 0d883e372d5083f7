import { describe, expect, it } from 'vitest';
import { createImage, wrapImage } from './image.js';
import { hsvToRgb, rgbToGray, rgbToHsv, rgbToYCbCr, yCbCrToRgb } from './color.js';
import { createRng } from './rng.js';
import { ImageChannelError } from './errors.js';

function randomU8(n: number, seed: number) {
  const img = createImage(n, 1, 3);
  const r = createRng(seed);
  for (let i = 0; i < img.data.length; i++) img.data[i] = r.int(0, 256);
  return img;
}

describe('colour conversions', () => {
  it('uint8 RGB -> HSV -> RGB stays within the quantisation error', () => {
    const rgb = randomU8(2000, 1);
    const back = hsvToRgb(rgbToHsv(rgb));
    let worst = 0;
    for (let i = 0; i < rgb.data.length; i++) worst = Math.max(worst, Math.abs(back.data[i] - rgb.data[i]));
    expect(worst).toBeLessThanOrEqual(8); // hue has 180 levels for 1530 RGB hues
  });

  it('float RGB -> HSV -> RGB is exact to rounding, and pure colours have the expected hue', () => {
    const rgb = wrapImage(Float64Array.of(255, 0, 0, 0, 255, 0, 0, 0, 255, 128, 64, 32, 50, 50, 50), 5, 1, 3);
    const hsv = rgbToHsv(rgb);
    expect([hsv.data[0], hsv.data[3], hsv.data[6]]).toEqual([0, 60, 120]);
    expect([hsv.data[13], hsv.data[14]]).toEqual([0, 50]); // grey: no saturation
    const back = hsvToRgb(hsv);
    for (let i = 0; i < rgb.data.length; i++) expect(back.data[i]).toBeCloseTo(rgb.data[i], 9);
  });

  it('YCbCr: round trip, both channel orders, grey is chroma-neutral', () => {
    const rgb = randomU8(2000, 2);
    const ycc = rgbToYCbCr(rgb);
    const ycr = rgbToYCbCr(rgb, 'ycrcb');
    for (let i = 0; i < 2000; i++) {
      expect(ycc.data[3 * i + 1]).toBe(ycr.data[3 * i + 2]);
      expect(ycc.data[3 * i + 2]).toBe(ycr.data[3 * i + 1]);
    }
    const back = yCbCrToRgb(ycc);
    let worst = 0;
    for (let i = 0; i < rgb.data.length; i++) worst = Math.max(worst, Math.abs(back.data[i] - rgb.data[i]));
    expect(worst).toBeLessThanOrEqual(3);
    const grey = wrapImage(Uint8Array.of(90, 90, 90), 1, 1, 3);
    expect(Array.from(rgbToYCbCr(grey).data)).toEqual([90, 128, 128]);
    const f = wrapImage(Float64Array.of(10, 200, 30), 1, 1, 3);
    const fb = yCbCrToRgb(rgbToYCbCr(f)).data;
    // OpenCV's rounded coefficients are not exact inverses: float round trips agree to ~0.1
    for (let k = 0; k < 3; k++) expect(Math.abs(fb[k] - f.data[k])).toBeLessThan(0.2);
  });

  it('grey conversion weights 0.299 / 0.587 / 0.114', () => {
    const rgb = wrapImage(Uint8Array.of(255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255), 4, 1, 3);
    expect(Array.from(rgbToGray(rgb).data)).toEqual([76, 150, 29, 255]);
    expect(rgbToGray(rgb).shape).toEqual([4, 1, 1]);
  });

  it('rejects images without 3 channels', () => {
    const g = createImage(2, 2, 1);
    for (const f of [rgbToGray, rgbToHsv, hsvToRgb, rgbToYCbCr, yCbCrToRgb]) expect(() => f(g)).toThrow(ImageChannelError);
    expect(() => rgbToYCbCr(createImage(1, 1, 3), 'yuv' as never)).toThrow(/chroma order/);
  });
});
