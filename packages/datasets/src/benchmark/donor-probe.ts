/**
 * Does a face swap of the benchmark really show its donor? A nearest-centroid identity
 * probe on raw aligned pixels, trained on one real video of every identity and applied
 * to another: to real frames of that identity in a different scene (how well the probe
 * recognises a person at all), and to fakes, separately for the inner face (eyes, brows,
 * nose, mouth, cheeks) and for the outer face (jaw line, forehead and hair). A swap that
 * carries the donor's identity puts its inner face nearer the donor than the target,
 * and its outer face nearer the target.
 */
import { createRng, warpAffine, wrapImage, type ImageU8 } from '@caddm/image';
import { fitSimilarity } from '@caddm/face';
import { proceduralPerson, subSeed, type BenchmarkProfile } from './generate.js';
import { faceSwap, deepfakes, hqSwap, type FrameData, type Manipulation } from './methods.js';
import { hullMask } from './warp.js';

/** Options of {@link donorIdentityProbe}. */
export interface DonorProbeOptions {
  /** Seed of the identities, scenes and swaps (default 0). */
  seed?: number;
  /** Identities (even, default 40). */
  identities?: number;
  /** Frame side in pixels (default 128, the mini profile's). */
  size?: number;
  /** Frames per video (default 4). */
  frames?: number;
  /** Swap methods to measure (default FaceSwap, Deepfakes, HQSwap). */
  methods?: readonly Manipulation[];
}

/** How often a region's nearest identity centroid is the donor, the target, or the donor rather than the target. */
export interface RegionAttribution {
  /** Fraction of frames whose nearest centroid (of all identities) is the donor. */
  donor: number;
  /** Fraction whose nearest centroid is the target. */
  target: number;
  /** Fraction nearer the donor's centroid than the target's (two-way; chance 0.5). */
  donorOverTarget: number;
}

/** Result of {@link donorIdentityProbe}. */
export interface DonorProbeResult {
  identities: number;
  /** Chance level of a top-1 identity assignment (1 / identities). */
  chance: number;
  /** Frames scored per condition. */
  frames: number;
  /** Top-1 identity accuracy on real frames of another scene of the same person. */
  realOtherScene: { inner: number; outer: number };
  /** Per swap method: where its inner and outer face point. */
  methods: Array<{ name: string; inner: RegionAttribution; outer: RegionAttribution }>;
}

const CROP = 48;
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const INNER = [...range(1, 15), ...range(17, 26)];
const FACE = range(0, 26);

function quantize(f: FrameData, noise: Float32Array): ImageU8 {
  const out = new Uint8Array(f.canvas.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(f.canvas.data[i] + noise[i])));
  return wrapImage(out, f.canvas.h, f.canvas.w, 3);
}

/**
 * Measures whether the benchmark's swaps show the donor's inner face and the target's
 * outer face. Procedural only (it needs the generator's identities); deterministic in its seed.
 */
export function donorIdentityProbe(options: DonorProbeOptions = {}): DonorProbeResult {
  const seed = options.seed ?? 0;
  const n = options.identities ?? 40;
  if (n < 4 || n % 2) throw new RangeError(`donorIdentityProbe needs an even number >= 4 of identities, got ${n}`);
  const p: BenchmarkProfile = { size: options.size ?? 128, frames: options.frames ?? 4, identities: { train: 0, val: 0, test: 0 }, crossIdentities: n, videosPerIdentity: 2 };
  const methods = options.methods ?? [faceSwap, deepfakes, hqSwap];
  const people = Array.from({ length: n }, (_, i) => proceduralPerson(seed, i, ['a', 'b'], p));

  // Reference geometry: the mean of the real frames' landmarks after a similarity to the first.
  const first = people[0].videos[0].frames[0].landmarks;
  const ref = new Float64Array(136);
  let count = 0;
  for (const q of people) {
    for (const f of q.videos[0].frames) {
      const M = fitSimilarity(f.landmarks, first);
      for (let i = 0; i < 68; i++) {
        const x = f.landmarks[2 * i];
        const y = f.landmarks[2 * i + 1];
        ref[2 * i] += M[0] * x + M[1] * y + M[2];
        ref[2 * i + 1] += M[3] * x + M[4] * y + M[5];
      }
      count++;
    }
  }
  // Into a CROP x CROP box: centred, jaw width 60% of the crop.
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < 68; i++) {
    cx += ref[2 * i] / count / 68;
    cy += ref[2 * i + 1] / count / 68;
  }
  const w = Math.hypot(ref[32] - ref[0], ref[33] - ref[1]) / count;
  const s = (0.6 * CROP) / w;
  for (let i = 0; i < 68; i++) {
    ref[2 * i] = (ref[2 * i] / count - cx) * s + CROP / 2;
    ref[2 * i + 1] = (ref[2 * i + 1] / count - cy) * s + CROP * 0.55;
  }
  const innerMask = hullMask(ref, INNER, CROP, CROP, 0.85, 0);
  const faceIn = hullMask(ref, FACE, CROP, CROP, 0.95, 0);
  const faceOut = hullMask(ref, FACE, CROP, CROP, 1.3, 0);
  const innerIdx: number[] = [];
  const outerIdx: number[] = [];
  for (let i = 0; i < CROP * CROP; i++) {
    if (innerMask[i] > 0.5) innerIdx.push(i);
    else if (faceOut[i] > 0.5 && faceIn[i] < 0.5) outerIdx.push(i);
  }
  const features = (img: ImageU8, lm: Float32Array): [Float64Array, Float64Array] => {
    const M = fitSimilarity(lm, ref);
    const crop = warpAffine(img, Array.from(M.subarray(0, 6)), CROP, CROP, { border: 'replicate' });
    // Raw colour, and the grey-level gradient (shape, less sensitive to the scene's light).
    const grey = new Float64Array(CROP * CROP);
    for (let i = 0; i < grey.length; i++) grey[i] = 0.299 * crop.data[3 * i] + 0.587 * crop.data[3 * i + 1] + 0.114 * crop.data[3 * i + 2];
    const take = (idx: number[]): Float64Array => {
      const out = new Float64Array(idx.length * 5);
      let g2 = 0;
      idx.forEach((pix, j) => {
        for (let k = 0; k < 3; k++) out[5 * j + k] = crop.data[pix * 3 + k];
        const x = pix % CROP;
        const y = (pix - x) / CROP;
        const gx = grey[y * CROP + Math.min(CROP - 1, x + 1)] - grey[y * CROP + Math.max(0, x - 1)];
        const gy = grey[Math.min(CROP - 1, y + 1) * CROP + x] - grey[Math.max(0, y - 1) * CROP + x];
        out[5 * j + 3] = gx;
        out[5 * j + 4] = gy;
        g2 += gx * gx + gy * gy;
      });
      const gs = Math.sqrt(g2 / idx.length) + 1e-6;
      for (let j = 0; j < idx.length; j++) {
        out[5 * j + 3] /= gs;
        out[5 * j + 4] /= gs;
      }
      return out;
    };
    return [take(innerIdx), take(outerIdx)];
  };
  const videoFeatures = (frames: readonly FrameData[], noise: readonly Float32Array[]): Array<[Float64Array, Float64Array]> =>
    frames.map((f, t) => features(quantize(f, noise[t]), f.landmarks));

  // Centroids from each identity's first video; standardised per dimension.
  const train = people.map((q) => videoFeatures(q.videos[0].frames, q.videos[0].noise));
  const centroid = (part: 0 | 1): { c: Float64Array[]; mu: Float64Array; sd: Float64Array } => {
    const d = train[0][0][part].length;
    const mu = new Float64Array(d);
    const sq = new Float64Array(d);
    let m = 0;
    for (const v of train) for (const f of v) { for (let j = 0; j < d; j++) { mu[j] += f[part][j]; sq[j] += f[part][j] ** 2; } m++; }
    const sd = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      mu[j] /= m;
      sd[j] = Math.sqrt(Math.max(sq[j] / m - mu[j] ** 2, 1e-6));
    }
    const c = train.map((v) => {
      const out = new Float64Array(d);
      for (const f of v) for (let j = 0; j < d; j++) out[j] += (f[part][j] - mu[j]) / sd[j] / v.length;
      return out;
    });
    return { c, mu, sd };
  };
  const cents = [centroid(0), centroid(1)];
  const distances = (f: Float64Array, part: 0 | 1): Float64Array => {
    const { c, mu, sd } = cents[part];
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let s2 = 0;
      for (let j = 0; j < f.length; j++) s2 += ((f[j] - mu[j]) / sd[j] - c[k][j]) ** 2;
      out[k] = s2;
    }
    return out;
  };
  const argmin = (d: Float64Array): number => d.reduce((b, v, i) => (v < d[b] ? i : b), 0);

  // Real frames of the other scene.
  let innerOk = 0;
  let outerOk = 0;
  let realFrames = 0;
  people.forEach((q, k) => {
    for (const [fi, fo] of videoFeatures(q.videos[1].frames, q.videos[1].noise)) {
      if (argmin(distances(fi, 0)) === k) innerOk++;
      if (argmin(distances(fo, 1)) === k) outerOk++;
      realFrames++;
    }
  });

  // Fakes: second videos, identities paired at random, both directions.
  const order = createRng(subSeed(seed, 'probe-pairs')).shuffle([...Array(n).keys()]);
  const results: DonorProbeResult['methods'] = [];
  let fakeFrames = 0;
  for (const m of methods) {
    const tally = [{ donor: 0, target: 0, donorOverTarget: 0 }, { donor: 0, target: 0, donorOverTarget: 0 }];
    fakeFrames = 0;
    for (let k = 0; k + 1 < n; k += 2) {
      for (const [ti, di] of [[order[k], order[k + 1]], [order[k + 1], order[k]]]) {
        const T = people[ti].videos[1];
        const D = people[di].videos[1];
        const rng = createRng(subSeed(seed, `probe:${m.name}:${ti}:${di}`));
        const fake = T.frames.map((f, t) => m.apply(f, D.frames[t % D.frames.length], rng));
        for (const [t, f] of fake.entries()) {
          const parts = features(quantize(f, T.noise[t]), f.landmarks);
          for (const part of [0, 1] as const) {
            const d = distances(parts[part], part);
            const best = argmin(d);
            if (best === di) tally[part].donor++;
            if (best === ti) tally[part].target++;
            if (d[di] < d[ti]) tally[part].donorOverTarget++;
          }
          fakeFrames++;
        }
      }
    }
    const frac = (t: (typeof tally)[number]): RegionAttribution => ({ donor: t.donor / fakeFrames, target: t.target / fakeFrames, donorOverTarget: t.donorOverTarget / fakeFrames });
    results.push({ name: m.name, inner: frac(tally[0]), outer: frac(tally[1]) });
  }
  return { identities: n, chance: 1 / n, frames: realFrames, realOtherScene: { inner: innerOk / realFrames, outer: outerOk / realFrames }, methods: results };
}
