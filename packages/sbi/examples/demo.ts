/**
 * Demo: Self-Blended Images of LFW faces.
 *
 *   node --conditions=@caddm/source --import tsx packages/sbi/examples/demo.ts [faces=8] [seedsPerFace=2]
 *
 * Reads the first photo of the first `faces` people of `../shared/faces/lfw` (repo-relative),
 * finds their 68 landmarks with face-api (`detectLandmarks` of `@caddm/face-detect`, on the shared
 * tfjs backend), makes SBI fakes and writes `out/sbi/grid.png` (git-ignored): one row per
 * sample with the target (real counterpart), the fake, 4x the absolute difference, the blend
 * mask, and the fake with the artifact box and the landmarks. `out/sbi/landmarks.json` keeps
 * the landmarks found.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NoFaceFoundError } from '@caddm/face';
import { detectLandmarks } from '@caddm/face-detect';
import { cloneImage, createImage, createRng, drawRect, readImage, writeImage, type ImageU8 } from '@caddm/image';
import { initBackend } from '@caddm/tf';
import { selfBlend } from '../src/index.js';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const lfw = resolve(root, '..', 'shared', 'faces', 'lfw');
const outDir = join(root, 'out', 'sbi');
const nFaces = Number(process.argv[2] ?? 8);
const seedsPerFace = Number(process.argv[3] ?? 2);

await initBackend();
const people = readdirSync(lfw).sort().slice(0, nFaces);
const tiles: ImageU8[][] = [];
const found: Record<string, number[]> = {};
let seed = 1;
for (const person of people) {
  // the first photo of this person in which the detector finds a face
  let file = '';
  let img: ImageU8 | undefined;
  let lm: Float32Array | undefined;
  for (const f of readdirSync(join(lfw, person)).sort()) {
    const candidate = await readImage(join(lfw, person, f));
    try {
      lm = await detectLandmarks(candidate, { source: f });
    } catch (e) {
      if (e instanceof NoFaceFoundError) continue;
      throw e;
    }
    [file, img] = [f, candidate];
    break;
  }
  if (!img || !lm) {
    console.log(`${person}: no face found in any photo, skipped`);
    continue;
  }
  found[file] = Array.from(lm, (v) => Math.round(v * 100) / 100);
  for (let s = 0; s < seedsPerFace; s++, seed++) {
    const r = selfBlend(img, lm, createRng(seed));
    const [h, w] = img.shape;
    const diff = createImage(h, w, 3);
    const mask = createImage(h, w, 3);
    for (let i = 0; i < h * w * 3; i++) diff.data[i] = Math.min(255, 4 * Math.abs(r.fake.data[i] - r.target.data[i]));
    for (let i = 0; i < h * w; i++) mask.data[3 * i] = mask.data[3 * i + 1] = mask.data[3 * i + 2] = Math.round(255 * r.mask.data[i]);
    const boxed = cloneImage(r.fake);
    drawRect(boxed, { x0: r.box.x0, y0: r.box.y0, x1: r.box.x1 - 1, y1: r.box.y1 - 1 }, [255, 0, 0], 2);
    for (let i = 0; i < 68; i++) {
      const x = Math.round(lm[2 * i]);
      const y = Math.round(lm[2 * i + 1]);
      boxed.set(y, x, 0, 0);
      boxed.set(y, x, 1, 255);
      boxed.set(y, x, 2, 0);
    }
    tiles.push([r.target, r.fake, diff, mask, boxed]);
    const p = r.params;
    console.log(
      `${file} seed ${seed}: ${p.hullType}${p.forehead ? '+forehead' : ''}, augmented ${p.augmented} (${p.augment.quality?.kind ?? 'no quality step'}), ` +
        `ratio ${p.blendRatio}, mask ${p.mask.size.join('x')} erode ${p.mask.erodeKernel} blur ${p.mask.blurKernel}/σ${p.mask.blurSigma}, box ${JSON.stringify(r.box)}`,
    );
  }
}
// grid: rows = samples, columns = target, fake, diff, mask, box
const th = tiles[0][0].shape[0];
const tw = tiles[0][0].shape[1];
const gap = 4;
const grid = createImage(tiles.length * (th + gap) - gap, 5 * (tw + gap) - gap, 3);
grid.data.fill(255);
tiles.forEach((row, r) =>
  row.forEach((t, c) => {
    for (let y = 0; y < th; y++) {
      const dst = ((r * (th + gap) + y) * grid.shape[1] + c * (tw + gap)) * 3;
      grid.data.set(t.data.subarray(y * tw * 3, (y + 1) * tw * 3), dst);
    }
  }),
);
mkdirSync(outDir, { recursive: true });
await writeImage(join(outDir, 'grid.png'), grid);
writeFileSync(join(outDir, 'landmarks.json'), JSON.stringify(found));
console.log(`wrote ${join(outDir, 'grid.png')} (${tiles.length} samples: target | fake | 4x|fake-target| | mask | fake+box+landmarks)`);
