/**
 * @caddm/image against OpenCV: outputs recorded by scripts/make-opencv-fixtures.py
 * (OpenCV 4.6, python3-opencv) for small inputs. Exact where OpenCV's arithmetic is
 * reproduced; otherwise the tolerance says why.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wrapImage, createImage, type Image } from './image.js';
import { filter2D, gaussianBlur, getGaussianKernel } from './filter.js';
import { resize, type ResizeInterpolation } from './resize.js';
import { warpAffine, warpPerspective, warpPerspectivePair } from './warp.js';
import { invert3x3, invertAffine } from './matrix.js';
import { hsvToRgb, rgbToGray, rgbToHsv, rgbToYCbCr, yCbCrToRgb } from './color.js';
import { convexHull, fillPolygon } from './polygon.js';
import { drawLine, drawRect } from './draw.js';
import type { BorderMode } from './border.js';

interface Arr {
  shape: [number, number, number];
  data: number[];
}
const fx = JSON.parse(readFileSync(new URL('./__fixtures__/opencv.json', import.meta.url), 'utf8'));
const img8 = wrapImage(Uint8Array.from((fx.img8 as Arr).data), ...(fx.img8 as Arr).shape);
const imgf = wrapImage(Float64Array.from((fx.imgf as Arr).data), ...(fx.imgf as Arr).shape);
const smooth = wrapImage(Float64Array.from((fx.smooth as Arr).data), ...(fx.smooth as Arr).shape);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function pixels(data: number[]): Image<Uint8Array> {
  return wrapImage(Uint8Array.from(data), data.length / 3, 1, 3);
}

function filledIndices(img: Image): number[] {
  const out: number[] = [];
  for (let i = 0; i < img.data.length; i++) if (img.data[i]) out.push(i);
  return out;
}

describe('filters vs OpenCV', () => {
  it.each(fx.gaussian_kernel as Array<{ ksize: number; sigma: number; k: number[] }>)(
    'getGaussianKernel($ksize, $sigma)',
    ({ ksize, sigma, k }) => {
      expect(maxAbsDiff(getGaussianKernel(ksize, sigma), k)).toBeLessThan(1e-9);
    },
  );

  it.each(fx.gaussian_blur_f64 as Array<{ ksize: [number, number]; sigmaX: number; sigmaY: number; out: number[] }>)(
    'GaussianBlur float64 ksize $ksize sigma $sigmaX/$sigmaY (reflect-101)',
    ({ ksize, sigmaX, sigmaY, out }) => {
      expect(maxAbsDiff(gaussianBlur(imgf, ksize, sigmaX, sigmaY).data, out)).toBeLessThan(1e-6);
    },
  );

  it('GaussianBlur uint8 5x5 sigma 3 (the reference mask blur) within one level', () => {
    // OpenCV blurs 8-bit images with 8-bit fixed-point coefficients; we use float64
    const ours = gaussianBlur(img8, 5, 3);
    expect(ours.data).toBeInstanceOf(Uint8Array);
    expect(maxAbsDiff(ours.data, fx.gaussian_blur_u8_5x5_s3)).toBeLessThanOrEqual(1);
  });

  it.each(['reflect101', 'constant', 'replicate', 'reflect'] as BorderMode[])('filter2D with border %s', (border) => {
    const f = fx.filter2d;
    const ours = filter2D(imgf, f.kernel, f.kw, f.kh, { border });
    expect(maxAbsDiff(ours.data, f[border])).toBeLessThan(1e-8);
  });
});

describe('resize vs OpenCV', () => {
  it.each(fx.resize as Array<{ w: number; h: number; interpolation: ResizeInterpolation; f64: number[]; u8: number[] }>)(
    '$interpolation to $w x $h',
    ({ w, h, interpolation, f64, u8 }) => {
      expect(maxAbsDiff(resize(imgf, w, h, { interpolation }).data, f64)).toBeLessThan(1e-4); // OpenCV keeps float32 weights
      // 8-bit: OpenCV's fixed-point weights may round one level differently
      expect(maxAbsDiff(resize(img8, w, h, { interpolation }).data, u8)).toBeLessThanOrEqual(1);
    },
  );
});

describe('warps vs OpenCV', () => {
  it.each(fx.warp_affine.filter((c: { exact: boolean }) => c.exact) as Array<{ M: number[]; w: number; h: number; out: number[] }>)(
    'warpAffine by $M (coordinates on OpenCV\'s 1/32-pixel grid: exact)',
    ({ M, w, h, out }) => {
      expect(maxAbsDiff(warpAffine(imgf, M, w, h).data, out)).toBeLessThan(1e-4);
    },
  );

  /**
   * OpenCV quantises source coordinates to 1/32 px: inside the image (smooth content) that moves
   * values by < 0.3; where bilinear taps straddle the constant border (a jump of up to 200)
   * by up to 200/32.
   */
  function compareWarp(ours: ArrayLike<number>, cv: number[], inverse: (x: number, y: number) => [number, number], w: number): void {
    const [H, W] = [smooth.shape[0], smooth.shape[1]];
    let interior = 0;
    let all = 0;
    for (let i = 0; i < cv.length; i++) {
      const p = Math.floor(i / 3);
      const [sx, sy] = inverse(p % w, Math.floor(p / w));
      const inside = sx >= 0 && sy >= 0 && Math.floor(sx) + 1 < W && Math.floor(sy) + 1 < H;
      const d = Math.abs(ours[i] - cv[i]);
      all = Math.max(all, d);
      if (inside) interior = Math.max(interior, d);
    }
    expect(interior).toBeLessThan(0.3);
    expect(all).toBeLessThan(200 / 32);
  }

  it('warpAffine by a rotation+scale', () => {
    const c = fx.warp_affine.find((x: { exact: boolean }) => !x.exact);
    const m = invertAffine(c.M);
    const inv = (x: number, y: number): [number, number] => [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
    compareWarp(warpAffine(smooth, c.M, c.w, c.h).data, c.out, inv, c.w);
    // with a replicated border the content is smooth everywhere
    expect(maxAbsDiff(warpAffine(smooth, c.M, c.w, c.h, { border: 'replicate' }).data, c.replicate)).toBeLessThan(0.3);
  });

  it('warpPerspective', () => {
    const c = fx.warp_perspective;
    const m = invert3x3(c.H);
    const inv = (x: number, y: number): [number, number] => {
      const z = m[6] * x + m[7] * y + m[8];
      return [(m[0] * x + m[1] * y + m[2]) / z, (m[3] * x + m[4] * y + m[5]) / z];
    };
    compareWarp(warpPerspective(smooth, c.H, c.w, c.h).data, c.out, inv, c.w);
  });
});

describe('uint8 warpPerspective vs OpenCV (fixed point: exact)', () => {
  const u = fx.warp_perspective_u8;
  const rgb = wrapImage(Uint8Array.from(u.rgb.data as number[]), ...(u.rgb.shape as [number, number, number]));
  const gray = wrapImage(Uint8Array.from(u.gray.data as number[]), ...(u.gray.shape as [number, number, number]));
  it.each(u.cases as Array<{ H: number[]; w: number; h: number; rgb: number[]; gray: number[]; border: number[] }>)(
    'H = $H into $w x $h: RGB (SIMD kernel), pair, gray and a border value (scalar path)',
    ({ H, w, h, rgb: want, gray: wantGray, border }) => {
      expect(Array.from(warpPerspective(rgb, H, w, h).data)).toEqual(want);
      const [a, b] = warpPerspectivePair(rgb, rgb, H, w, h);
      expect(Array.from(a.data)).toEqual(want);
      expect(Array.from(b.data)).toEqual(want);
      expect(Array.from(warpPerspective(gray, H, w, h).data)).toEqual(wantGray);
      expect(Array.from(warpPerspective(rgb, H, w, h, { borderValue: [10, 200, 77] }).data)).toEqual(border);
    },
  );
});

describe('colour conversions vs OpenCV (uint8 exact)', () => {
  const c = fx.color;
  it('RGB2HSV', () => expect(Array.from(rgbToHsv(pixels(c.rgb)).data)).toEqual(c.rgb2hsv));
  it('HSV2RGB', () => expect(Array.from(hsvToRgb(pixels(c.hsv_in)).data)).toEqual(c.hsv2rgb));
  it('RGB2YCrCb (ycrcb order)', () => expect(Array.from(rgbToYCbCr(pixels(c.rgb), 'ycrcb').data)).toEqual(c.rgb2ycrcb));
  it('YCrCb2RGB (ycrcb order)', () => expect(Array.from(yCbCrToRgb(pixels(c.ycrcb_in), 'ycrcb').data)).toEqual(c.ycrcb2rgb));
  it('RGB2GRAY', () => expect(Array.from(rgbToGray(pixels(c.rgb)).data)).toEqual(c.rgb2gray));
  it('float RGB2HSV on the 0..255 scale equals OpenCV float HSV rescaled (H/2, S·255, V·255)', () => {
    const rgb = wrapImage(Float64Array.from(c.rgbf, (v: number) => v * 255), c.rgbf.length / 3, 1, 3);
    const ours = rgbToHsv(rgb).data;
    const cv = c.rgbf2hsv as number[];
    for (let i = 0; i < cv.length; i += 3) {
      expect(ours[i]).toBeCloseTo(cv[i] / 2, 3);
      expect(ours[i + 1]).toBeCloseTo(cv[i + 1] * 255, 3);
      expect(ours[i + 2]).toBeCloseTo(cv[i + 2] * 255, 3);
    }
  });
});

describe('rasterisation vs OpenCV (exact)', () => {
  it.each((fx.fill_poly as Array<{ pts: number[][]; filled: number[] }>).map((p, i) => ({ ...p, i })))(
    'fillPoly polygon $i',
    ({ pts, filled }) => {
      expect(filledIndices(fillPolygon(createImage(64, 64, 1), pts))).toEqual(filled);
    },
  );

  it('fillPoly with two overlapping polygons (even-odd)', () => {
    const { polys, filled } = fx.fill_poly_multi;
    expect(filledIndices(fillPolygon(createImage(64, 64, 1), polys))).toEqual(filled);
  });

  it.each(fx.lines as Array<{ p0: number[]; p1: number[]; drawn: number[] }>)('line $p0 -> $p1', ({ p0, p1, drawn }) => {
    expect(filledIndices(drawLine(createImage(64, 64, 1), p0[0], p0[1], p1[0], p1[1], 255))).toEqual(drawn);
  });

  it.each(fx.rectangles as Array<{ thickness: number; rect: number[]; drawn: number[] }>)(
    'rectangle $rect thickness $thickness',
    ({ thickness, rect, drawn }) => {
      const [x0, y0, x1, y1] = rect;
      expect(filledIndices(drawRect(createImage(40, 50, 1), { x0, y0, x1, y1 }, 255, thickness))).toEqual(drawn);
    },
  );

  it.each(fx.convex_hull as Array<{ pts: number[][]; hull: number[][] }>)('convexHull has OpenCV\'s vertices', ({ pts, hull }) => {
    const key = (p: ArrayLike<number>) => `${p[0]},${p[1]}`;
    expect(convexHull(pts).map(key).sort()).toEqual(hull.map(key).sort());
  });
});
