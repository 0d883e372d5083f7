import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng, wrapImage, writeImage, type ImageU8 } from '@caddm/image';
import { templateLandmarks } from '@caddm/face';
import { DatasetError } from '../errors.js';
import { tempDir } from '../testing/fixtures.js';
import { sampleIdentity } from './face-model.js';
import { generateBenchmark, type BenchmarkProfile } from './generate.js';
import { dealPhotos, loadPhotoPeople, MIN_PHOTO_PEOPLE, photoSplitSizes, type PhotoFaceAnalyzer } from './photos.js';
import { renderFace, sampleScene } from './render.js';

const key = (img: ImageU8) => createHash('sha1').update(img.data).digest('hex');

/**
 * A folder of procedural people saved as photos (`<identity>/<image>.png`), and an analyzer
 * that knows their landmarks (by the pixels it is shown) and gives a descriptor of the
 * face's colour; a black image has no face. Real faces and face-api: the trainer's tests.
 */
async function proceduralFolder(dir: string, people: number, photos: number): Promise<PhotoFaceAnalyzer> {
  const known = new Map<string, Float32Array>();
  for (let i = 0; i < people; i++) {
    const id = sampleIdentity(createRng(100 + i), i);
    for (let k = 0; k < photos; k++) {
      const rng = createRng(1000 * i + k);
      const scene = sampleScene(rng, 120, 120);
      const pose = { yaw: rng.uniform(-0.2, 0.2), pitch: 0, roll: 0, scale: 26, cx: 60, cy: 54 };
      const r = renderFace(id, { open: 0, smile: 0, brow: 0, blink: 0, gazeX: 0 }, pose, scene);
      const img = wrapImage(Uint8Array.from(r.canvas.data, (v) => Math.max(0, Math.min(255, Math.round(v)))), 120, 120, 3);
      known.set(key(img), r.landmarks);
      mkdirSync(join(dir, `person-${i}`), { recursive: true });
      await writeImage(join(dir, `person-${i}`, `photo-${k}.png`), img);
    }
  }
  return {
    name: 'test',
    analyse: async (img) => {
      if (img.data.every((v) => v === 0)) return [];
      const [h, w] = img.shape;
      const mean = [0, 1, 2].map((c) => {
        let s = 0;
        for (let y = Math.floor(h * 0.35); y < h * 0.6; y++) for (let x = Math.floor(w * 0.4); x < w * 0.6; x++) s += img.get(y, x, c);
        return s / (255 * Math.ceil(h * 0.25) * Math.ceil(w * 0.2));
      });
      return [{ landmarks68: known.get(key(img)) ?? templateLandmarks(w / 2, h * 0.45, w * 0.45), descriptor: Float32Array.from(mean) }];
    },
  };
}

describe('real-face benchmark from an identity folder', () => {
  it('deals people to person-disjoint splits sized by the folder, and says what is missing below the minimum', () => {
    for (const n of [60, 61, 158, 400]) {
      const s = photoSplitSizes(n, 'train', 'x');
      expect([s.train, s.val, s.test, s.cross].every((v) => v % 2 === 0 && v > 0)).toBe(true);
      expect(s.train + s.val + s.test + s.cross).toBeLessThanOrEqual(n);
      expect(s.train + s.val + s.test + s.cross).toBeGreaterThanOrEqual(n - 1);
    }
    expect(photoSplitSizes(11, 'eval', 'x')).toEqual({ train: 0, val: 0, test: 10, cross: 10 });
    expect(() => photoSplitSizes(46, 'train', 'lfw46')).toThrow(DatasetError);
    expect(() => photoSplitSizes(46, 'train', 'lfw46')).toThrow(/^lfw46: 46 people with at least 2 photos in which a face is found; a training benchmark needs at least 60 .*evaluate only \(caddm eval --faces DIR\)$/);
    expect(() => photoSplitSizes(MIN_PHOTO_PEOPLE.eval - 1, 'eval', 'few')).toThrow(/^few: 9 people .*an evaluation set needs at least 10/);
  });

  it('uses every photo with a face: dealt to the videos in turn', async () => {
    const dir = tempDir('caddm-photos-deal-');
    const analyzer = await proceduralFolder(dir, 2, 5);
    // A photo without a face, and a person left with one usable photo.
    await writeImage(join(dir, 'person-0', 'photo-9.png'), wrapImage(new Uint8Array(120 * 120 * 3), 120, 120, 3));
    mkdirSync(join(dir, 'lonely'));
    await writeImage(join(dir, 'lonely', 'only.png'), wrapImage(new Uint8Array(120 * 120 * 3).fill(90), 120, 120, 3));
    const r = await loadPhotoPeople(dir, analyzer);
    expect(r.people.map((p) => [p.identity, p.photos.length])).toEqual([['lonely', 1], ['person-0', 5], ['person-1', 5]].filter(([, n]) => (n as number) >= 2));
    expect(r.skipped.map((s) => s.reason)).toEqual(expect.arrayContaining(['no face found', '1 photo(s) with a face, fewer than the 2 a person needs']));
    expect(r.usable).toBe(11);
    const dealt = dealPhotos(r.people[0], 2);
    expect(dealt.map((v) => v.length)).toEqual([3, 2]);
    expect(new Set(dealt.flat().map((p) => p.path)).size).toBe(5);
  });

  it('generates an evaluation set of everyone: test split, then the same people in the cross part with random and most-similar donors', async () => {
    const dir = tempDir('caddm-photos-people-');
    const out = tempDir('caddm-photos-bench-');
    const analyzer = await proceduralFolder(dir, 10, 3);
    const lines: string[] = [];
    const profile: BenchmarkProfile = { size: 64, frames: 3, identities: { train: 0, val: 0, test: 0 }, crossIdentities: 0, videosPerIdentity: 2 };
    const r = await generateBenchmark({ out, seed: 3, profile, format: 'frames', faces: { identityDir: dir, analyzer, use: 'eval', size: 96, log: (l) => lines.push(l) } });
    const rep = r.photoReport!;
    expect(rep).toMatchObject({ people: 10, photos: 30, usablePhotos: 30, frameSize: 96, use: 'eval', splits: { train: 0, val: 0, test: 10, cross: 10 } });
    expect(r.crossSimilarRoot).toBeDefined();
    const ids = JSON.parse(readFileSync(join(r.ffppRoot, 'identities.json'), 'utf8')).videos as Record<string, string>;
    expect(Object.keys(ids)).toHaveLength(20);
    // Named from 5000, apart from any procedural benchmark's videos.
    expect(Object.keys(ids).sort()[0]).toBe('5000');
    expect(new Set(Object.values(ids))).toEqual(new Set(Array.from({ length: 10 }, (_, i) => `person-${i}`)));
    expect(JSON.parse(readFileSync(join(r.crossRoot, 'identities.json'), 'utf8')).videos).toEqual(ids);
    // Every fake of each in-domain method is listed in the test split; frames are 96 px.
    const test = JSON.parse(readFileSync(join(r.ffppRoot, 'splits/test.json'), 'utf8')) as Array<[string, string]>;
    expect(test).toHaveLength(10);
    for (const [a, b] of test) expect(existsSync(join(r.ffppRoot, 'manipulated_sequences/FaceSwap/c23/videos', `${a}_${b}`, '0002.png'))).toBe(true);
    // Checked again: every first frame (the analyzer finds them all), per method, with descriptor distances for fakes.
    expect(rep.faceFound).toEqual({ frames: rep.resemblance.reduce((a, x) => a + x.checked, 0), found: rep.faceFound.frames, rate: 1 });
    const fs = rep.resemblance.find((x) => x.part === 'ffpp' && x.method === 'FaceSwap')!;
    expect(fs.checked).toBe(20);
    expect(fs.toDonor).toBeGreaterThanOrEqual(0);
    expect(rep.resemblance.find((x) => x.method === 'original')!.toDonor).toBeNull();
    const bench = JSON.parse(readFileSync(join(out, 'benchmark.json'), 'utf8'));
    expect(bench.faces).toBe('photos');
    expect(bench.photos.people).toBe(10);
    expect(lines.some((l) => /photos analysed/.test(l))).toBe(true);
    expect(lines.some((l) => /^warning/.test(l))).toBe(false);
  }, 120_000);

  it('warns when the detector misses faces in the generated frames, and refuses a folder too small to train on', async () => {
    const dir = tempDir('caddm-photos-small-');
    const inner = await proceduralFolder(dir, 10, 2);
    let calls = 0;
    // Finds every photo, then only every other generated frame.
    const flaky: PhotoFaceAnalyzer = { name: 'flaky', analyse: async (img) => (++calls > 20 && calls % 2 ? [] : inner.analyse(img)) };
    const lines: string[] = [];
    const profile: BenchmarkProfile = { size: 48, frames: 2, identities: { train: 0, val: 0, test: 0 }, crossIdentities: 0, videosPerIdentity: 2 };
    const r = await generateBenchmark({ out: tempDir('caddm-photos-warn-'), seed: 1, profile, format: 'frames', faces: { identityDir: dir, analyzer: flaky, use: 'eval', size: 48, log: (l) => lines.push(l) } });
    expect(r.photoReport!.faceFound.rate).toBeLessThan(0.95);
    expect(lines.filter((l) => l.startsWith('warning'))).toEqual([expect.stringMatching(/^warning: the face detector finds the face in only \d+\.\d% of \d+ generated frames checked \(want 95% or more\)/)]);
    await expect(generateBenchmark({ out: tempDir('caddm-photos-train-'), profile, format: 'frames', faces: { identityDir: dir, analyzer: inner } })).rejects.toThrow(
      /10 people with at least 2 photos in which a face is found.*a training benchmark needs at least 60/,
    );
  }, 120_000);
});
