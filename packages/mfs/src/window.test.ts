import { describe, expect, it } from 'vitest';
import { boxFromRowCol, boxToRowCol } from './box.js';
import { MfsArgumentError, MfsShapeError, WindowError } from './errors.js';
import { slidingWindow, type MapLike } from './window.js';
import { loadGolden } from './__fixtures__/shared.js';

interface WindowCase {
  window: [number, number];
  reference_grid_box: number[];
  exact_box: number[];
  exact_sum: number;
}
const golden = loadGolden<{ dssim_from: string; cases: WindowCase[] }>('sliding_window.json');
const dssim = golden ? loadGolden<{ shape: number[]; dssim: number[] }>(golden.dssim_from) : undefined;

describe.skipIf(golden == null || dssim == null)('slidingWindow matches golden/sliding_window.json', () => {
  const map: MapLike = { data: Float64Array.from(dssim?.dssim ?? []), shape: dssim?.shape ?? [] };
  it.each((golden?.cases ?? []).map((c) => [c.window.join('x'), c] as const))('window %s', (_n, c) => {
    const exact = slidingWindow(map, c.window, { mode: 'exact' });
    expect(boxToRowCol(exact)).toEqual(c.exact_box);
    expect(exact.sum).toBeCloseTo(c.exact_sum, 9);
    const ref = slidingWindow(map, c.window, { mode: 'reference' });
    expect(boxToRowCol(ref)).toEqual(c.reference_grid_box);
    expect({ ...ref, sum: undefined }).toEqual({ ...boxFromRowCol(c.reference_grid_box), sum: undefined });
  });
});

/** Brute force over every position, for the property test. */
function brute(d: Float64Array, h: number, w: number, wh: number, ww: number): [number, number, number] {
  let best = -Infinity;
  let bi = 0;
  let bj = 0;
  for (let i = 0; i + wh <= h; i++) {
    for (let j = 0; j + ww <= w; j++) {
      let s = 0;
      for (let y = i; y < i + wh; y++) for (let x = j; x < j + ww; x++) s += d[y * w + x];
      if (s > best + 1e-9) [best, bi, bj] = [s, i, j];
    }
  }
  return [bi, bj, best];
}

describe('a map whose data is shorter than its shape', () => {
  it('is a shape error naming the sizes, not a NaN', () => {
    const map: MapLike = { data: new Float64Array(50), shape: [10, 10] };
    expect(() => slidingWindow(map, [2, 2])).toThrow(MfsShapeError);
    expect(() => slidingWindow(map, [2, 2])).toThrow("the map's shape [10,10] reaches element 99 but its data holds 50 values");
    expect(slidingWindow({ data: new Float64Array(100), shape: [10, 10] }, [2, 2]).sum).toBe(0);
  });
});

describe('slidingWindow', () => {
  it('agrees with brute force on random maps (HW and HWC, strided views)', () => {
    let seed = 5;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let t = 0; t < 30; t++) {
      const h = 5 + Math.floor(rnd() * 30);
      const w = 5 + Math.floor(rnd() * 30);
      const wh = 1 + Math.floor(rnd() * h);
      const ww = 1 + Math.floor(rnd() * w);
      const c = 1 + Math.floor(rnd() * 3);
      const d = new Float64Array(h * w * c).map(() => rnd() ** 4);
      const plane = new Float64Array(h * w);
      for (let i = 0; i < h * w; i++) for (let k = 0; k < c; k++) plane[i] += d[i * c + k];
      const [bi, bj, best] = brute(plane, h, w, wh, ww);
      const r = slidingWindow({ data: d, shape: [h, w, c] }, [wh, ww]);
      expect([r.y0, r.x0]).toEqual([bi, bj]);
      expect(r.sum).toBeCloseTo(best, 9);
      // A transposed view: shape [w, h, c] with swapped strides gives the transposed answer.
      const tv = slidingWindow({ data: d, shape: [w, h, c], stride: [c, w * c, 1], offset: 0 }, [ww, wh]);
      expect([tv.x0, tv.y0]).toEqual([bi, bj]);
    }
  });

  it('uses the first maximum in row-major order on ties and the top-left window on a flat map', () => {
    const d = new Float64Array(8 * 8);
    d[2 * 8 + 6] = 1;
    d[5 * 8 + 1] = 1;
    expect(slidingWindow({ data: d, shape: [8, 8] }, [2, 2])).toEqual({ x0: 5, y0: 1, x1: 7, y1: 3, sum: 1 });
    const zero = slidingWindow({ data: new Float64Array(64), shape: [8, 8] }, [3, 4]);
    expect(zero).toEqual({ x0: 0, y0: 0, x1: 4, y1: 3, sum: 0 });
    const zeroRef = slidingWindow({ data: new Float64Array(64), shape: [8, 8] }, [3, 4], { mode: 'reference' });
    expect(zeroRef).toEqual({ x0: 0, y0: 0, x1: 0, y1: 0, sum: 0 });
  });

  it('rejects bad windows and maps with typed errors', () => {
    const m = { data: new Float64Array(20), shape: [4, 5] };
    expect(() => slidingWindow(m, [5, 1])).toThrow(WindowError);
    expect(() => slidingWindow(m, [1, 6])).toThrow(WindowError);
    expect(() => slidingWindow(m, [0, 1])).toThrow(MfsArgumentError);
    expect(() => slidingWindow(m, [1.5, 1])).toThrow(MfsArgumentError);
    expect(() => slidingWindow({ data: new Float64Array(4), shape: [4] }, [1, 1])).toThrow(MfsShapeError);
    const nan = new Float64Array(20);
    nan[7] = Number.NaN;
    expect(() => slidingWindow({ data: nan, shape: [4, 5] }, [2, 2])).toThrow(/NaN/);
    // Tiny maps: the reference's grid step would be 0; ours is 1.
    expect(slidingWindow(m, [2, 2], { mode: 'reference' })).toEqual({ x0: 0, y0: 0, x1: 0, y1: 0, sum: 0 });
  });
});
