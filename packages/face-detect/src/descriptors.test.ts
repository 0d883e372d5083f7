import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { contiguous, decodeImage, resize, type ImageU8 } from '@caddm/image';
import { initBackend, tf } from '@caddm/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectFaces, loadFaceModels } from './detect.js';

/** Two faces of one of the sample photos face-api ships (MIT), each cropped twice (different framing, one mirrored). */
let crops: ImageU8[] = [];
beforeAll(async () => {
  await initBackend({ quiet: true });
  await loadFaceModels({ descriptors: true });
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo/sample1.jpg');
  const img = await decodeImage(new Uint8Array(readFileSync(file)), {}, file);
  const crop = (x: number, y: number, s: number, mirror = false) => {
    let v = img.lo(y, x, 0).hi(s, s, 3);
    if (mirror) v = v.step(1, -1, 1);
    return resize(contiguous(v) as ImageU8, 250, 250, { interpolation: 'area' }) as ImageU8;
  };
  // Face boxes (x, y, w) as the tiny detector finds them: (776, 445, 313) and (336, 396, 306).
  crops = [crop(620, 290, 626), crop(680, 320, 560, true), crop(183, 243, 612), crop(230, 270, 560, true)];
}, 60_000);

describe('identity descriptors', () => {
  it('places two photos of one face closer than photos of two faces, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const d = await Promise.all(crops.map(async (c) => (await detectFaces(c, { descriptors: true }))[0]?.descriptor));
    expect(tf.memory().numTensors).toBe(before);
    for (const v of d) expect(v?.length).toBe(128);
    const dist = (a: number, b: number) => Math.hypot(...(d[a] as Float32Array).map((x, i) => x - (d[b] as Float32Array)[i]));
    // face-api's rule of thumb: the same person below about 0.6.
    expect(dist(0, 1)).toBeLessThan(0.6);
    expect(dist(2, 3)).toBeLessThan(0.6);
    expect(Math.min(dist(0, 2), dist(0, 3), dist(1, 2), dist(1, 3))).toBeGreaterThan(Math.max(dist(0, 1), dist(2, 3)));
    // Without the option, no descriptor is computed.
    expect((await detectFaces(crops[0]))[0].descriptor).toBeUndefined();
  }, 120_000);
});
