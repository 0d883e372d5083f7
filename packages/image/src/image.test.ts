import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import {
  assertSameSize,
  cloneImage,
  contiguous,
  convertImage,
  createImage,
  fromRGBA,
  getPixel,
  imageSize,
  isContiguous,
  saturateU8,
  setPixel,
  toRGBA,
  wrapImage,
} from './image.js';
import { ImageArgumentError, ImageChannelError, ImageShapeError } from './errors.js';

describe('image construction and access', () => {
  it('createImage allocates zeroed HWC arrays of the requested dtype', () => {
    const a = createImage(2, 3, 3);
    expect(a.shape).toEqual([2, 3, 3]);
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(a.data.length).toBe(18);
    expect(createImage(4, 5, 1, 'float32').data).toBeInstanceOf(Float32Array);
    expect(createImage(4, 5, 1, 'float64').data).toBeInstanceOf(Float64Array);
    expect(isContiguous(a)).toBe(true);
  });

  it('rejects bad sizes and dtypes with the argument named', () => {
    expect(() => createImage(0, 3, 3)).toThrow(/height must be a positive integer, got 0/);
    expect(() => createImage(2, 2.5, 3)).toThrow(/width/);
    expect(() => createImage(2, 2, 3, 'int16' as never)).toThrow(/unsupported dtype "int16"/);
    expect(() => wrapImage(new Uint8Array(5), 2, 2, 1)).toThrow(ImageShapeError);
  });

  it('fromRGBA drops or keeps alpha, and toRGBA inverts it', () => {
    const rgba = Uint8Array.of(1, 2, 3, 255, 4, 5, 6, 128);
    const rgb = fromRGBA(rgba, 2, 1);
    expect(rgb.shape).toEqual([1, 2, 3]);
    expect(Array.from(rgb.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(toRGBA(rgb))).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
    const withAlpha = fromRGBA(rgba, 2, 1, true);
    expect(Array.from(toRGBA(withAlpha))).toEqual(Array.from(rgba));
    expect(() => fromRGBA(rgba, 3, 1)).toThrow(/8 bytes, expected 3x1x4 = 12/);
  });

  it('toRGBA expands grey, rounds floats and rejects 2 channels', () => {
    const g = wrapImage(Float64Array.of(10.5, 300), 1, 2, 1);
    expect(Array.from(toRGBA(g))).toEqual([10, 10, 10, 255, 255, 255, 255, 255]);
    expect(() => toRGBA(createImage(1, 1, 2))).toThrow(ImageChannelError);
  });

  it('contiguous copies strided views and returns dense images unchanged', () => {
    const a = createImage(4, 4, 3, 'float64');
    for (let i = 0; i < a.data.length; i++) a.data[i] = i;
    expect(contiguous(a)).toBe(a);
    const v = a.lo(1, 2, 0).hi(2, 2, 3);
    const d = contiguous(v);
    expect(d).not.toBe(v);
    expect(d.shape).toEqual([2, 2, 3]);
    expect(d.get(1, 1, 2)).toBe(a.get(2, 3, 2));
    const flipped = a.step(1, -1, 1); // horizontally mirrored view
    expect(contiguous(flipped).get(0, 0, 0)).toBe(a.get(0, 3, 0));
  });

  it('cloneImage is independent of its source', () => {
    const a = createImage(2, 2, 1);
    const b = cloneImage(a);
    b.data[0] = 9;
    expect(a.data[0]).toBe(0);
  });

  it('saturateU8 rounds half to even and clamps like OpenCV', () => {
    expect([2.5, 3.5, 0.5, 1.4999, 254.5, -3, 255.7, NaN].map(saturateU8)).toEqual([2, 4, 0, 1, 254, 0, 255, 0]);
    const f = wrapImage(Float32Array.of(-1, 0.5, 1.5, 127.49, 400), 1, 5, 1);
    expect(Array.from(convertImage(f, 'uint8').data)).toEqual([0, 0, 2, 127, 255]);
    expect(Array.from(convertImage(wrapImage(Uint8Array.of(7, 200), 1, 2, 1), 'float32').data)).toEqual([7, 200]);
  });

  it('getPixel / setPixel check bounds', () => {
    const a = createImage(2, 3, 3);
    setPixel(a, 1, 2, 1, 77);
    expect(getPixel(a, 1, 2, 1)).toBe(77);
    expect(() => getPixel(a, 2, 0, 0)).toThrow(ImageArgumentError);
    expect(() => setPixel(a, 0, 0, 3, 1)).toThrow(/outside 2x3x3/);
  });

  it('imageSize and assertSameSize explain mismatches', () => {
    expect(imageSize(createImage(5, 6, 1))).toEqual({ height: 5, width: 6, channels: 1 });
    expect(() => imageSize(ndarray(new Uint8Array(4), [2, 2]) as never)).toThrow(/expected an HWC image/);
    expect(() => assertSameSize(createImage(2, 2, 3), createImage(2, 3, 3), ['fake', 'source'])).toThrow(
      'fake is 2x2x3 but source is 2x3x3',
    );
  });
});
