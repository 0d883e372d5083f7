import type { ImageU8 } from '@caddm/image';
import { countChangedU8 } from '@caddm/simd';
import { MfsShapeError } from './errors.js';

/** Channel deviations above this many levels count as manipulation (above codec noise). */
const DEVIATION = 8;
/** A swap is genuine when at most this share of the deviating values still deviates. */
const KEPT_SHARE = 0.4;

/** Channel values of `a` and `b` (same size) that differ by more than `tol`. */
function changedValues(a: ImageU8, b: ImageU8, tol: number): number {
  const x = a.data;
  const y = b.data;
  const fast = x.length === y.length ? countChangedU8(x, y, tol) : undefined;
  if (fast !== undefined) return fast;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - y[i];
    if (d > tol || d < -tol) n++;
  }
  return n;
}

/**
 * Whether pasting the genuine `source` face onto a `fake` (a "source into fake" global
 * swap, giving `swapped`) removed most of the manipulation, leaving a real face that would
 * be labelled fake: fewer than 40% of the channel values in which the fake deviates from its
 * source by more than 8 levels (above codec noise) still deviate after the swap. All three
 * images are the aligned canvases, of one size.
 * @throws MfsShapeError when the sizes differ
 */
export function swapRemovedManipulation(fake: ImageU8, source: ImageU8, swapped: ImageU8): boolean {
  if (fake.data.length !== source.data.length || swapped.data.length !== source.data.length) {
    throw new MfsShapeError(`fake, source and swapped images must have one size, got ${fake.data.length}, ${source.data.length} and ${swapped.data.length} values`);
  }
  return changedValues(swapped, source, DEVIATION) <= KEPT_SHARE * changedValues(fake, source, DEVIATION);
}

/**
 * Decides {@link swapRemovedManipulation} for a Poisson-blended "source on fake" swap
 * before solving it, where the maximum principle allows: inside the mask the result is
 * `source + h` with `h` harmonic and equal to `fake − source` on the mask's boundary
 * (the fixed pixels next to an unknown), so when no boundary value deviates by more
 * than 7 levels no inside value can deviate by more than 8 (the solver's result is
 * within one level of the exact one), and only the pixels outside the mask, which keep
 * the fake, still deviate. Also decides `false` whenever those outside pixels alone keep
 * more than 40% of the deviating values.
 * @param mask - the Poisson mask (HW, or HWC with the mask in channel 0), the images' height and width
 * @param threshold - a pixel is an unknown when its mask value is at least this (the solver's default 128)
 * @returns the verdict, or undefined when only the solved image can tell
 * @throws MfsShapeError when the sizes differ
 */
export function poissonSwapRemovesManipulation(
  fake: ImageU8,
  source: ImageU8,
  mask: { data: ArrayLike<number>; shape: readonly number[] },
  threshold = 128,
): boolean | undefined {
  const [H, W] = fake.shape;
  const C = fake.shape[2] ?? 1;
  if (source.data.length !== fake.data.length || mask.shape[0] !== H || mask.shape[1] !== W) {
    throw new MfsShapeError(`fake ${fake.shape.join('x')}, source ${source.shape.join('x')} and mask ${mask.shape.join('x')} must have one height and width`);
  }
  const f = fake.data;
  const s = source.data;
  const m = mask.data;
  const mc = mask.shape[2] ?? 1;
  // Unknowns as the solver sees them: inside the mask and off the image border.
  const ins = new Uint8Array(H * W);
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1, i = y * W + 1; x < W - 1; x++, i++) if (m[i * mc] >= threshold) ins[i] = 1;
  }
  let total = 0;
  let outside = 0;
  let boundary = 0;
  for (let y = 0, i = 0; y < H; y++) {
    for (let x = 0; x < W; x++, i++) {
      const p = i * C;
      let n = 0;
      let dmax = 0;
      for (let c = 0; c < C; c++) {
        const d = f[p + c] - s[p + c];
        const a = d < 0 ? -d : d;
        if (a > DEVIATION) n++;
        if (a > dmax) dmax = a;
      }
      total += n;
      if (ins[i] === 1) continue;
      outside += n;
      // A fixed pixel next to an unknown is a boundary pixel (ins is 0 on the image border).
      if (dmax > boundary && ((y > 0 && ins[i - W] === 1) || (y < H - 1 && ins[i + W] === 1) || (x > 0 && ins[i - 1] === 1) || (x < W - 1 && ins[i + 1] === 1))) {
        boundary = dmax;
      }
    }
  }
  if (outside > KEPT_SHARE * total) return false;
  return boundary <= DEVIATION - 1 ? true : undefined;
}
