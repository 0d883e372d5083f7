import { join } from 'node:path';
import { createImage, readImage, type ImageU8 } from '@caddm/image';
import { initBackend, tf } from '@caddm/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { alignMatrix, FaceArgumentError, fivePoints, mapPoints, meanFace5, NoFaceFoundError } from '@caddm/face';
import { requireShared } from '@caddm/testkit';
import { detectFaces, detectLandmarks, loadFaceModels } from './detect.js';

const lfw = requireShared('faces/lfw');
const PHOTOS = ['Abdullah_Gul/Abdullah_Gul_0001.jpg', 'Angelina_Jolie/Angelina_Jolie_0003.jpg', 'Colin_Powell/Colin_Powell_0005.jpg'];

describe.skipIf(lfw == null)('detectFaces on LFW photos (face-api, shared tfjs)', () => {
  const images = new Map<string, ImageU8>();
  beforeAll(async () => {
    await initBackend();
    await loadFaceModels();
    for (const p of PHOTOS) images.set(p, await readImage(join(lfw as string, p)));
  });

  it('finds one centred face per photo with 68 plausible landmarks and leaks no tensors', async () => {
    for (const p of PHOTOS) {
      const img = images.get(p) as ImageU8;
      const before = tf.memory().numTensors;
      const faces = await detectFaces(img);
      expect(tf.memory().numTensors).toBe(before);
      expect(faces.length).toBeGreaterThanOrEqual(1);
      const f = faces[0];
      expect(f.score).toBeGreaterThan(0.5);
      expect(f.landmarks68).toBeInstanceOf(Float32Array);
      expect(f.landmarks68.length).toBe(136);
      const lm = f.landmarks68;
      const P = (i: number): [number, number] => [lm[2 * i], lm[2 * i + 1]];
      // LFW deep-funneled photos are 250x250 with the face in the middle.
      const [nx, ny] = P(30);
      expect(Math.abs(nx - 125)).toBeLessThan(25);
      expect(Math.abs(ny - 125)).toBeLessThan(30);
      // Layout: eyes above the nose tip above the mouth above the chin; left parts left of right parts.
      const five = fivePoints(lm, { truncateEyes: false });
      expect(five[0]).toBeLessThan(five[2]);
      expect(five[1]).toBeLessThan(ny);
      expect(ny).toBeLessThan(P(51)[1]);
      expect(P(57)[1]).toBeLessThan(P(8)[1]);
      expect(P(48)[0]).toBeLessThan(P(54)[0]);
      // The box contains the nose tip.
      expect(nx).toBeGreaterThan(f.box.x);
      expect(nx).toBeLessThan(f.box.x + f.box.width);
      // Aligned, the five points land within a few pixels of the mean face.
      const got = fivePoints(mapPoints(alignMatrix(lm), lm), { truncateEyes: false });
      const mf = meanFace5(80, 224, 0.9);
      for (let i = 0; i < 10; i++) expect(Math.abs(got[i] - mf[i])).toBeLessThan(12);
    }
  });

  it('detectLandmarks returns the best face, and names the image when there is none', async () => {
    const img = images.get(PHOTOS[0]) as ImageU8;
    const lm = await detectLandmarks(img, { source: PHOTOS[0] });
    expect(lm.length).toBe(136);
    const blank = createImage(120, 120, 3);
    blank.data.fill(128);
    const err = await detectLandmarks(blank, { source: 'blank.png' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoFaceFoundError);
    expect((err as NoFaceFoundError).source).toBe('blank.png');
    expect((err as Error).message).toContain('blank.png');
  });

  it('rejects bad options before running the model', async () => {
    const img = images.get(PHOTOS[0]) as ImageU8;
    await expect(detectFaces(img, { inputSize: 100 })).rejects.toThrow(FaceArgumentError);
    await expect(detectFaces(img, { minScore: 2 })).rejects.toThrow(FaceArgumentError);
    await expect(detectFaces(createImage(8, 8, 2), {})).rejects.toThrow(FaceArgumentError);
  });
});
