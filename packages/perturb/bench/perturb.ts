/**
 * Benchmarks of the frame perturbations at their strongest level on an 854×480 RGB frame
 * (the common FF++ frame size), and of `compressFrames` on 8 such frames at CRF 40.
 * `../shared/bench/baseline.py` has no perturbation figure to compare with.
 */
import type { Figure } from '../../../bench/src/types.js';
import { medianMs } from '../../../bench/src/time.js';
import { createImage, createRng, type ImageU8 } from '@caddm/image';
import { PERTURBATION_TYPES, compressFrames, findFfmpeg, perturb } from '../src/index.js';

function frame(h: number, w: number): ImageU8 {
  const img = createImage(h, w, 3);
  const rng = createRng(1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      img.data[o] = (x * 255) / w;
      img.data[o + 1] = (y * 255) / h;
      img.data[o + 2] = rng.int(0, 256);
    }
  }
  return img;
}

/** Median times of each perturbation type (level 5) and of a VC round trip. */
export async function bench(): Promise<Figure[]> {
  const img = frame(480, 854);
  const out: Figure[] = [];
  for (const code of PERTURBATION_TYPES) {
    if (code === 'VC') continue;
    const rng = createRng(0);
    const t = await medianMs(() => perturb(img, { type: code, level: 5 }, rng), 7, 1);
    out.push({ name: `perturb_${code.toLowerCase()}_480p`, ...t, note: '854x480 RGB, level 5' });
  }
  if (findFfmpeg()) {
    const frames = Array.from({ length: 8 }, () => img);
    const t = await medianMs(() => compressFrames(frames, 40), 3, 1);
    out.push({ name: 'perturb_vc_8x480p', ...t, note: '8 frames 854x480, CRF 40, preset medium, incl. two ffmpeg start-ups' });
  }
  return out;
}
