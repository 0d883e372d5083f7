import { describe, expect, it } from 'vitest';
import { createRng } from '@caddm/image';
import { donorIdentityProbe } from './donor-probe.js';
import { identityVector, INNER_FACE_KEYS, OUTER_FACE_KEYS, sampleIdentity, swappedIdentity } from './face-model.js';
import { pairIdentities } from './generate.js';
import { face2face, faceSwap } from './methods.js';

describe('swappedIdentity', () => {
  it("takes every inner-face parameter from the donor and every outer-face parameter from the target", () => {
    const rng = createRng(3);
    const t = sampleIdentity(rng, 1);
    const d = sampleIdentity(rng, 2);
    const s = swappedIdentity(t, d);
    for (const k of INNER_FACE_KEYS) expect(s[k]).toEqual(d[k]);
    for (const k of OUTER_FACE_KEYS) expect(s[k]).toEqual(t[k]);
    // The skin texture is seeded by the id: the donor's.
    expect(s.id).toBe(d.id);
    expect(identityVector(s, 'inner')).toEqual(identityVector(d, 'inner'));
    expect(identityVector(s, 'outer')).toEqual(identityVector(t, 'outer'));
  });
});

describe('pairIdentities', () => {
  const rng = createRng(9);
  const vectors = Array.from({ length: 40 }, (_, i) => identityVector(sampleIdentity(rng, i)));
  const dist = (a: Float64Array, b: Float64Array) => Math.sqrt(a.reduce((s, v, j) => s + (v - b[j]) ** 2, 0));
  const mean = (pairs: Array<[number, number]>) => pairs.reduce((s, [a, b]) => s + dist(vectors[a], vectors[b]), 0) / pairs.length;

  it('pairs every identity exactly once, in both pairings', () => {
    for (const how of ['random', 'similar'] as const) {
      const pairs = pairIdentities(vectors, how, createRng(1));
      expect(pairs.length).toBe(20);
      expect(pairs.flat().sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
    }
  });

  it('similar pairs are much closer than random ones, and the closest two identities are paired', () => {
    const similar = pairIdentities(vectors, 'similar', createRng(1));
    const random = pairIdentities(vectors, 'random', createRng(1));
    expect(mean(similar)).toBeLessThan(0.85 * mean(random));
    let best: [number, number] = [0, 1];
    for (let a = 0; a < 40; a++) for (let b = a + 1; b < 40; b++) if (dist(vectors[a], vectors[b]) < dist(vectors[best[0]], vectors[best[1]])) best = [a, b];
    expect(similar[0]).toEqual(best);
  });
});

describe('donorIdentityProbe', () => {
  // Small but powered: 16 identities, 2 frames each, 96 px.
  const r = donorIdentityProbe({ seed: 2, identities: 16, frames: 2, size: 96, methods: [faceSwap, face2face] });

  it('recognises a person in another scene far above chance (the probe works at all)', () => {
    expect(r.chance).toBe(1 / 16);
    expect(r.realOtherScene.inner).toBeGreaterThan(4 * r.chance);
  });

  it("finds the donor in a swap's inner face and the target in its outer face", () => {
    const swap = r.methods.find((m) => m.name === 'FaceSwap')!;
    expect(swap.inner.donor).toBeGreaterThan(3 * r.chance);
    expect(swap.inner.donor).toBeGreaterThan(swap.inner.target);
    expect(swap.inner.donorOverTarget).toBeGreaterThan(0.6);
    expect(swap.outer.target).toBeGreaterThan(swap.outer.donor);
    expect(swap.outer.donorOverTarget).toBeLessThan(0.4);
  });

  it('finds no donor in a reenactment, which keeps the identity (control)', () => {
    const f2f = r.methods.find((m) => m.name === 'Face2Face')!;
    expect(f2f.inner.target).toBeGreaterThan(f2f.inner.donor);
    expect(f2f.inner.donorOverTarget).toBeLessThan(0.4);
  });
});
