import { describe, expect, it } from 'vitest';
import { conditionalAffinities, klDivergence, pairTerms, tsne } from './tsne.js';
import { knnAgreement } from './knn.js';
import { squaredDistances } from './rows.js';
import { seededRng } from './rng.js';
import { MetricsInputError } from './errors.js';

/** `k` Gaussian clusters of `per` points in `dim` dimensions, centres `sep` apart on average. */
function blobs(seed: number, k: number, per: number, dim: number, sep: number): { rows: number[][]; labels: number[] } {
  const r = seededRng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: dim }, () => sep * r.normal()));
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < k * per; i++) {
    const c = i % k;
    rows.push(centres[c].map((v) => v + r.normal()));
    labels.push(c);
  }
  return { rows, labels };
}

describe('conditionalAffinities', () => {
  it('calibrates each row to the perplexity', () => {
    const { rows } = blobs(1, 3, 15, 6, 4);
    const n = rows.length;
    const flat = { data: Float64Array.from(rows.flat()), n, dim: 6 };
    for (const perplexity of [5, 20]) {
      const p = conditionalAffinities(squaredDistances(flat), n, perplexity);
      for (let i = 0; i < n; i++) {
        let sum = 0;
        let h = 0;
        for (let j = 0; j < n; j++) {
          const v = p[i * n + j];
          if (j === i) expect(v).toBe(0);
          sum += v;
          if (v > 0) h -= v * Math.log(v);
        }
        expect(sum).toBeCloseTo(1, 12);
        expect(Math.exp(h)).toBeCloseTo(perplexity, 3);
      }
    }
  });
});

describe('t-SNE gradient', () => {
  it.each([2, 3])('equals the finite-difference gradient of KL(P || Q) in %i-D', (dims) => {
    const n = 7;
    const r = seededRng(4);
    const P = new Float64Array(n * n);
    let sum = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const v = r.next() + 0.1;
        P[i * n + j] = v;
        P[j * n + i] = v;
        sum += 2 * v;
      }
    for (let t = 0; t < P.length; t++) P[t] /= sum;
    const Y = Float64Array.from({ length: n * dims }, () => r.normal());
    const A = new Float64Array(n * dims);
    const R = new Float64Array(n * dims);
    const z = pairTerms(P, Y, n, dims, A, R, new Float64Array(dims));
    const h = 1e-6;
    for (let t = 0; t < Y.length; t++) {
      const y0 = Y[t];
      Y[t] = y0 + h;
      const up = klDivergence(P, Y, n, dims);
      Y[t] = y0 - h;
      const down = klDivergence(P, Y, n, dims);
      Y[t] = y0;
      expect(4 * (A[t] - R[t] / z)).toBeCloseTo((up - down) / (2 * h), 6);
    }
  });
});

describe('tsne', () => {
  const { rows, labels } = blobs(2, 4, 15, 10, 5);

  it('keeps well-separated clusters separated (kNN agreement)', () => {
    expect(knnAgreement(rows, labels, 5)).toBe(1); // the input is separable
    const klSeen: number[] = [];
    const r = tsne(rows, { perplexity: 10, iterations: 400, seed: 1, onProgress: (_i, kl) => klSeen.push(kl) });
    expect(r.n).toBe(60);
    expect(r.embedding).toHaveLength(120);
    expect(knnAgreement(r.embedding, labels, 5, 2)).toBeGreaterThanOrEqual(0.95);
    expect(klSeen).toHaveLength(8);
    expect(r.kl).toBe(klSeen.at(-1));
    expect(r.kl).toBeLessThan(klSeen[5]); // still improving after exaggeration
    let cx = 0;
    for (let i = 0; i < r.n; i++) cx += r.embedding[2 * i];
    expect(Math.abs(cx / r.n)).toBeLessThan(1e-9); // centred
  });

  it('is deterministic with a seed and differs across seeds', () => {
    const opts = { perplexity: 8, iterations: 120 };
    const a = tsne(rows, { ...opts, seed: 5 });
    const b = tsne(rows, { ...opts, seed: 5 });
    const c = tsne(rows, { ...opts, seed: 6 });
    expect(Array.from(b.embedding)).toEqual(Array.from(a.embedding));
    expect(Array.from(c.embedding)).not.toEqual(Array.from(a.embedding));
  });

  it('accepts flat Float32Array input and 3 output dimensions', () => {
    const flat = Float32Array.from(rows.flat());
    const r = tsne(flat, { dim: 10, dims: 3, perplexity: 10, iterations: 500, seed: 2 });
    expect(r.embedding).toHaveLength(180);
    expect(knnAgreement(r.embedding, labels, 5, 3)).toBeGreaterThanOrEqual(0.95);
  });

  it('does not invent clusters in unstructured data', () => {
    const r0 = seededRng(9);
    const noise = Array.from({ length: 60 }, () => Array.from({ length: 10 }, () => r0.normal()));
    const r = tsne(noise, { perplexity: 10, iterations: 300, seed: 1 });
    expect(knnAgreement(r.embedding, labels, 5, 2)).toBeLessThan(0.45); // chance is ~0.25
  });

  it('rejects bad input with typed errors', () => {
    expect(() => tsne(rows, { perplexity: 60 })).toThrow(/perplexity must be in \(0, n = 60\)/);
    expect(() => tsne([[1, 2]])).toThrow(/at least 2 points/);
    expect(() => tsne([[1, 2], [3]])).toThrow(/row 1 has 1 values/);
    expect(() => tsne([[1, 2], [3, Number.NaN]], { perplexity: 1 })).toThrow(/point 1\[1\] is NaN/);
    expect(() => tsne(new Float64Array(6))).toThrow(/dim/);
    expect(() => tsne(rows, { learningRate: -1 })).toThrow(MetricsInputError);
    expect(() => tsne(rows, { iterations: 0 })).toThrow(/iterations/);
  });
});

describe('knnAgreement', () => {
  it('counts neighbours sharing the label', () => {
    const pts = [[0], [1], [10], [11], [12]];
    expect(knnAgreement(pts, ['a', 'a', 'b', 'b', 'b'], 1)).toBe(1);
    expect(knnAgreement(pts, ['a', 'b', 'a', 'b', 'a'], 1)).toBe(0);
    // k = 2: a's 2nd neighbour is a b; b's neighbours are all b.
    expect(knnAgreement(pts, ['a', 'a', 'b', 'b', 'b'], 2)).toBeCloseTo((0.5 + 0.5 + 1 + 1 + 1) / 5, 15);
  });
  it('rejects bad k and lengths', () => {
    expect(() => knnAgreement([[0], [1]], [0, 1], 2)).toThrow(/k must be/);
    expect(() => knnAgreement([[0], [1]], [0], 1)).toThrow(/2 points but 1 labels/);
  });
});
