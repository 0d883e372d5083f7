import type { ImageU8 } from '@caddm/image';
import { MfsShapeError } from './errors.js';

/** Channel values of `a` and `b` (same size) that differ by more than `tol`. */
function changedValues(a: ImageU8, b: ImageU8, tol: number): number {
  const x = a.data;
  const y = b.data;
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
  return changedValues(swapped, source, 8) <= 0.4 * changedValues(fake, source, 8);
}
