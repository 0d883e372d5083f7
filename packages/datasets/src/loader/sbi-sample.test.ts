import { describe, expect, it } from 'vitest';
import { templateLandmarks } from '@caddm/face';
import { createImage, createRng, type ImageU8 } from '@caddm/image';
import { DatasetError } from '../errors.js';
import { sbiFake, sbiReal } from './sbi-sample.js';

/** A 68-point face-like layout in a `size` canvas: an ellipse of 68 points around the centre. */
function ellipseLandmarks(size: number, rx: number, ry: number): Float32Array {
  const out = new Float32Array(136);
  for (let i = 0; i < 68; i++) {
    const t = (2 * Math.PI * i) / 68;
    out[2 * i] = size / 2 + rx * Math.cos(t);
    out[2 * i + 1] = size / 2 + ry * Math.sin(t);
  }
  return out;
}

function bbox(lm: ArrayLike<number>): [number, number, number, number] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < lm.length; i += 2) {
    x0 = Math.min(x0, lm[i]);
    x1 = Math.max(x1, lm[i]);
    y0 = Math.min(y0, lm[i + 1]);
    y1 = Math.max(y1, lm[i + 1]);
  }
  return [x0, y0, x1, y1];
}

function textured(size: number): ImageU8 {
  const img = createImage(size, size, 3) as ImageU8;
  const rng = createRng(3);
  for (let i = 0; i < img.data.length; i++) img.data[i] = 60 + Math.floor(rng.next() * 120);
  return img;
}

const where = { id: 'vid', frame: 7, file: '/cache/vid/7.png' };

describe('sbiFake / sbiReal', () => {
  it('self-blends a canvas into a fake with the whole-canvas box and an artifact box, seeded', () => {
    const img = textured(64);
    const lm = ellipseLandmarks(64, 20, 24);
    const a = sbiFake(img, lm, createRng(1), undefined, where);
    const b = sbiFake(img, lm, createRng(1), undefined, where);
    expect(a.boxes[0]).toEqual([0, 0, 64, 64]);
    const [x0, y0, x1, y1] = a.boxes[1];
    expect(0 <= x0 && x0 < x1 && x1 <= 64 && 0 <= y0 && y0 < y1 && y1 <= 64).toBe(true);
    expect(a.boxes).toEqual(b.boxes);
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
    expect(Buffer.from(a.image.data).equals(Buffer.from(img.data))).toBe(false);
    expect(a.ops.some((o) => o.startsWith('sbi:landmarks-clamped'))).toBe(false);
  });

  it('bounds the artifact box by the face and by the pixels the blend changed (an off-centre, tall face)', () => {
    const img = textured(64);
    // The synthetic 68-point face, 20 px wide, stretched to ~30 px tall, left of centre and low.
    const lm = templateLandmarks(20, 40, 22).map((v, i) => (i % 2 ? 40 + 1.7 * (v - 40) : v));
    const [fx0, fy0, fx1, fy1] = bbox(lm);
    let sourceAugmented = 0;
    const hulls = new Set<string>();
    for (let s = 0; s < 16; s++) {
      const r = sbiFake(img, lm, createRng(s), undefined, where);
      hulls.add(r.ops[0].split(':')[1]);
      const [x0, y0, x1, y1] = r.boxes[1];
      // The face's extent, its forehead (the 'extended' and forehead hulls reach up to ~half the
      // face's height) and the source-mask affine's reach (3 % shift, 5 % scale of 64 px).
      const m = 4;
      expect(x0).toBeGreaterThanOrEqual(fx0 - m);
      expect(x1).toBeLessThanOrEqual(fx1 + m);
      expect(y0).toBeGreaterThanOrEqual(fy0 - 0.5 * (fy1 - fy0) - m);
      expect(y1).toBeLessThanOrEqual(fy1 + m);
      expect(y1 - y0).toBeGreaterThan(x1 - x0);
      if (!r.ops.some((o) => o.endsWith(':source'))) continue;
      // The target is the input itself: the changed pixels are the blend, and they cover the box.
      sourceAugmented++;
      let dx0 = 64, dy0 = 64, dx1 = 0, dy1 = 0;
      for (let y = 0; y < 64; y++) {
        for (let x = 0; x < 64; x++) {
          const o = (y * 64 + x) * 3;
          if (r.image.data[o] !== img.data[o] || r.image.data[o + 1] !== img.data[o + 1] || r.image.data[o + 2] !== img.data[o + 2]) {
            dx0 = Math.min(dx0, x);
            dy0 = Math.min(dy0, y);
            dx1 = Math.max(dx1, x + 1);
            dy1 = Math.max(dy1, y + 1);
          }
        }
      }
      expect(x0 >= dx0 - 1 && y0 >= dy0 - 1 && x1 <= dx1 + 1 && y1 <= dy1 + 1).toBe(true);
    }
    expect(sourceAugmented).toBeGreaterThan(0);
    expect(hulls.size).toBeGreaterThan(2);
  });

  it('clamps landmarks that leave the canvas and says how many', () => {
    const lm = ellipseLandmarks(64, 36, 24); // jaw points 4 px beyond both sides
    const r = sbiFake(textured(64), lm, createRng(2), undefined, where);
    const moved = Number(r.ops.find((o) => o.startsWith('sbi:landmarks-clamped:'))!.split(':')[2]);
    expect(moved).toBeGreaterThan(0);
    expect(r.boxes[1][2]).toBeLessThanOrEqual(64);
  });

  it('names the frame when a face cannot be self-blended', () => {
    const flat = new Float32Array(136).fill(30); // every point at one place: no hull
    let err: unknown;
    try {
      sbiFake(textured(64), flat, createRng(1), undefined, where);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toMatch(/self-blending frame 7 of video vid failed \(Sbi\w+Error: /);
    expect((err as DatasetError).path).toBe(where.file);
  });

  it('gives the real counterpart SBI\'s target augmentation half of the time', () => {
    const img = textured(32);
    let augmented = 0;
    for (let s = 0; s < 200; s++) {
      const r = sbiReal(img, createRng(s), undefined);
      expect(r.boxes).toEqual([]);
      const same = Buffer.from(r.image.data).equals(Buffer.from(img.data));
      if (r.ops[0] === 'sbi-real:as-is') expect(same).toBe(true);
      else augmented++;
    }
    expect(augmented).toBeGreaterThan(70);
    expect(augmented).toBeLessThan(130);
    expect(sbiReal(img, createRng(0), { augmentSourceProb: 1 }).ops).toEqual(['sbi-real:as-is']);
  });
});
