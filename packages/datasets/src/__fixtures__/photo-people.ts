/**
 * A small identity folder of real faces for tests, made at test time from the sample
 * photos that `@vladmandic/face-api` ships (MIT): each face of those group photos is a
 * "person", and its photos are three crops of that face (as found, shifted and
 * narrowed, mirrored), 250 px square as LFW's. Never the shared LFW folder.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { contiguous, decodeImage, resize, writeImage, type ImageU8 } from '@caddm/image';

/** Face boxes (x, y, width) that face-api's tiny detector finds in the samples. */
const FACES: ReadonlyArray<readonly [string, number, number, number]> = [
  ['sample1.jpg', 776, 445, 313], ['sample1.jpg', 1422, 215, 307], ['sample1.jpg', 336, 396, 306],
  ['sample2.jpg', 1403, 174, 276],
  ['sample3.jpg', 1005, 252, 324], ['sample3.jpg', 525, 370, 314], ['sample3.jpg', 1445, 342, 290],
  ['sample4.jpg', 625, 98, 253], ['sample4.jpg', 225, 235, 274], ['sample4.jpg', 925, 226, 267],
  ['sample5.jpg', 314, 897, 315], ['sample5.jpg', 1346, 418, 304], ['sample5.jpg', 534, 436, 285], ['sample5.jpg', 1058, 242, 279], ['sample5.jpg', 735, 134, 236],
  ['sample6.jpg', 616, 378, 295], ['sample6.jpg', 1092, 360, 295], ['sample6.jpg', 187, 518, 335],
];

/** How many people {@link writePhotoPeople} can make. */
export const PHOTO_PEOPLE_MAX = FACES.length;

function crop(img: ImageU8, cx: number, cy: number, side: number, mirror: boolean): ImageU8 {
  const [H, W] = img.shape;
  const s = Math.min(Math.round(side), W, H);
  const x0 = Math.max(0, Math.min(W - s, Math.round(cx - s / 2)));
  const y0 = Math.max(0, Math.min(H - s, Math.round(cy - s / 2)));
  let view = img.lo(y0, x0, 0).hi(s, s, 3);
  if (mirror) view = view.step(1, -1, 1);
  return resize(contiguous(view) as ImageU8, 250, 250, { interpolation: 'area' }) as ImageU8;
}

/**
 * Writes `<dir>/person-NN/photo-K.png` for `people` people (at most
 * {@link PHOTO_PEOPLE_MAX}) with `photos` photos each (at most 3). Returns `dir`.
 */
export async function writePhotoPeople(dir: string, people: number, photos = 3): Promise<string> {
  // face-api is face-detect's dependency (the workspace keeps it there).
  const require = createRequire(new URL('../../../face-detect/package.json', import.meta.url));
  const demo = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
  const decoded = new Map<string, ImageU8>();
  for (const [k, [file, x, y, w]] of FACES.slice(0, people).entries()) {
    if (!decoded.has(file)) decoded.set(file, await decodeImage(new Uint8Array(readFileSync(join(demo, file))), {}, file));
    const img = decoded.get(file) as ImageU8;
    const person = join(dir, `person-${String(k).padStart(2, '0')}`);
    mkdirSync(person, { recursive: true });
    const cx = x + w / 2;
    const cy = y + w / 2;
    const variants = [crop(img, cx, cy, 2 * w, false), crop(img, cx + 0.08 * w, cy - 0.05 * w, 1.8 * w, false), crop(img, cx, cy, 2.1 * w, true)];
    for (let i = 0; i < Math.min(3, photos); i++) await writeImage(join(person, `photo-${i}.png`), variants[i]);
  }
  return dir;
}
