/**
 * Synthetic face frames for tests and benchmarks: a smooth background and a face
 * (the hull of a placed 68-point template) with its own colour, texture, eyes and
 * mouth. A "source" made with the same geometry and another seed plays the original
 * frame a fake was made from.
 */
import { templateLandmarks } from '@caddm/face';
import { convexHull, createImage, createRng, fillPolygon, type ImageU8 } from '@caddm/image';

/** A frame and its 68 landmarks. */
export interface SyntheticFrame {
  /** RGB uint8 frame */
  image: ImageU8;
  /** flat 68 landmarks */
  landmarks: Float32Array;
}

/**
 * Paints a face at the template geometry `(cx, cy, size, rotation)` on a `h x w` frame.
 * `seed` changes colours and texture, not geometry.
 */
export function syntheticFrame(seed: number, h = 256, w = 256, geometry = { cx: 128, cy: 118, size: 120, rotation: 5 }): SyntheticFrame {
  const rng = createRng(seed);
  const lm = templateLandmarks(geometry.cx, geometry.cy, geometry.size, geometry.rotation);
  const img = createImage(h, w, 3);
  const bg = [rng.int(40, 200), rng.int(40, 200), rng.int(40, 200)];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < 3; k++) img.data[(y * w + x) * 3 + k] = Math.max(0, Math.min(255, bg[k] + ((x + 2 * y) % 37) - 18));
    }
  }
  const pts = (from: number, to: number): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    for (let i = from; i <= to; i++) out.push([lm[2 * i], lm[2 * i + 1]]);
    return out;
  };
  // Face: hull of all points grown upwards a little (a forehead).
  const face = pts(0, 67);
  const [fx, fy] = [geometry.cx, geometry.cy - geometry.size * 0.55];
  face.push([fx, fy], [fx - geometry.size * 0.35, fy + geometry.size * 0.05], [fx + geometry.size * 0.35, fy + geometry.size * 0.05]);
  const skin = [rng.int(120, 240), rng.int(80, 200), rng.int(60, 180)];
  const faceMask = createImage(h, w, 1);
  fillPolygon(faceMask, convexHull(face), 255);
  const tex = rng.uniform(4, 12);
  for (let i = 0; i < h * w; i++) {
    if (faceMask.data[i] === 0) continue;
    const x = i % w;
    const y = (i - x) / w;
    const t = 20 * Math.sin(x / tex + seed) * Math.cos(y / (tex * 1.3)) + rng.uniform(-6, 6);
    for (let k = 0; k < 3; k++) img.data[i * 3 + k] = Math.max(0, Math.min(255, skin[k] + t));
  }
  const dark = [rng.int(0, 60), rng.int(0, 60), rng.int(0, 60)];
  fillPolygon(img, convexHull(pts(36, 41)), dark);
  fillPolygon(img, convexHull(pts(42, 47)), dark);
  fillPolygon(img, convexHull(pts(48, 59)), [rng.int(120, 200), 40, 50]);
  fillPolygon(img, convexHull(pts(27, 35)), skin.map((v) => v - 25));
  return { image: img, landmarks: lm };
}
