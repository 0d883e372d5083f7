import { foreheadArc, LandmarkError, meanFace5 } from '@caddm/face';
import { cloneImage, convexHull, createImage, createRng, fillPolygon, warpPerspective, type ImageU8 } from '@caddm/image';
import { describe, expect, it } from 'vitest';
import { transposeBox } from './box.js';
import { MfsArgumentError, MfsShapeError } from './errors.js';
import { swapRemovedManipulation } from './genuine.js';
import { drawPolicy, MfsSampler, type MfsSample } from './sample.js';
import { syntheticFrame } from './__fixtures__/faces.js';

describe('drawPolicy', () => {
  it('follows the reference probabilities', () => {
    const rng = createRng(2);
    const n = 40000;
    const count: Record<string, number> = {};
    const inc = (k: string): void => {
      count[k] = (count[k] ?? 0) + 1;
    };
    let alphaMin = Infinity;
    let alphaMax = -Infinity;
    for (let i = 0; i < n; i++) {
      const p = drawPolicy(rng);
      inc(p.blend);
      inc(p.level);
      if (p.level === 'global') inc(p.direction as string);
      else inc(`w${p.window?.join('x')}`);
      if (p.elasticAlpha != null) {
        inc('elastic');
        expect(Number.isInteger(p.elasticAlpha)).toBe(true);
        alphaMin = Math.min(alphaMin, p.elasticAlpha);
        alphaMax = Math.max(alphaMax, p.elasticAlpha);
      }
    }
    // Each rate within 4.5 binomial standard errors of the reference's probability (at n = 40,000,
    // 1 SE of the partial rate is 0.002): a planted 0.24 or a Poisson rate of 0.54 fails.
    const rate = (k: string, p: number, d = n): void => {
      const f = (count[k] ?? 0) / d;
      const se = Math.sqrt((p * (1 - p)) / d);
      expect(Math.abs(f - p), `${k}: ${f.toFixed(4)} vs ${p} (4.5 SE = ${(4.5 * se).toFixed(4)})`).toBeLessThanOrEqual(4.5 * se);
    };
    rate('poisson', 0.5);
    rate('partial', 0.2);
    const g = count.global;
    rate('source-on-fake', 0.5, g);
    rate('fake-on-source', 0.25, g);
    rate('unchanged', 0.25, g);
    rate('elastic', 0.5, count['source-on-fake'] + count['fake-on-source']);
    expect([alphaMin, alphaMax]).toEqual([300, 500]);
    for (const w of ['w40x80', 'w80x120', 'w120x160']) rate(w, 1 / 3, count.partial);
  });

  it('honours overrides', () => {
    const p = drawPolicy(createRng(1), { partialProbability: 1, poissonProbability: 0, windows: [[10, 20]] });
    expect(p).toEqual({ blend: 'alpha', level: 'partial', window: [10, 20] });
    expect(() => new MfsSampler({ partialProbability: 1.5 })).toThrow(MfsArgumentError);
    expect(() => new MfsSampler({ windows: [] })).toThrow(MfsArgumentError);
  });
});

describe('MfsSampler', () => {
  const fake = syntheticFrame(11);
  const source = syntheticFrame(12);
  const input = { frame: fake.image, source: source.image, landmarks: fake.landmarks, label: 1 as const };

  it('makes 224 canvases with the whole-image box on every fake and a window box on partial swaps', () => {
    const sampler = new MfsSampler();
    const rng = createRng(5);
    const kinds = new Set<string>();
    let rejected = 0;
    for (let i = 0; i < 24; i++) {
      const s = sampler.sample(input, rng);
      if (!s.accepted) {
        rejected++;
        expect(s.reason).toMatch(/partial swap/);
        continue;
      }
      kinds.add(`${s.kind}:${s.direction ?? s.window?.join('x')}`);
      expect(s.image.shape).toEqual([224, 224, 3]);
      expect(s.boxes[0]).toEqual({ x0: 0, y0: 0, x1: 224, y1: 224 });
      if (s.kind === 'partial') {
        expect(s.boxes.length).toBe(2);
        const [wh, ww] = s.window as [number, number];
        expect(s.boxes[1].x1 - s.boxes[1].x0).toBe(ww);
        expect(s.boxes[1].y1 - s.boxes[1].y0).toBe(wh);
      } else expect(s.boxes.length).toBe(1);
      if (s.blend === 'poisson') expect(s.poisson?.converged).toBe(true);
      expect(s.landmarks.length).toBe(136 + 26);
    }
    expect(rejected).toBeLessThan(12);
    expect(kinds.size).toBeGreaterThanOrEqual(3);
  });

  it('is reproducible from the seed and aligns genuine frames without boxes', () => {
    const a = new MfsSampler().sample(input, createRng(99)) as MfsSample;
    const b = new MfsSampler().sample(input, createRng(99)) as MfsSample;
    expect(a.accepted && b.accepted).toBe(true);
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
    expect(a.boxes).toEqual(b.boxes);
    const real = new MfsSampler().sample({ frame: source.image, landmarks: source.landmarks, label: 0 }, createRng(1));
    expect(real.accepted && real.kind === 'real' && real.boxes.length === 0).toBe(true);
  });

  it('without jitter puts the five points on the mean face', () => {
    const s = new MfsSampler({ jitter: false, partialProbability: 0 }).sample(input, createRng(3)) as MfsSample;
    expect(s.params).toEqual({ scale: 0.9, translation: [0, 0], rotation: 0, sa: 1, sb: 1 });
    // The nose tip (30) of the synthetic template lands near the mean face's nose tip.
    const mf = meanFace5(80, 224, 0.9);
    expect(Math.abs(s.landmarks[60] - mf[4])).toBeLessThan(8);
    expect(Math.abs(s.landmarks[61] - mf[5])).toBeLessThan(8);
  });

  it('transposes partial boxes only with referenceBoxes', () => {
    const cfg = { partialProbability: 1, jitter: false };
    let seed = 0;
    let s: ReturnType<MfsSampler['sample']>;
    do s = new MfsSampler(cfg).sample(input, createRng(seed++));
    while (!s.accepted && seed < 20);
    const t = new MfsSampler({ ...cfg, referenceBoxes: true }).sample(input, createRng(seed - 1));
    expect(s.accepted && t.accepted).toBe(true);
    if (s.accepted && t.accepted) {
      expect(t.boxes[1]).toEqual(transposeBox(s.boxes[1]));
      expect(t.boxes[0]).toEqual(s.boxes[0]);
    }
  });

  it('throws typed errors for unusable landmarks, never a NaN box', () => {
    const sampler = new MfsSampler({ partialProbability: 0, sourceOnFakeProbability: 1, elasticProbability: 0 });
    const bad = Float32Array.from(input.landmarks);
    bad[61] = Number.NaN;
    expect(() => sampler.sample({ ...input, landmarks: bad }, createRng(1))).toThrow(LandmarkError);
    expect(() => sampler.sample({ ...input, landmarks: bad.subarray(0, 100) }, createRng(1))).toThrow(LandmarkError);
    // Landmarks partly outside the frame still align (the warp fills with black).
    const shifted = Float32Array.from(input.landmarks, (v, i) => (i % 2 === 0 ? v + 150 : v));
    const s = sampler.sample({ ...input, landmarks: shifted }, createRng(1));
    expect(s.accepted).toBe(true);
    if (s.accepted) for (const b of s.boxes) for (const v of Object.values(b)) expect(Number.isFinite(v)).toBe(true);
  });

  it('rejects a fake without source or with a source of another size, unless resizeSource', () => {
    const sampler = new MfsSampler({ partialProbability: 0, sourceOnFakeProbability: 1 });
    expect(() => sampler.sample({ ...input, source: undefined }, createRng(1))).toThrow(MfsShapeError);
    const small = createImage(128, 128, 3) as ImageU8;
    expect(() => sampler.sample({ ...input, source: small }, createRng(1))).toThrow(MfsShapeError);
    const r = new MfsSampler({ partialProbability: 0, sourceOnFakeProbability: 1, resizeSource: true }).sample(
      { ...input, source: small },
      createRng(1),
    );
    expect(r.accepted).toBe(true);
  });
});

describe('MfsSampler genuine-swap rejection', () => {
  const source = syntheticFrame(12);
  const lm = source.landmarks;
  const polygon = (from: number, to: number): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    for (let i = from; i < to; i++) out.push([lm[2 * i], lm[2 * i + 1]]);
    return out;
  };
  /** The source with the inner face (nose, eyes, mouth: landmarks 27-67, well inside the hull) recoloured. */
  const inside = cloneImage(source.image);
  fillPolygon(inside, convexHull(polygon(27, 68)), [30, 200, 90]);
  /**
   * The source with its mouth recoloured and a larger change outside the swap's hull: every
   * value beyond the hull of the 68 landmarks and the forehead arc, grown 1.1x about its
   * centre, moved by 128 levels.
   */
  const outside = cloneImage(source.image);
  fillPolygon(outside, convexHull(polygon(48, 60)), [30, 200, 90]);
  const arc = foreheadArc(lm);
  const hull = polygon(0, 68);
  for (let i = 0; i < arc.length; i += 2) hull.push([arc[i], arc[i + 1]]);
  const [cx, cy] = hull.reduce(([x, y], p) => [x + p[0] / hull.length, y + p[1] / hull.length], [0, 0]);
  const keep = createImage(256, 256, 1);
  fillPolygon(keep, convexHull(hull.map(([x, y]): [number, number] => [cx + 1.1 * (x - cx), cy + 1.1 * (y - cy)])), 255);
  for (let i = 0; i < keep.data.length; i++) if (keep.data[i] === 0) for (let k = 0; k < 3; k++) outside.data[3 * i + k] ^= 0x80;

  // No jitter: the alignment's random zoom and shift can push the whole change off the canvas.
  const always = { jitter: false, partialProbability: 0, sourceOnFakeProbability: 1, elasticProbability: 0 };
  const aligned = (img: ImageU8, m: Float64Array): ImageU8 => warpPerspective(img, m, 224, 224);
  const same = (a: ImageU8, b: ImageU8): boolean => Buffer.from(a.data).equals(Buffer.from(b.data));

  for (const poissonProbability of [0, 1]) {
    const blend = poissonProbability ? 'poisson' : 'alpha';
    it(`returns the aligned fake, flagged, when the manipulation lies inside the hull (${blend})`, () => {
      const sampler = new MfsSampler({ ...always, poissonProbability });
      const rng = createRng(4);
      const s = sampler.sample({ frame: inside, source: source.image, landmarks: lm, label: 1 }, rng) as MfsSample;
      expect(s.accepted).toBe(true);
      expect(s).toMatchObject({ kind: 'global', direction: 'unchanged', genuineSwapRejected: true, label: 1, boxes: [{ x0: 0, y0: 0, x1: 224, y1: 224 }] });
      expect(s.blend).toBeUndefined();
      const fake = aligned(inside, s.matrix);
      expect(same(s.image, fake)).toBe(true);
      expect(same(fake, aligned(source.image, s.matrix))).toBe(false);
      // The sampler's next canvas must not overwrite the returned image (its canvases are reused).
      const before = Uint8Array.from(s.image.data);
      sampler.sample({ frame: outside, source: source.image, landmarks: lm, label: 1 }, createRng(9));
      expect(Buffer.from(s.image.data).equals(Buffer.from(before))).toBe(true);

      // false = the reference: the swap is kept and gives back the genuine face, labelled fake.
      const rngRef = createRng(4);
      const r = new MfsSampler({ ...always, poissonProbability, rejectGenuineSwaps: false }).sample(
        { frame: inside, source: source.image, landmarks: lm, label: 1 },
        rngRef,
      ) as MfsSample;
      expect(r).toMatchObject({ kind: 'global', direction: 'source-on-fake', blend, label: 1 });
      expect(r.genuineSwapRejected).toBeUndefined();
      expect(r.matrix).toEqual(s.matrix);
      expect(swapRemovedManipulation(fake, aligned(source.image, r.matrix), r.image)).toBe(true);
      // Both consumed the same draws: what follows from the rng does not depend on the option.
      expect(rngRef.next()).toBe(rng.next());
    });

    it(`keeps the swap when most of the manipulation lies outside the hull (${blend})`, () => {
      const s = new MfsSampler({ ...always, poissonProbability }).sample(
        { frame: outside, source: source.image, landmarks: lm, label: 1 },
        createRng(4),
      ) as MfsSample;
      expect(s).toMatchObject({ accepted: true, kind: 'global', direction: 'source-on-fake', blend });
      expect(s.genuineSwapRejected).toBeUndefined();
      const fake = aligned(outside, s.matrix);
      // The mouth was replaced by the source's; the change outside survives.
      expect(same(s.image, fake)).toBe(false);
      expect(swapRemovedManipulation(fake, aligned(source.image, s.matrix), s.image)).toBe(false);
    });
  }
});
