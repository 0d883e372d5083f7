/**
 * Border handling shared by filters and samplers, named as in OpenCV.
 */
import { ImageArgumentError } from './errors.js';

/**
 * How pixels outside the image are defined.
 * - `constant`: a fixed value (OpenCV `BORDER_CONSTANT`)
 * - `replicate`: `aaa|abcd|ddd` (`BORDER_REPLICATE`)
 * - `reflect`: `cba|abcd|dcb` (`BORDER_REFLECT`, scipy's `reflect`)
 * - `reflect101`: `dcb|abcd|cba` (`BORDER_REFLECT_101`, OpenCV's default)
 */
export type BorderMode = 'constant' | 'replicate' | 'reflect' | 'reflect101';

const MODES: readonly BorderMode[] = ['constant', 'replicate', 'reflect', 'reflect101'];

/** Throws unless `mode` is a known {@link BorderMode}. */
export function checkBorderMode(mode: string): asserts mode is BorderMode {
  if (!MODES.includes(mode as BorderMode)) {
    throw new ImageArgumentError(`unknown border mode ${JSON.stringify(mode)} (expected ${MODES.join(', ')})`);
  }
}

/**
 * Maps an index outside `[0, n)` back inside for a non-constant border mode
 * (returns -1 for `constant`, meaning "use the border value").
 */
export function borderIndex(i: number, n: number, mode: BorderMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'replicate':
      return i < 0 ? 0 : n - 1;
    case 'reflect':
      if (n === 1) return 0;
      for (;;) {
        if (i < 0) i = -i - 1;
        else if (i >= n) i = 2 * n - 1 - i;
        else return i;
      }
    case 'reflect101':
      if (n === 1) return 0;
      for (;;) {
        if (i < 0) i = -i;
        else if (i >= n) i = 2 * n - 2 - i;
        else return i;
      }
  }
}
