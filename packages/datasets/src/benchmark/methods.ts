/**
 * The embedded benchmark's manipulation methods, in the spirit of FF++'s. Each takes a
 * clean target frame and a donor (the source identity's frame at the same index) with
 * their 68 landmarks, and returns the manipulated clean frame and ITS landmarks. Camera
 * noise is added afterwards, identically to the target's real frame, so the label is
 * carried by the manipulation only.
 */
import type { Rng } from '@caddm/image';
import { fitSimilarity, mapPoints } from '@caddm/face';
import { alphaBlend, colourTransfer, hullMask, piecewiseWarp, poissonBlend } from './warp.js';
import { blurCanvas, resample, type Canvas } from './raster.js';
import { swappedIdentity, type Expression, type Identity, type Pose } from './face-model.js';
import { renderFace, type Scene } from './render.js';

/** A frame and its landmarks. */
export interface FrameData {
  /** Float RGB canvas (0..255 scale). */
  canvas: Canvas;
  /** Flat `[x, y] x 68`. */
  landmarks: Float32Array;
  /** How a procedural frame was drawn; absent for frames made from photos. */
  model?: { identity: Identity; expression: Expression; pose: Pose; scene: Scene };
}

/** One manipulation method. */
export interface Manipulation {
  /** Folder name in `manipulated_sequences/`. */
  readonly name: string;
  /** One-line description. */
  readonly description: string;
  /** Makes the fake frame: `target` keeps its pose; `donor` lends identity or expression. */
  apply(target: FrameData, donor: FrameData, rng: Rng): FrameData;
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const FACE = range(0, 26);
const INNER = [...range(1, 15), ...range(17, 26)];
const MOUTH = range(48, 59);
const STABLE = [...range(36, 47), 27, 28, 29, 30];

function faceWidth(lm: ArrayLike<number>): number {
  return Math.hypot(lm[32] - lm[0], lm[33] - lm[1]);
}

/** The donor's mouth shape (48-67) mapped onto the target's face, centred on the target's mouth. */
function transferMouth(target: Float32Array, donor: Float32Array): Float32Array {
  const src: number[] = [];
  const dst: number[] = [];
  for (const i of STABLE) {
    src.push(donor[2 * i], donor[2 * i + 1]);
    dst.push(target[2 * i], target[2 * i + 1]);
  }
  const M = fitSimilarity(src, dst);
  const mapped = mapPoints(M, donor);
  const out = target.slice();
  let dx = 0;
  let dy = 0;
  for (const i of MOUTH) {
    dx += target[2 * i] - mapped[2 * i];
  }
  // Keep the target's upper-lip height; the donor's opening moves the lower lip.
  for (const i of [49, 50, 51, 52, 53]) dy += target[2 * i + 1] - mapped[2 * i + 1];
  dx /= MOUTH.length;
  dy /= 5;
  for (let i = 48; i < 68; i++) {
    out[2 * i] = mapped[2 * i] + dx;
    out[2 * i + 1] = mapped[2 * i + 1] + dy;
  }
  return out;
}

/**
 * The donor's face in the target's frame, before blending: for procedural frames the
 * person with the donor's inner face on the target's outer face, drawn in the target's
 * pose, expression and scene (so the donor's inner-face shape shows, as in a real swap
 * whose face region is larger than the landmarks); for photos the donor's face warped
 * onto the target's landmarks. Returns the face and its landmarks.
 */
export function donorFace(t: FrameData, d: FrameData): FrameData {
  if (t.model && d.model) {
    const r = renderFace(swappedIdentity(t.model.identity, d.model.identity), t.model.expression, t.model.pose, t.model.scene);
    return { canvas: r.canvas, landmarks: r.landmarks };
  }
  return { canvas: piecewiseWarp(d.canvas, d.landmarks, t.landmarks, t.canvas), landmarks: t.landmarks.slice() };
}

/** Face swap with partial colour transfer and a feathered inner-face blend (like FaceSwap). */
export const faceSwap: Manipulation = {
  name: 'FaceSwap',
  description: "donor's inner face (eyes, brows, nose, mouth and cheeks) on the target's outer face, partial colour transfer, feathered inner-face blend",
  apply(t, d, rng) {
    const fw = faceWidth(t.landmarks);
    const face = donorFace(t, d);
    const mask = hullMask(face.landmarks, INNER, t.canvas.w, t.canvas.h, 0.97, Math.max(1, fw * 0.04));
    const ct = colourTransfer(face.canvas, t.canvas, mask, rng.uniform(0.3, 0.6));
    return { canvas: alphaBlend(ct, t.canvas, mask), landmarks: face.landmarks };
  },
};

/** Lower-resolution re-render of the donor's inner face on the target (like Deepfakes). */
export const deepfakes: Manipulation = {
  name: 'Deepfakes',
  description: "donor's inner face on the target's outer face, re-rendered at about half resolution (autoencoder-like), partly colour-matched, blended in an inner-face mask",
  apply(t, d, rng) {
    const { w, h } = t.canvas;
    const fw = faceWidth(t.landmarks);
    const face = donorFace(t, d);
    const mask = hullMask(face.landmarks, INNER, w, h, 0.9, Math.max(1, fw * 0.07));
    const ct = colourTransfer(face.canvas, t.canvas, mask, rng.uniform(0.5, 0.8));
    const f = rng.uniform(1.8, 2.4);
    const low = resample(resample(ct, Math.max(4, Math.round(w / f)), Math.max(4, Math.round(h / f))), w, h);
    return { canvas: alphaBlend(low, t.canvas, mask), landmarks: face.landmarks };
  },
};

/** Expression reenactment by landmark warp, identity kept (like Face2Face). */
export const face2face: Manipulation = {
  name: 'Face2Face',
  description: "target face re-posed to the donor's mouth expression by a piecewise-affine landmark warp, with a re-rendering blur of the face",
  apply(t, d) {
    const { w, h } = t.canvas;
    const fw = faceWidth(t.landmarks);
    const lm = transferMouth(t.landmarks, d.landmarks);
    // The chin follows the change of mouth opening.
    const open = lm[2 * 57 + 1] - lm[2 * 51 + 1] - (t.landmarks[2 * 57 + 1] - t.landmarks[2 * 51 + 1]);
    const wts = [0.25, 0.55, 0.85, 1, 0.85, 0.55, 0.25];
    for (let k = 0; k < 7; k++) lm[2 * (5 + k) + 1] += open * 0.8 * wts[k];
    const warped = piecewiseWarp(t.canvas, t.landmarks, lm, t.canvas);
    const mask = hullMask(lm, FACE, w, h, 0.95, Math.max(1, fw * 0.05));
    const soft = blurCanvas(warped, Math.max(1, Math.round(fw * 0.012)), 1);
    return { canvas: alphaBlend(soft, t.canvas, mask), landmarks: lm };
  },
};

/** Mouth-only re-render: new mouth shape, low-quality texture in the mouth region (like NeuralTextures). */
export const neuralTextures: Manipulation = {
  name: 'NeuralTextures',
  description: "mouth re-posed to the donor's expression, its region re-rendered at half resolution with a slight colour shift, feathered mouth mask",
  apply(t, d, rng) {
    const { w, h } = t.canvas;
    const fw = faceWidth(t.landmarks);
    const lm = transferMouth(t.landmarks, d.landmarks);
    const warped = piecewiseWarp(t.canvas, t.landmarks, lm, t.canvas);
    const low = resample(resample(warped, Math.max(4, Math.round(w / 2)), Math.max(4, Math.round(h / 2))), w, h);
    const shift = [rng.uniform(-7, 7), rng.uniform(-7, 7), rng.uniform(-7, 7)];
    for (let i = 0; i < w * h; i++) for (let k = 0; k < 3; k++) low.data[i * 3 + k] += shift[k];
    const mask = hullMask(lm, MOUTH, w, h, 1.35, Math.max(1, fw * 0.04));
    return { canvas: alphaBlend(low, warped, mask), landmarks: lm };
  },
};

/** Held-out method: high-quality swap with colour matching and Poisson blending. */
export const hqSwap: Manipulation = {
  name: 'HQSwap',
  description: "donor's inner face on the target's outer face, partial colour matching, Poisson (gradient-domain) blending of the inner face: the held-out cross-dataset method",
  apply(t, d, rng) {
    const { w, h } = t.canvas;
    const face = donorFace(t, d);
    const hard = hullMask(face.landmarks, INNER, w, h, 0.95, 0);
    const ct = colourTransfer(face.canvas, t.canvas, hard, rng.uniform(0.4, 0.7));
    return { canvas: poissonBlend(ct, t.canvas, hard, 200), landmarks: face.landmarks };
  },
};

/** Methods of the in-domain (FF++-like) part, in FF++'s folder names. */
export const TRAIN_METHODS: readonly Manipulation[] = [deepfakes, face2face, faceSwap, neuralTextures];

/** The held-out method of the cross-dataset part. */
export const CROSS_METHODS: readonly Manipulation[] = [hqSwap];
