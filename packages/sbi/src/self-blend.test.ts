import { templateLandmarks } from '@caddm/face';
import { createImage, createRng, readImage, warpAffine, wrapImage, type ImageU8 } from '@caddm/image';
import { describe, expect, it } from 'vitest';
import fixture from './__fixtures__/lfw-landmarks.json' with { type: 'json' };
import { requireShared } from './__fixtures__/shared.js';
import { same } from './__fixtures__/arrays.js';
import {
  affineMatrices,
  applyAugment,
  hullMask,
  HULL_TYPES,
  SbiArgumentError,
  SbiImageError,
  SbiLandmarkError,
  SbiMaskError,
  selfBlend,
  type SelfBlendResult,
} from './index.js';

const H = 128;
const W = 112;

/** The LFW photos of the shared folder, or undefined (the test that needs them is then skipped, with a message). */
const lfw = requireShared('faces/lfw');

/** A smooth synthetic "photo" (gradients and texture), so blends and augmentations show. */
function photo(h = H, w = W, seed = 1): ImageU8 {
  const rng = createRng(seed);
  const img = createImage(h, w, 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      img.data[o] = 40 + ((x * 150) / w + rng.int(0, 20));
      img.data[o + 1] = 30 + ((y * 170) / h + rng.int(0, 20));
      img.data[o + 2] = 60 + (((x + y) * 90) / (w + h) + 40 * Math.sin(x / 5) + rng.int(0, 20));
    }
  }
  return img;
}

const img = photo();
const lm = templateLandmarks(56, 70, 64, -6);

/** The source as selfBlend saw it before the warp. */
function sourceOf(r: SelfBlendResult, input: ImageU8): Uint8Array {
  return r.params.augmented === 'source' ? applyAugment(input.data, input.shape[0], input.shape[1], r.params.augment) : input.data;
}

describe('selfBlend', () => {
  it('is deterministic for a seed, and seeds differ', () => {
    const a = selfBlend(img, lm, createRng(42));
    const b = selfBlend(img, lm, 42);
    expect(same(b.fake.data, a.fake.data)).toBe(true);
    expect(same(b.mask.data, a.mask.data)).toBe(true);
    expect(same(b.target.data, a.target.data)).toBe(true);
    expect(b.box).toEqual(a.box);
    expect(b.params).toEqual(a.params);
    const c = selfBlend(img, lm, 43);
    expect(same(c.fake.data, a.fake.data)).toBe(false);
    expect(a.fake.shape).toEqual([H, W, 3]);
    expect(a.mask.shape).toEqual([H, W, 1]);
  });

  it('gives the same result whatever sizes were blended before (reused working memory)', () => {
    const first = selfBlend(img, lm, 77);
    selfBlend(photo(200, 180, 2), templateLandmarks(90, 110, 100), 78); // larger
    selfBlend(photo(64, 56, 3), templateLandmarks(28, 35, 32), 79); // smaller
    const again = selfBlend(img, lm, 77);
    expect(same(again.fake.data, first.fake.data)).toBe(true);
    expect(same(again.mask.data, first.mask.data)).toBe(true);
    expect(again.box).toEqual(first.box);
  });

  it('fake equals the target wherever the mask is 0, and lies between warped source and target elsewhere', () => {
    for (let seed = 0; seed < 12; seed++) {
      const r = selfBlend(img, lm, seed);
      const src = wrapImage(sourceOf(r, img), H, W, 3);
      const warped = warpAffine(src, affineMatrices(r.params.affine, W, H).forward, W, H).data;
      let inside = 0;
      let changed = 0;
      const bad: string[] = [];
      for (let i = 0; i < H * W; i++) {
        const m = r.mask.data[i];
        for (let k = 0; k < 3; k++) {
          const f = r.fake.data[3 * i + k];
          const t = r.target.data[3 * i + k];
          const s = warped[3 * i + k];
          const ok = m === 0 ? f === t : m === 1 ? f === s : f >= Math.min(s, t) && f <= Math.max(s, t);
          if (!ok) bad.push(`pixel ${i} ch ${k}: mask ${m} fake ${f} target ${t} source ${s}`);
          if (m > 0 && f !== t) changed++;
        }
        if (m > 0) inside++;
      }
      expect(bad.slice(0, 5), `seed ${seed}`).toEqual([]);
      expect(inside).toBeGreaterThan(500);
      expect(changed).toBeGreaterThan(0);
    }
  });

  it('returns the input as target when the source was augmented, and the augmented copy otherwise', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 10; seed++) {
      const r = selfBlend(img, lm, seed);
      seen.add(r.params.augmented);
      if (r.params.augmented === 'source') expect(same(r.target.data, img.data)).toBe(true);
      else {
        expect(same(r.target.data, applyAugment(img.data, H, W, r.params.augment))).toBe(true);
        expect(same(r.target.data, img.data)).toBe(false);
      }
      expect(r.target.data === img.data).toBe(false); // a copy, never the caller`s buffer
    }
    expect(seen.size).toBe(2);
    const onlySource = selfBlend(img, lm, 5, { augmentSourceProb: 1 });
    expect(onlySource.params.augmented).toBe('source');
    expect(same(onlySource.target.data, img.data)).toBe(true);
  });

  it('with blend ratio 0 gives the (augmented) target exactly', () => {
    for (const seed of [1, 2, 3]) {
      const r = selfBlend(img, lm, seed, { blendRatios: [0] });
      expect(r.params.blendRatio).toBe(0);
      expect(same(r.fake.data, r.target.data)).toBe(true);
      expect(r.mask.data.every((v) => v === 0)).toBe(true);
      expect(r.box.x1).toBeGreaterThan(r.box.x0); // the artifact box comes from the unscaled mask
    }
  });

  it('scales the mask by the blend ratio; the box bounds mask/ratio > threshold; the whole-image box follows', () => {
    for (const ratio of [0.25, 0.5, 1]) {
      const r = selfBlend(img, lm, 7, { blendRatios: [ratio] });
      let max = 0;
      let [x0, y0, x1, y1] = [W, H, -1, -1];
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const m = r.mask.data[y * W + x];
          max = Math.max(max, m);
          if (m / ratio > 0.5) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
        }
      }
      expect(max).toBeLessThanOrEqual(ratio);
      expect(max).toBeGreaterThan(ratio * 0.98);
      expect(r.box).toEqual({ x0, y0, x1: x1 + 1, y1: y1 + 1 });
      expect(r.boxes).toEqual([r.box, { x0: 0, y0: 0, x1: W, y1: H }]);
    }
    const loose = selfBlend(img, lm, 7, { boxThreshold: 0.05 });
    const tight = selfBlend(img, lm, 7, { boxThreshold: 0.95 });
    expect(loose.box.x0).toBeLessThan(tight.box.x0);
    expect(loose.box.y1).toBeGreaterThan(tight.box.y1);
  });

  it('keeps the mask within the affinely moved hull, dilated by the blur reach (elastic off)', () => {
    for (let seed = 0; seed < 6; seed++) {
      const r = selfBlend(img, lm, seed, { stg: { elasticAlpha: 0 }, foreheadProb: 0 });
      const hull = hullMask(H, W, lm, r.params.hullType);
      const moved = warpAffine(wrapImage(hull, H, W, 1), affineMatrices(r.params.affine, W, H).forward, W, H, {
        interpolation: 'nearest',
      }).data;
      const [sw, sh] = r.params.mask.size;
      const reach = Math.ceil((r.params.mask.blurKernel >> 1) * Math.max(W / sw, H / sh)) + 2;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const m = r.mask.data[y * W + x];
          if (m === 0) continue;
          let near = false;
          for (let dy = -reach; dy <= reach && !near; dy++) {
            for (let dx = -reach; dx <= reach && !near; dx++) {
              const [yy, xx] = [y + dy, x + dx];
              near = yy >= 0 && yy < H && xx >= 0 && xx < W && moved[yy * W + xx] === 1;
            }
          }
          if (!near) expect.fail(`seed ${seed}: mask ${m} at (${x}, ${y}) is more than ${reach} px from the moved hull`);
          // full weight only inside the moved hull (up to the resize round trip)
          if (m === r.params.blendRatio && !(moved[y * W + x] || moved[y * W + x + 1] || moved[y * W + x - 1])) {
            expect.fail(`seed ${seed}: full weight at (${x}, ${y}) outside the moved hull`);
          }
        }
      }
    }
  });

  it('uses the forehead points for facehull only, from the arc or from dlib-81 input', () => {
    const plain = selfBlend(img, lm, 3, { hullTypes: ['facehull'], foreheadProb: 0 });
    const arc = selfBlend(img, lm, 3, { hullTypes: ['facehull'], foreheadProb: 1 });
    expect(plain.params.forehead).toBe(false);
    expect(arc.params.forehead).toBe(true);
    expect(arc.box.y0).toBeLessThan(plain.box.y0 - 5);
    // 81 points: the 13 extra ones are used as given
    const lm81 = new Float32Array(162);
    lm81.set(lm);
    for (let i = 0; i < 13; i++) [lm81[136 + 2 * i], lm81[137 + 2 * i]] = [40 + 2.5 * i, 8];
    const dlib = selfBlend(img, lm81, 3, { hullTypes: ['facehull'], foreheadProb: 1 });
    expect(dlib.box.y0).toBeLessThan(20);
  });

  it('draws SBI`s parameters with SBI`s frequencies', () => {
    const small = photo(64, 56, 3);
    const slm = templateLandmarks(28, 35, 32);
    const n = 400;
    let forehead = 0;
    let source = 0;
    let full = 0;
    const types = new Map<string, number>();
    const ratios = new Set<number>();
    let badAffine = 0;
    for (let seed = 0; seed < n; seed++) {
      const p = selfBlend(small, slm, 1000 + seed, { stg: { elasticAlpha: 0 } }).params;
      forehead += p.forehead ? 1 : 0;
      source += p.augmented === 'source' ? 1 : 0;
      full += p.blendRatio === 1 ? 1 : 0;
      ratios.add(p.blendRatio);
      types.set(p.hullType, (types.get(p.hullType) ?? 0) + 1);
      const a = p.affine;
      const ok =
        Math.abs(a.tx) <= 0.03 * 56 && Math.abs(a.ty) <= 0.015 * 64 && [a.scaleX, a.scaleY].every((s) => s >= 0.95 && s <= 1 / 0.95);
      if (!ok) badAffine++;
    }
    expect([...ratios].sort()).toEqual([0.25, 0.5, 0.75, 1]);
    expect(badAffine).toBe(0);
    // binomial 3-sigma bands
    expect(Math.abs(forehead / n - 0.75)).toBeLessThan(0.07);
    expect(Math.abs(source / n - 0.5)).toBeLessThan(0.08);
    expect(Math.abs(full / n - 0.5)).toBeLessThan(0.08);
    for (const t of HULL_TYPES) expect(Math.abs((types.get(t) ?? 0) / n - 0.25)).toBeLessThan(0.07);
  });

  it('rejects bad input with typed errors naming the problem', () => {
    expect(() => selfBlend(img, lm.subarray(0, 100), 1)).toThrow(SbiLandmarkError);
    const nan = lm.slice();
    nan[31] = NaN;
    expect(() => selfBlend(img, nan, 1)).toThrow(/landmark 15 y is not finite/);
    const out = lm.slice();
    out[2 * 16] = W + 3;
    expect(() => selfBlend(img, out, 1)).toThrow(/landmark 16 .* outside the 112x128 image/);
    const neg = lm.slice();
    neg[1] = -0.5;
    expect(() => selfBlend(img, neg, 1)).toThrow(SbiLandmarkError);
    expect(() => selfBlend(img, new Float32Array(136).fill(30), 1)).toThrow(SbiMaskError);
    expect(() => selfBlend(createImage(H, W, 1), lm, 1)).toThrow(SbiImageError);
    expect(() => selfBlend(wrapImage(new Float32Array(H * W * 3), H, W, 3) as unknown as ImageU8, lm, 1)).toThrow(SbiImageError);
    expect(() => selfBlend(img, lm, 1, { mask: { erodeKernel: [4, 8] } })).toThrow(SbiArgumentError);
    expect(() => selfBlend(img, lm, 1, { augmentSourceProb: 1.5 })).toThrow(/augmentSourceProb/);
    expect(() => selfBlend(img, lm, 1, { blendRatios: [] })).toThrow(SbiArgumentError);
    expect(() => selfBlend(img, lm, 1, { blendRatios: [1.2] })).toThrow(SbiArgumentError);
    expect(() => selfBlend(img, lm, 1, { hullTypes: ['nose' as never] })).toThrow(SbiArgumentError);
    expect(() => selfBlend(img, lm, 1, { stg: { scale: [1.1, 0.9] } })).toThrow(/stg.scale/);
    // a face far too small for its image vanishes in the 192-256 px mask resize
    const huge = createImage(2000, 2000, 3);
    expect(() => selfBlend(huge, templateLandmarks(1000, 1000, 3), 1, { stg: { elasticAlpha: 0 } })).toThrow(/mask vanished/);
  });

  it.skipIf(lfw == null)('makes a plausible fake of a real LFW face (shared data)', async () => {
    const entries = Object.entries(fixture.faces);
    const base = lfw as string;
    for (const [rel, points] of entries) {
      const face = await readImage(`${base}/${rel}`);
      const flm = Float32Array.from(points);
      const r = selfBlend(face, flm, 2024);
      const [h, w] = face.shape;
      // the artifact box sits on the face: it holds the nose tip and stays near the landmarks
      let [lx0, ly0, lx1, ly1] = [w, h, 0, 0];
      for (let i = 0; i < 68; i++) [lx0, ly0, lx1, ly1] = [Math.min(lx0, flm[2 * i]), Math.min(ly0, flm[2 * i + 1]), Math.max(lx1, flm[2 * i]), Math.max(ly1, flm[2 * i + 1])];
      const [nx, ny] = [flm[60], flm[61]];
      expect(r.box.x0 <= nx && nx < r.box.x1 && r.box.y0 <= ny && ny < r.box.y1, rel).toBe(true);
      const mx = 0.15 * (lx1 - lx0);
      const my = 0.35 * (ly1 - ly0); // the forehead may extend the box upwards
      expect(r.box.x0).toBeGreaterThanOrEqual(lx0 - mx);
      expect(r.box.x1).toBeLessThanOrEqual(lx1 + mx);
      expect(r.box.y0).toBeGreaterThanOrEqual(ly0 - my);
      expect(r.box.y1).toBeLessThanOrEqual(ly1 + 0.15 * (ly1 - ly0));
      // the fake differs from its real counterpart, and only around the face
      let diff = 0;
      let far = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          if (r.fake.data[3 * (y * w + x)] !== r.target.data[3 * (y * w + x)]) {
            diff++;
            if (!(x >= lx0 - 40 && x <= lx1 + 40 && y >= ly0 - 60 && y <= ly1 + 40)) far++;
          }
        }
      }
      expect(far).toBe(0);
      expect(diff).toBeGreaterThan(0.03 * h * w);
    }
  });
});
