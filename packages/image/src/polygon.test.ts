import { describe, expect, it } from 'vitest';
import { createImage } from './image.js';
import { convexHull, convexHullMask, fillPolygon, polygonMask } from './polygon.js';
import { drawLine, drawRect } from './draw.js';
import { createRng } from './rng.js';
import { ImageArgumentError } from './errors.js';

function cross(o: number[], a: number[], b: number[]) {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

describe('convexHull', () => {
  it('drops interior and collinear points', () => {
    const pts = [[0, 0], [4, 0], [4, 4], [0, 4], [2, 2], [1, 3], [2, 0], [4, 2]];
    expect(convexHull(pts)).toEqual([[0, 0], [4, 0], [4, 4], [0, 4]]);
  });

  it('every input point is inside or on the hull, which turns one way', () => {
    const r = createRng(3);
    const pts = Array.from({ length: 60 }, () => [r.uniform(0, 100), r.uniform(0, 100)]);
    const hull = convexHull(pts);
    for (let i = 0; i < hull.length; i++) {
      const a = hull[i];
      const b = hull[(i + 1) % hull.length];
      expect(cross(a, b, hull[(i + 2) % hull.length])).toBeGreaterThan(0);
      for (const p of pts) expect(cross(a, b, p)).toBeGreaterThanOrEqual(-1e-9);
    }
  });

  it('handles degenerate inputs and rejects non-finite points', () => {
    expect(convexHull([])).toEqual([]);
    expect(convexHull([[1, 1], [1, 1]])).toEqual([[1, 1]]);
    expect(() => convexHull([[0, NaN]])).toThrow(ImageArgumentError);
  });
});

describe('fillPolygon and masks', () => {
  it('fills an axis-aligned rectangle including its edges', () => {
    const m = polygonMask(8, 8, [[1, 2], [5, 2], [5, 6], [1, 6]]);
    let n = 0;
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
      const inside = x >= 1 && x <= 5 && y >= 2 && y <= 6;
      expect(m.get(y, x, 0)).toBe(inside ? 255 : 0);
      n += inside ? 1 : 0;
    }
    expect(n).toBe(25);
  });

  it('the hull mask covers every landmark and equals filling the hull', () => {
    const r = createRng(5);
    const pts = Array.from({ length: 68 }, () => [r.int(40, 180), r.int(50, 200)]);
    const mask = convexHullMask(224, 224, pts);
    for (const [x, y] of pts) expect(mask.get(y, x, 0)).toBe(255);
    expect(Array.from(mask.data)).toEqual(Array.from(polygonMask(224, 224, convexHull(pts)).data));
  });

  it('writes per-channel colours and clips to the image', () => {
    const img = createImage(10, 10, 3);
    fillPolygon(img, [[-5, -5], [4, -5], [4, 4], [-5, 4]], [1, 2, 3]);
    expect([img.get(0, 0, 0), img.get(0, 0, 1), img.get(0, 0, 2)]).toEqual([1, 2, 3]);
    expect(img.get(4, 4, 2)).toBe(3);
    expect(img.get(5, 5, 0)).toBe(0);
  });

  it('rejects strided views, bad points and short colours', () => {
    const img = createImage(10, 10, 3);
    expect(() => fillPolygon(img.lo(1, 1, 0), [[0, 0], [1, 0], [1, 1]])).toThrow(/dense/);
    expect(() => fillPolygon(img, [[0, 0], [1, Infinity], [1, 1]])).toThrow(/point 1/);
    expect(() => fillPolygon(img, [[0, 0], [1, 0], [1, 1]], [1, 2])).toThrow(/2 values, image has 3 channels/);
    expect(() => convexHullMask(5, 5, [])).toThrow(/at least one point/);
  });
});

describe('drawing', () => {
  it('drawRect outlines a box (thickness 1) on every channel', () => {
    const img = createImage(6, 8, 3);
    expect(drawRect(img, { x0: 1, y0: 1, x1: 6, y1: 4 }, [255, 0, 10])).toBe(img);
    expect(img.get(1, 3, 0)).toBe(255);
    expect(img.get(4, 6, 2)).toBe(10);
    expect(img.get(2, 3, 0)).toBe(0); // interior untouched
    expect(() => drawRect(img, { x0: 0, y0: 0, x1: 1, y1: 1 }, 1, 0)).toThrow(/thickness/);
  });

  it('drawLine draws 8-connected lines including both end points', () => {
    const img = createImage(10, 10, 1);
    drawLine(img, 0, 0, 9, 3, 1);
    let n = 0;
    for (let x = 0; x < 10; x++) {
      let col = 0;
      for (let y = 0; y < 10; y++) col += img.get(y, x, 0);
      expect(col).toBe(1); // exactly one pixel per column for a shallow line
      n += col;
    }
    expect(n).toBe(10);
    expect(img.get(0, 0, 0)).toBe(1);
    expect(img.get(3, 9, 0)).toBe(1);
  });
});
