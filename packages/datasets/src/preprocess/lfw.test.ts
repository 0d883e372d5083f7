import { join } from 'node:path';
import { requireShared } from '@caddm/testkit';
import { tf } from '@caddm/tf';
import { describe, expect, it } from 'vitest';
import { readImageFile } from '../io/read-image.js';
import { readIdentityFolders } from '../readers/identity.js';
import { tempDir } from '../testing/fixtures.js';
import { faceApiDetector } from './detector.js';
import { loadManifest } from './manifest.js';
import { preprocess } from './preprocess.js';

// The LFW photos of the shared folder (fails under CI=true when missing, skipped with a message otherwise).
const LFW = requireShared('faces/lfw');

describe.skipIf(LFW == null)('preprocess on real photos (20 LFW identities, face-api landmarks)', () => {
  it('finds 68 landmarks on (nearly) every photo, writes the manifest, and resumes', async () => {
    const ds = readIdentityFolders(LFW as string, { maxIdentities: 20, maxImages: 1, name: 'lfw' });
    expect(ds.entries.length).toBe(20);
    const out = tempDir('caddm-lfw-');
    const detector = faceApiDetector({ detector: 'tiny', inputSize: 224 });
    // Warm up (loads the model weights), then check that detection leaks no tensor.
    await detector.detect(await readImageFile(ds.entries[0].path), { entry: ds.entries[0], frameIndex: 0 });
    const before = tf.memory().numTensors;
    const s = await preprocess(ds, { out, frames: 1, detector, progress: false, forehead: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(s.processed).toBe(20);
    expect(s.failed).toEqual([]);
    const { videos } = loadManifest(join(out, 'manifest.jsonl'));
    const found = [...videos.values()].filter((v) => v.frames[0]?.landmarks !== null);
    expect(found.length).toBeGreaterThanOrEqual(18);
    for (const v of found) {
      const lm = v.frames[0].landmarks!;
      expect(lm.length).toBe(162); // 68 + 13 forehead points
      expect(v.identity).toBeTruthy();
      // LFW deep-funneled photos are 250x250 with the face in the middle: the nose tip (30) is near the centre.
      expect(Math.abs(lm[60] - 125)).toBeLessThan(40);
      expect(Math.abs(lm[61] - 125)).toBeLessThan(40);
    }
    // Faces not found are reported by file, never dropped.
    expect(s.noFace.length).toBe(20 - found.length);
    const again = await preprocess(ds, { out, frames: 1, detector, progress: false, forehead: true });
    expect(again.resumed).toBe(20);
    expect(again.processed).toBe(0);
  });
});
