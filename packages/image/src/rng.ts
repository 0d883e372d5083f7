/**
 * Seeded pseudo-random numbers (mulberry32), reusable by every package that needs
 * reproducible randomness. Not cryptographic.
 */
import { ImageArgumentError } from './errors.js';

/**
 * The mulberry32 generator: returns a function giving uniform floats in `[0, 1)`.
 * @param seed - any 32-bit integer (other numbers are truncated to 32 bits)
 */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded random source with the distributions the pipeline needs. */
export interface Rng {
  /** Uniform float in `[0, 1)`. */
  next(): number;
  /** Uniform float in `[lo, hi)` (defaults `[0, 1)`). */
  uniform(lo?: number, hi?: number): number;
  /** Normal sample (Box–Muller) with the given mean and standard deviation (defaults 0, 1). */
  normal(mean?: number, std?: number): number;
  /** Uniform integer in `[lo, hi)` (like numpy's `randint(lo, hi)`). */
  int(lo: number, hi: number): number;
  /** True with probability `p`. */
  bool(p?: number): boolean;
  /** One element of a non-empty array, uniformly. */
  choice<T>(items: readonly T[]): T;
  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** Fills a typed array with uniform floats in `[lo, hi)` and returns it. */
  fillUniform<A extends Float32Array | Float64Array>(out: A, lo?: number, hi?: number): A;
  /** Fills a typed array with normal samples and returns it. */
  fillNormal<A extends Float32Array | Float64Array>(out: A, mean?: number, std?: number): A;
  /** A new independent generator seeded from this one (for handing to sub-tasks). */
  fork(): Rng;
}

/**
 * Creates a seeded {@link Rng} over {@link mulberry32}.
 * @param seed - integer seed; the same seed always gives the same sequence
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new ImageArgumentError(`rng seed must be a finite number, got ${seed}`);
  const next = mulberry32(seed);
  let spare = 0;
  let hasSpare = false;
  const gauss = (): number => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  };
  const rng: Rng = {
    next,
    uniform: (lo = 0, hi = 1) => lo + (hi - lo) * next(),
    normal: (mean = 0, std = 1) => mean + std * gauss(),
    int: (lo, hi) => {
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi <= lo) {
        throw new ImageArgumentError(`rng.int needs integers lo < hi, got ${lo}, ${hi}`);
      }
      return lo + Math.floor(next() * (hi - lo));
    },
    bool: (p = 0.5) => next() < p,
    choice: (items) => {
      if (items.length === 0) throw new ImageArgumentError('rng.choice of an empty array');
      return items[Math.floor(next() * items.length)];
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
      }
      return items;
    },
    fillUniform: (out, lo = 0, hi = 1) => {
      const d = hi - lo;
      for (let i = 0; i < out.length; i++) out[i] = lo + d * next();
      return out;
    },
    fillNormal: (out, mean = 0, std = 1) => {
      for (let i = 0; i < out.length; i++) out[i] = mean + std * gauss();
      return out;
    },
    fork: () => createRng(Math.floor(next() * 4294967296)),
  };
  return rng;
}
