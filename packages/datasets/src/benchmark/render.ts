/**
 * Draws a procedural face frame from an identity, expression, pose and scene. The
 * features are drawn from the projected 68 landmarks themselves (brows around the brow
 * points, eyes inside the eye contours, lips between the outer and inner mouth contours),
 * so the returned landmarks are exact by construction.
 */
import type { Rng } from '@caddm/image';
import { canonicalPoints, poseMatrix, projectPoints, type Expression, type Identity, type Pose } from './face-model.js';
import { fbm, fillPolygonAA, makeCanvas, polygonCoverage, type Canvas } from './raster.js';

/** What stays fixed over a video: background, lighting, camera noise. */
export interface Scene {
  /** Frame width. */
  width: number;
  /** Frame height. */
  height: number;
  /** Background colours. */
  bgA: [number, number, number];
  /** Background colours. */
  bgB: [number, number, number];
  /** Background gradient angle (radians). */
  bgAngle: number;
  /** Background texture seed. */
  bgSeed: number;
  /** Unit light direction (x right, y down, z towards the camera). */
  light: [number, number, number];
  /** Ambient light. */
  ambient: number;
  /** Diffuse strength. */
  diffuse: number;
  /** Camera noise standard deviation (0..255 scale), applied after any manipulation. */
  noise: number;
}

/** Samples a scene. */
export function sampleScene(rng: Rng, width: number, height: number): Scene {
  const c = (): [number, number, number] => [rng.uniform(30, 220), rng.uniform(30, 220), rng.uniform(30, 220)];
  const lx = rng.uniform(-0.7, 0.7);
  const ly = rng.uniform(-0.6, 0.2);
  const lz = Math.sqrt(Math.max(0.1, 1 - lx * lx - ly * ly));
  return {
    width, height, bgA: c(), bgB: c(), bgAngle: rng.uniform(0, Math.PI * 2), bgSeed: rng.int(0, 1 << 30),
    light: [lx, ly, lz], ambient: rng.uniform(0.45, 0.65), diffuse: rng.uniform(0.3, 0.55), noise: rng.uniform(1.5, 4),
  };
}

/** Scratch buffers for one frame size. */
interface Scratch {
  a: Float32Array;
  b: Float32Array;
}
const scratchBySize = new Map<number, Scratch>();
function scratchFor(n: number): Scratch {
  let s = scratchBySize.get(n);
  if (!s) {
    s = { a: new Float32Array(n), b: new Float32Array(n) };
    scratchBySize.set(n, s);
  }
  return s;
}

/** Least-squares 2-D affine taking canonical (x, y) to image points; returns its inverse [a b c; d e f]. */
function inverseAffine(p3: Float64Array, lm: Float32Array): Float64Array {
  const n = lm.length / 2;
  // Normal equations for [x y 1] -> u and -> v.
  let sxx = 0, sxy = 0, sx = 0, syy = 0, sy = 0;
  let sux = 0, suy = 0, su = 0, svx = 0, svy = 0, sv = 0;
  for (let i = 0; i < n; i++) {
    const x = p3[3 * i];
    const y = p3[3 * i + 1];
    const u = lm[2 * i];
    const v = lm[2 * i + 1];
    sxx += x * x; sxy += x * y; sx += x; syy += y * y; sy += y;
    sux += u * x; suy += u * y; su += u; svx += v * x; svy += v * y; sv += v;
  }
  const M = [sxx, sxy, sx, sxy, syy, sy, sx, sy, n];
  const inv3 = (m: number[]): number[] => {
    const [a, b, c, d, e, f, g, h, k] = m;
    const A = e * k - f * h, B = -(d * k - f * g), C = d * h - e * g;
    const det = a * A + b * B + c * C;
    return [A / det, -(b * k - c * h) / det, (b * f - c * e) / det, B / det, (a * k - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
  };
  const Mi = inv3(M);
  const solve = (r: number[]): number[] => [0, 1, 2].map((i) => Mi[i * 3] * r[0] + Mi[i * 3 + 1] * r[1] + Mi[i * 3 + 2] * r[2]);
  const [a, b, c] = solve([sux, suy, su]);
  const [d, e, f] = solve([svx, svy, sv]);
  const det = a * e - b * d;
  return Float64Array.of(e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det);
}

function proj(pose: Pose, R: Float64Array, pts: number[]): Float32Array {
  return projectPoints(pts, pose, R);
}

/** Canonical polygon of an ellipse arc. */
function arc(cx: number, cy: number, rx: number, ry: number, t0: number, t1: number, n: number, z: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= n; i++) {
    const t = t0 + ((t1 - t0) * i) / n;
    out.push(cx + rx * Math.cos(t), cy + ry * Math.sin(t), z);
  }
  return out;
}

function sub(lm: Float32Array, idx: number[]): number[] {
  const o: number[] = [];
  for (const i of idx) o.push(lm[2 * i], lm[2 * i + 1]);
  return o;
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** A rendered frame: the clean image (no camera noise) and its exact 68 landmarks. */
export interface RenderedFrame {
  /** Float RGB canvas. */
  canvas: Canvas;
  /** Flat `[x, y] x 68` landmarks in pixels. */
  landmarks: Float32Array;
}

/** Renders one frame. */
export function renderFace(id: Identity, ex: Expression, pose: Pose, scene: Scene): RenderedFrame {
  const { width: W, height: H } = scene;
  const c = makeCanvas(W, H);
  const d = c.data;
  const S = scratchFor(W * H);
  // Background: gradient + low-frequency texture.
  const ca = Math.cos(scene.bgAngle);
  const sa = Math.sin(scene.bgAngle);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + ((x / W - 0.5) * ca + (y / H - 0.5) * sa)));
      const n = 14 * fbm((x / W) * 4, (y / H) * 4, scene.bgSeed);
      const o = (y * W + x) * 3;
      for (let k = 0; k < 3; k++) d[o + k] = scene.bgA[k] + (scene.bgB[k] - scene.bgA[k]) * t + n;
    }
  }
  const R = poseMatrix(pose);
  const p3 = canonicalPoints(id, ex);
  const lm = projectPoints(p3, pose, R);
  const Ai = inverseAffine(p3, lm);
  const L = scene.light;

  // Hair behind the head and the neck.
  const hairTop = id.hairline - 0.35 * id.hairVol;
  const headRy = (id.chin - hairTop) / 2;
  const hairBack = proj(pose, R, arc(0, hairTop + headRy, id.jawW * 1.12 * id.hairVol, headRy * 1.02, Math.PI, 2 * Math.PI, 24, -0.25).concat([id.jawW * 1.1, 0.2, -0.3, -id.jawW * 1.1, 0.2, -0.3]));
  fillPolygonAA(c, hairBack, id.hair.map((v) => v * 0.85), 1, S.a);
  const neck = proj(pose, R, [-0.4, 0.5, -0.3, 0.4, 0.5, -0.3, 0.5, 3, -0.3, -0.5, 3, -0.3]);
  fillPolygonAA(c, neck, id.skin.map((v) => v * (scene.ambient + 0.15)), 1, S.a);

  // Face: jaw + forehead arc, shaded per pixel with the identity's texture.
  const forehead = arc(0, -0.3, id.jawW * 0.97, -0.3 - (id.hairline - 0.18), 0, -Math.PI, 12, 0.2).slice(3, -3);
  const faceOutline = new Float32Array([...sub(lm, range(0, 16)), ...proj(pose, R, forehead)]);
  const [fy0, fy1] = polygonCoverage(faceOutline, W, H, S.a);
  for (let i = fy0 * W; i < fy1 * W; i++) {
    const a = Math.min(1, S.a[i]);
    S.a[i] = 0;
    if (a <= 0) continue;
    const x = (i % W) + 0.5;
    const y = Math.floor(i / W) + 0.5;
    const u = Ai[0] * x + Ai[1] * y + Ai[2];
    const v = Ai[3] * x + Ai[4] * y + Ai[5];
    // Normal of an ellipsoid-like head, rotated by the pose.
    const nx0 = u * 0.85;
    const ny0 = (v - 0.15) * 0.45;
    const nz0 = Math.sqrt(Math.max(0.05, 1 - nx0 * nx0 - ny0 * ny0));
    const nx = R[0] * nx0 + R[1] * ny0 + R[2] * nz0;
    const ny = R[3] * nx0 + R[4] * ny0 + R[5] * nz0;
    const nz = R[6] * nx0 + R[7] * ny0 + R[8] * nz0;
    const shade = scene.ambient + scene.diffuse * Math.max(0, nx * L[0] + ny * L[1] + nz * L[2]);
    let tex = 1 + id.texAmp * fbm(u * id.texFreq, v * id.texFreq, id.id * 7919 + 13);
    for (let m = 0; m + 2 < id.moles.length; m += 3) {
      const du = u - id.moles[m];
      const dv = v - id.moles[m + 1];
      const r = id.moles[m + 2];
      const q = (du * du + dv * dv) / (r * r);
      if (q < 1) tex *= 1 - 0.45 * (1 - q);
    }
    const o = i * 3;
    for (let k = 0; k < 3; k++) d[o + k] += (id.skin[k] * shade * tex - d[o + k]) * a;
  }

  // Hair on top of the forehead (a wavy hairline).
  const hairPts: number[] = [];
  for (let k = 0; k <= 12; k++) {
    const x = -id.jawW * 1.02 + (2.04 * id.jawW * k) / 12;
    hairPts.push(x, id.hairline + 0.05 * Math.sin(k * 1.7 + id.id) + 0.25 * x * x, 0.25);
  }
  const hairFront = proj(pose, R, hairPts.concat(arc(0, hairTop + headRy, id.jawW * 1.12 * id.hairVol, headRy * 1.02, 2 * Math.PI, Math.PI, 16, 0.1)));
  fillPolygonAA(c, hairFront, id.hair, 1, S.a);

  // Brows: a band around the brow points.
  const bt = id.browT / 2;
  for (const [a0, a1] of [[17, 21], [22, 26]]) {
    const upper: number[] = [];
    const lower: number[] = [];
    for (let i = a0; i <= a1; i++) {
      const taper = i === a0 || i === a1 ? 0.6 : 1;
      upper.push(p3[3 * i], p3[3 * i + 1] - bt * taper, p3[3 * i + 2]);
      lower.unshift(p3[3 * i], p3[3 * i + 1] + bt * taper, p3[3 * i + 2]);
    }
    fillPolygonAA(c, proj(pose, R, upper.concat(lower)), id.hair.map((v) => v * 0.8), 0.92, S.a);
  }

  // Eyes: sclera, iris and pupil clipped to the eye contour, then the upper lid line.
  for (const [e0, cxSign] of [[36, -1], [42, 1]] as const) {
    const eye = sub(lm, range(e0, e0 + 5));
    const [ey0, ey1] = polygonCoverage(eye, W, H, S.b);
    const eyeShade = scene.ambient + scene.diffuse * 0.7;
    const blend = (rgb: readonly number[], cov: Float32Array, clip: boolean): void => {
      for (let i = ey0 * W; i < ey1 * W; i++) {
        const a = Math.min(1, cov[i]) * (clip ? Math.min(1, S.b[i]) : 1);
        if (clip) cov[i] = 0;
        if (a <= 0) continue;
        const o = i * 3;
        for (let k = 0; k < 3; k++) d[o + k] += (rgb[k] * eyeShade - d[o + k]) * a;
      }
    };
    blend([238, 232, 226], S.b, false);
    const ecx = cxSign * id.eyeSep + ex.gazeX;
    const zE = 0.6;
    polygonCoverage(proj(pose, R, arc(ecx, id.eyeY, id.eyeH * 0.95, id.eyeH * 0.95, 0, 2 * Math.PI, 14, zE)), W, H, S.a);
    blend(id.iris, S.a, true);
    polygonCoverage(proj(pose, R, arc(ecx, id.eyeY, id.eyeH * 0.42, id.eyeH * 0.42, 0, 2 * Math.PI, 10, zE)), W, H, S.a);
    blend([15, 12, 12], S.a, true);
    for (let i = ey0 * W; i < ey1 * W; i++) S.b[i] = 0;
    const lidIdx = e0 === 36 ? [36, 37, 38, 39] : [42, 43, 44, 45];
    const lidUp: number[] = [];
    const lidDown: number[] = [];
    for (const i of lidIdx) {
      lidUp.push(p3[3 * i], p3[3 * i + 1] - 0.012, p3[3 * i + 2]);
      lidDown.unshift(p3[3 * i], p3[3 * i + 1] + 0.012, p3[3 * i + 2]);
    }
    fillPolygonAA(c, proj(pose, R, lidUp.concat(lidDown)), [45, 30, 25], 0.85, S.a);
  }

  // Nose: nostrils and a soft shadow on the side away from the light.
  for (const i of [32, 34]) {
    const x = p3[3 * i];
    const y = p3[3 * i + 1] - 0.015;
    fillPolygonAA(c, proj(pose, R, arc(x, y, id.noseW * 0.28, 0.022, 0, 2 * Math.PI, 10, 0.65)), id.skin.map((v) => v * 0.35), 0.75, S.a);
  }
  const side = L[0] > 0 ? -1 : 1;
  const shadow: number[] = [];
  for (const i of [27, 28, 29, 30]) shadow.push(p3[3 * i] + side * 0.03, p3[3 * i + 1], 0.62);
  for (const i of [30, 29, 28, 27]) shadow.push(p3[3 * i] + side * 0.09, p3[3 * i + 1], 0.58);
  fillPolygonAA(c, proj(pose, R, shadow), id.skin.map((v) => v * 0.5), 0.22, S.a);

  // Mouth: lips between the contours, dark interior, teeth under the upper lip.
  const lipShade = scene.ambient + scene.diffuse * 0.8;
  fillPolygonAA(c, sub(lm, range(48, 59)), id.lip.map((v) => v * lipShade), 1, S.a);
  const inner = sub(lm, range(60, 67));
  const [my0, my1] = polygonCoverage(inner, W, H, S.b);
  for (let i = my0 * W; i < my1 * W; i++) {
    const a = Math.min(1, S.b[i]);
    if (a <= 0) continue;
    const o = i * 3;
    d[o] += (60 - d[o]) * a;
    d[o + 1] += (22 - d[o + 1]) * a;
    d[o + 2] += (28 - d[o + 2]) * a;
  }
  if (ex.open > 0.01) {
    const t = Math.min(ex.open * 0.45, 0.035);
    const teeth: number[] = [];
    for (const i of [60, 61, 62, 63, 64]) teeth.push(p3[3 * i], p3[3 * i + 1] - 0.01, p3[3 * i + 2]);
    for (const i of [64, 63, 62, 61, 60]) teeth.push(p3[3 * i], p3[3 * i + 1] + t, p3[3 * i + 2]);
    polygonCoverage(proj(pose, R, teeth), W, H, S.a);
    for (let i = my0 * W; i < my1 * W; i++) {
      const a = Math.min(1, S.a[i]) * Math.min(1, S.b[i]);
      S.a[i] = 0;
      if (a <= 0) continue;
      const o = i * 3;
      d[o] += (228 * lipShade - d[o]) * a;
      d[o + 1] += (222 * lipShade - d[o + 1]) * a;
      d[o + 2] += (205 * lipShade - d[o + 2]) * a;
    }
  }
  S.a.fill(0);
  S.b.fill(0);
  return { canvas: c, landmarks: lm };
}
