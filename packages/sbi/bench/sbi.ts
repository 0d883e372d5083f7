/**
 * Throughput of `selfBlend` at 224x224 (one core, the main thread): a synthetic textured
 * photo with the synthetic 68-point template face (about half the image wide, like SBI's
 * face crops with a margin), SBI's default options, a new seed per sample. There is no
 * baseline figure for SBI in `../shared/bench/baseline.py`. Parts: the source-target
 * augmentation, the elastic field, the blend mask.
 */
import { templateLandmarks } from '@caddm/face';
import { createImage, createRng, type ImageU8 } from '@caddm/image';
import { medianMs } from '../../../bench/src/time.js';
import { applyAugment, blendMask, elasticField, hullMask, sampleAugment, sampleBlendMask, SBI_DEFAULTS, selfBlend } from '../src/index.js';

function photo(size: number): ImageU8 {
  const rng = createRng(0);
  const img = createImage(size, size, 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 3;
      img.data[o] = 40 + ((x * 150) / size + rng.int(0, 20));
      img.data[o + 1] = 30 + ((y * 170) / size + rng.int(0, 20));
      img.data[o + 2] = 60 + (((x + y) * 45) / size + 40 * Math.sin(x / 5) + rng.int(0, 20));
    }
  }
  return img;
}

/** sbi_224 (full sample) and its main parts, medians in ms. */
export async function bench(): Promise<Array<{ name: string; ms: number; runs: number; note?: string }>> {
  const size = 224;
  const img = photo(size);
  const lm = templateLandmarks(112, 120, 110);
  let seed = 0;
  const full = await medianMs(() => selfBlend(img, lm, seed++), 101, 20);
  // CPU time per sample too: wall medians suffer when other processes share the cores
  const runs = 200;
  const c0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) selfBlend(img, lm, seed++);
  const c = process.cpuUsage(c0);
  const cpuMs = (c.user + c.system) / 1000 / runs;
  const rng = createRng(1);
  const augment = await medianMs(() => applyAugment(img.data, size, size, sampleAugment(rng, SBI_DEFAULTS.color, SBI_DEFAULTS.quality)), 101, 20);
  const out = { dx: new Float32Array(size * size), dy: new Float32Array(size * size) };
  const field = await medianMs(() => elasticField(size, size, 50, 7, rng, out), 101, 20);
  const hull = hullMask(size, size, lm, 'dfl_full');
  const mask = await medianMs(() => blendMask(hull, size, size, sampleBlendMask(rng, SBI_DEFAULTS.mask)), 101, 20);
  return [
    {
      name: 'sbi_224',
      ...full,
      note: `selfBlend, SBI defaults, 1 thread: ${(1000 / full.ms).toFixed(0)} samples/s wall; CPU ${cpuMs.toFixed(2)} ms/sample = ${(1000 / cpuMs).toFixed(0)} samples/s`,
    },
    { name: 'sbi_augment_224', ...augment, note: 'source-target augmentation (colour + quality)' },
    { name: 'sbi_elastic_field_224', ...field, note: 'elastic field alpha 50, sigma 7 (recursive Gaussian)' },
    { name: 'sbi_blend_mask_224', ...mask, note: 'get_blend_mask: resize, erosion, blur, resize back' },
  ];
}
