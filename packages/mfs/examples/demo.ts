/**
 * MFS demo: global and partial swaps between two LFW faces, with their artifact
 * boxes drawn, written as PNGs to `out/mfs-demo/` at the repo root (git-ignored).
 *
 *   pnpm build && npx tsx packages/mfs/examples/demo.ts [personA/photo.jpg personB/photo.jpg]
 *
 * Reads `../shared/faces/lfw` (relative to the repo root); detects 68 landmarks with
 * face-api; aligns both faces to 224x224 (the reference's test-time alignment); then
 * 1. swaps on the aligned canvases directly (globalSwap / partialSwap with each window),
 * 2. runs the full training sampler (jittered alignment + reference policy) with B's
 *    face warped into A's frame as the "source" frame.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { align5p, withForehead } from '@caddm/face';
import { detectLandmarks } from '@caddm/face-detect';
import {
  createImage,
  createRng,
  drawRect,
  invert3x3,
  multiply3x3,
  readImage,
  warpPerspective,
  writeImage,
  type ImageU8,
} from '@caddm/image';
import { globalSwap, MfsSampler, partialSwap, type Box } from '@caddm/mfs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const lfw = resolve(root, '../shared/faces/lfw');
const outDir = join(root, 'out/mfs-demo');
if (!existsSync(lfw)) {
  console.error(`no LFW photos at ${lfw}`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
const [pa, pb] = process.argv.slice(2, 4).length === 2
  ? process.argv.slice(2, 4)
  : ['Colin_Powell/Colin_Powell_0005.jpg', 'Angelina_Jolie/Angelina_Jolie_0003.jpg'];

function boxed(img: ImageU8, boxes: Box[], colours: number[][] = [[255, 255, 0], [255, 0, 0]]): ImageU8 {
  const copy = createImage(img.shape[0], img.shape[1], 3);
  copy.data.set(img.data);
  boxes.forEach((b, i) => drawRect(copy, { x0: b.x0, y0: b.y0, x1: b.x1 - 1, y1: b.y1 - 1 }, colours[Math.min(i, colours.length - 1)], 2));
  return copy;
}

/** Tiles same-sized images into one row-major grid. */
function grid(images: ImageU8[], cols: number): ImageU8 {
  const [h, w] = images[0].shape;
  const rows = Math.ceil(images.length / cols);
  const out = createImage(rows * (h + 4), cols * (w + 4), 3);
  out.data.fill(32);
  images.forEach((im, i) => {
    const ox = (i % cols) * (w + 4);
    const oy = Math.floor(i / cols) * (h + 4);
    for (let y = 0; y < h; y++) out.data.set(im.data.subarray(y * w * 3, (y + 1) * w * 3), ((oy + y) * out.shape[1] + ox) * 3);
  });
  return out;
}

const A = await readImage(join(lfw, pa));
const B = await readImage(join(lfw, pb));
const lmA = await detectLandmarks(A, { source: pa });
const lmB = await detectLandmarks(B, { source: pb });
const a = align5p(A, lmA);
const b = align5p(B, lmB);
const pts = withForehead(a.landmarks);
const tiles: ImageU8[] = [a.image as ImageU8, b.image as ImageU8];
const save = async (name: string, img: ImageU8): Promise<void> => writeImage(join(outDir, name), img);
await save('a-aligned.png', a.image as ImageU8);
await save('b-aligned.png', b.image as ImageU8);

// Landmarks and the forehead arc on A.
const marks = createImage(224, 224, 3);
marks.data.set((a.image as ImageU8).data);
for (let i = 0; i < pts.length; i += 2) {
  const x = Math.round(pts[i]);
  const y = Math.round(pts[i + 1]);
  drawRect(marks, { x0: x - 1, y0: y - 1, x1: x + 1, y1: y + 1 }, i >= 136 ? [0, 255, 255] : [0, 255, 0]);
}
await save('a-landmarks.png', marks);
tiles.push(marks);

const rng = createRng(7);
for (const [name, opts] of [
  ['global-poisson', { blend: 'poisson' as const }],
  ['global-alpha', { blend: 'alpha' as const }],
  ['global-elastic-alpha', { blend: 'alpha' as const, elastic: { alpha: 400, sigma: 0.08 * 224, rng } }],
] as const) {
  const r = globalSwap(a.image as ImageU8, b.image as ImageU8, pts, opts);
  console.log(name, r.poisson ? `Poisson: ${r.poisson.iterations} iterations, residual ${r.poisson.residual.toExponential(2)}` : '');
  const img = boxed(r.image, [r.box]);
  await save(`${name}.png`, img);
  tiles.push(img);
}
for (const window of [[40, 80], [80, 120], [120, 160]] as const) {
  for (const blend of ['poisson', 'alpha'] as const) {
    const r = partialSwap(a.image as ImageU8, b.image as ImageU8, pts, { window, blend });
    const name = `partial-${window.join('x')}-${blend}`;
    if (!r.accepted) {
      console.log(name, 'rejected:', r.reason);
      continue;
    }
    console.log(name, 'box', JSON.stringify(r.box), 'changed', r.changed);
    const img = boxed(r.image, [{ x0: 0, y0: 0, x1: 224, y1: 224 }, r.box]);
    await save(`${name}.png`, img);
    tiles.push(img);
  }
}

// The training sampler: B's face warped into A's frame plays A's source frame.
const H = multiply3x3(invert3x3(a.matrix), b.matrix);
const sourceInA = warpPerspective(B, H, A.shape[1], A.shape[0]) as ImageU8;
const sampler = new MfsSampler();
const srng = createRng(2024);
for (let i = 0; i < 6; i++) {
  const s = sampler.sample({ frame: A, source: sourceInA, landmarks: lmA, label: 1 }, srng);
  if (!s.accepted) {
    console.log(`sample ${i}: rejected (${s.reason})`);
    continue;
  }
  const what = `${s.kind}${s.direction ? `-${s.direction}` : ''}${s.window ? `-${s.window.join('x')}` : ''}${s.blend ? `-${s.blend}` : ''}`;
  console.log(`sample ${i}: ${what}, boxes ${JSON.stringify(s.boxes)}`);
  const img = boxed(s.image, s.boxes);
  await save(`sample-${i}-${what}.png`, img);
  tiles.push(img);
}
await save('grid.png', grid(tiles, 5));
console.log(`wrote ${tiles.length} images and grid.png to ${outDir}`);
