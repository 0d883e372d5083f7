/**
 * Landmark-driven image operations for the benchmark's manipulations: a Delaunay
 * triangulation of the 68-point layout, a piecewise-affine warp between two landmark
 * sets, feathered hull masks, colour transfer and a Poisson (gradient-domain) blend.
 */
import { convexHull } from '@caddm/image';
import { TEMPLATE_FACE_68 } from '@caddm/face';
import { blurMap, polygonCoverage, sample, makeCanvas, type Canvas } from './raster.js';

/** Bowyer–Watson Delaunay triangulation of flat points; returns index triples. */
export function delaunay(pts: ArrayLike<number>): Int32Array {
  const n = pts.length / 2;
  const P: number[] = Array.from(pts);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, P[2 * i]); maxX = Math.max(maxX, P[2 * i]);
    minY = Math.min(minY, P[2 * i + 1]); maxY = Math.max(maxY, P[2 * i + 1]);
  }
  const dm = Math.max(maxX - minX, maxY - minY) * 20;
  const mx = (minX + maxX) / 2;
  const my = (minY + maxY) / 2;
  P.push(mx - dm, my - dm, mx + dm, my - dm, mx, my + dm);
  let tris: number[][] = [[n, n + 1, n + 2]];
  const circ = (t: number[], x: number, y: number): boolean => {
    const [ax, ay, bx, by, cx, cy] = [P[2 * t[0]] - x, P[2 * t[0] + 1] - y, P[2 * t[1]] - x, P[2 * t[1] + 1] - y, P[2 * t[2]] - x, P[2 * t[2] + 1] - y];
    const det = (ax * ax + ay * ay) * (bx * cy - cx * by) - (bx * bx + by * by) * (ax * cy - cx * ay) + (cx * cx + cy * cy) * (ax * by - bx * ay);
    const orient = (P[2 * t[1]] - P[2 * t[0]]) * (P[2 * t[2] + 1] - P[2 * t[0] + 1]) - (P[2 * t[1] + 1] - P[2 * t[0] + 1]) * (P[2 * t[2]] - P[2 * t[0]]);
    return orient > 0 ? det > 0 : det < 0;
  };
  for (let i = 0; i < n; i++) {
    const x = P[2 * i];
    const y = P[2 * i + 1];
    const bad = tris.filter((t) => circ(t, x, y));
    const edges = new Map<string, [number, number]>();
    for (const t of bad) {
      for (const [a, b] of [[t[0], t[1]], [t[1], t[2]], [t[2], t[0]]]) {
        const k = a < b ? `${a},${b}` : `${b},${a}`;
        if (edges.has(k)) edges.delete(k);
        else edges.set(k, [a, b]);
      }
    }
    tris = tris.filter((t) => !bad.includes(t));
    for (const [a, b] of edges.values()) tris.push([a, b, i]);
  }
  const out = tris.filter((t) => t.every((v) => v < n));
  return Int32Array.from(out.flat());
}

let faceTris: Int32Array | undefined;
/** The triangulation of the 68-point layout (computed once on `@caddm/face`'s template face). */
export function faceTriangles(): Int32Array {
  faceTris ??= delaunay(TEMPLATE_FACE_68);
  return faceTris;
}

/**
 * Warps `src` so that its landmarks `srcLm` land on `dstLm`, triangle by triangle
 * (bilinear sampling). Pixels outside the triangulated hull of `dstLm` keep `base`'s values;
 * `cover` (optional, `w*h`) receives 1 where the warp wrote.
 */
export function piecewiseWarp(src: Canvas, srcLm: ArrayLike<number>, dstLm: ArrayLike<number>, base: Canvas, cover?: Float32Array): Canvas {
  const out = { w: base.w, h: base.h, data: base.data.slice() };
  const tris = faceTriangles();
  const W = base.w;
  const H = base.h;
  for (let t = 0; t < tris.length; t += 3) {
    const [i, j, k] = [tris[t], tris[t + 1], tris[t + 2]];
    const x0 = dstLm[2 * i], y0 = dstLm[2 * i + 1], x1 = dstLm[2 * j], y1 = dstLm[2 * j + 1], x2 = dstLm[2 * k], y2 = dstLm[2 * k + 1];
    const den = (y1 - y2) * (x0 - x2) + (x2 - x1) * (y0 - y2);
    if (Math.abs(den) < 1e-9) continue;
    const bx0 = Math.max(0, Math.floor(Math.min(x0, x1, x2)));
    const bx1 = Math.min(W - 1, Math.ceil(Math.max(x0, x1, x2)));
    const by0 = Math.max(0, Math.floor(Math.min(y0, y1, y2)));
    const by1 = Math.min(H - 1, Math.ceil(Math.max(y0, y1, y2)));
    const sx0 = srcLm[2 * i], sy0 = srcLm[2 * i + 1], sx1 = srcLm[2 * j], sy1 = srcLm[2 * j + 1], sx2 = srcLm[2 * k], sy2 = srcLm[2 * k + 1];
    for (let y = by0; y <= by1; y++) {
      for (let x = bx0; x <= bx1; x++) {
        const a = ((y1 - y2) * (x - x2) + (x2 - x1) * (y - y2)) / den;
        const b = ((y2 - y0) * (x - x2) + (x0 - x2) * (y - y2)) / den;
        const c = 1 - a - b;
        if (a < -1e-6 || b < -1e-6 || c < -1e-6) continue;
        const sx = a * sx0 + b * sx1 + c * sx2;
        const sy = a * sy0 + b * sy1 + c * sy2;
        const o = (y * W + x) * 3;
        out.data[o] = sample(src, sx, sy, 0);
        out.data[o + 1] = sample(src, sx, sy, 1);
        out.data[o + 2] = sample(src, sx, sy, 2);
        if (cover) cover[y * W + x] = 1;
      }
    }
  }
  return out;
}

/**
 * A soft mask (0..1, `w*h`) of the convex hull of the given landmark points, shrunk
 * towards its centroid by `shrink` and feathered by a blur of `feather` pixels.
 */
export function hullMask(lm: ArrayLike<number>, idx: readonly number[], w: number, h: number, shrink = 1, feather = 2): Float32Array {
  let cx = 0;
  let cy = 0;
  for (const i of idx) {
    cx += lm[2 * i];
    cy += lm[2 * i + 1];
  }
  cx /= idx.length;
  cy /= idx.length;
  const pts = idx.map((i) => [cx + (lm[2 * i] - cx) * shrink, cy + (lm[2 * i + 1] - cy) * shrink] as [number, number]);
  const hull = convexHull(pts);
  const m = new Float32Array(w * h);
  polygonCoverage(hull.flat(), w, h, m);
  for (let i = 0; i < m.length; i++) m[i] = Math.min(1, m[i]);
  return feather > 0 ? blurMap(m, w, h, feather, 2) : m;
}

/** Reinhard colour transfer: matches `src`'s per-channel mean and std inside `mask` to `ref`'s. */
export function colourTransfer(src: Canvas, ref: Canvas, mask: Float32Array, strength = 1): Canvas {
  const out = { w: src.w, h: src.h, data: src.data.slice() };
  for (let k = 0; k < 3; k++) {
    let ws = 0, ms = 0, mr = 0;
    for (let i = 0; i < mask.length; i++) {
      const m = mask[i];
      if (m <= 0.5) continue;
      ws += 1;
      ms += src.data[i * 3 + k];
      mr += ref.data[i * 3 + k];
    }
    if (ws < 4) continue;
    ms /= ws;
    mr /= ws;
    let vs = 0, vr = 0;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] <= 0.5) continue;
      vs += (src.data[i * 3 + k] - ms) ** 2;
      vr += (ref.data[i * 3 + k] - mr) ** 2;
    }
    const g = Math.sqrt((vr + 1) / (vs + 1));
    for (let i = 0; i < mask.length; i++) {
      const v = src.data[i * 3 + k];
      const t = (v - ms) * g + mr;
      out.data[i * 3 + k] = v + (t - v) * strength;
    }
  }
  return out;
}

/** `a * mask + b * (1 - mask)` per pixel. */
export function alphaBlend(a: Canvas, b: Canvas, mask: Float32Array): Canvas {
  const out = makeCanvas(a.w, a.h);
  for (let i = 0; i < mask.length; i++) {
    const m = mask[i];
    for (let k = 0; k < 3; k++) out.data[i * 3 + k] = a.data[i * 3 + k] * m + b.data[i * 3 + k] * (1 - m);
  }
  return out;
}

/**
 * Poisson blend: inside the binary mask (`mask > 0.5`) the result has `src`'s gradients
 * and matches `dst` on the mask border (solved by successive over-relaxation on the
 * correction `f - src`, which is harmonic inside the mask).
 */
export function poissonBlend(src: Canvas, dst: Canvas, mask: Float32Array, iterations = 300): Canvas {
  const W = dst.w;
  const H = dst.h;
  const inside = new Uint8Array(W * H);
  for (let y = 1; y < H - 1; y++) for (let x = 1; x < W - 1; x++) if (mask[y * W + x] > 0.5) inside[y * W + x] = 1;
  const out = { w: W, h: H, data: dst.data.slice() };
  const corr = new Float32Array(W * H);
  const omega = 1.85;
  for (let k = 0; k < 3; k++) {
    for (let i = 0; i < W * H; i++) corr[i] = inside[i] ? 0 : dst.data[i * 3 + k] - src.data[i * 3 + k];
    for (let it = 0; it < iterations; it++) {
      for (let y = 1; y < H - 1; y++) {
        for (let x = 1; x < W - 1; x++) {
          const i = y * W + x;
          if (!inside[i]) continue;
          const avg = (corr[i - 1] + corr[i + 1] + corr[i - W] + corr[i + W]) * 0.25;
          corr[i] += omega * (avg - corr[i]);
        }
      }
    }
    for (let i = 0; i < W * H; i++) if (inside[i]) out.data[i * 3 + k] = src.data[i * 3 + k] + corr[i];
  }
  return out;
}
