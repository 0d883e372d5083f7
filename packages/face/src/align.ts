/**
 * `align5p`: the reference's 5-point face alignment (CADDM `align_5p`), with the
 * training jitter parameters (scale, translation, rotation, perspective stretch).
 */
import { warpPerspective, type Image, type WarpOptions } from '@caddm/image';
import { FaceArgumentError, LandmarkError } from './errors.js';
import { fitSimilarity, mapPoints, mul3, perspectiveFromQuads, rotationAbout, type PointMapping } from './geometry.js';
import { checkLandmarks, fivePoints, type FlatLandmarks } from './landmarks.js';
import { meanFace5 } from './mean-face.js';

/** Geometry parameters of an alignment (the values {@link sampleAlignJitter} draws). */
export interface AlignParams {
  /** Mean-face scale (reference: 0.9 at test time). */
  scale: number;
  /** Shift `[dx, dy]` in canvas pixels, applied with the stretch (default `[0, 0]`). */
  translation: readonly [number, number];
  /** Rotation about the canvas centre, degrees (OpenCV sign: positive turns the content counter-clockwise). */
  rotation: number;
  /** Horizontal perspective stretch: eyes spread by `sa`, mouth corners by `1/sa` (default 1). */
  sa: number;
  /** Vertical perspective stretch: left eye-mouth distance by `sb`, right by `1/sb` (default 1). */
  sb: number;
}

/** Options of {@link align5p} and {@link alignMatrix}. */
export interface AlignOptions extends Partial<AlignParams> {
  /** Face width in canvas pixels (reference: 80). */
  faceWidth?: number;
  /** Side of the square output canvas (reference: 224). */
  canvasSize?: number;
  /**
   * How the landmarks are mapped to the canvas: `projective` (default, correct: divided by the
   * homogeneous coordinate, so they sit on the warped image content) or `reference` (the
   * reference's mapping without the division, REFERENCE.md bug 7; identical when `sa = sb = 1`).
   */
  landmarkMode?: PointMapping;
  /** Truncate the eye centres to integers like the reference (default `true`). */
  truncateEyes?: boolean;
}

/** Result of {@link align5p}. */
export interface AlignResult<I extends Image = Image> {
  /** The `canvasSize x canvasSize` aligned image (same dtype and channels as the input). */
  image: I;
  /** All input points mapped to the canvas (flat, same length as the input). */
  landmarks: Float32Array;
  /** The 3x3 row-major homography (input pixels -> canvas pixels). */
  matrix: Float64Array;
}

/** Default alignment: the reference's test-time configuration. */
export const DEFAULT_ALIGN: Readonly<Required<Omit<AlignOptions, 'translation'>> & { translation: readonly [number, number] }> =
  Object.freeze({
    faceWidth: 80,
    canvasSize: 224,
    scale: 0.9,
    translation: [0, 0] as const,
    rotation: 0,
    sa: 1,
    sb: 1,
    landmarkMode: 'projective' as const,
    truncateEyes: true,
  });

function finite(name: string, v: number, positive = false): void {
  if (!Number.isFinite(v) || (positive && !(v > 0))) {
    throw new FaceArgumentError(`${name} must be a finite${positive ? ' positive' : ''} number, got ${v}`);
  }
}

/** Moves `a` and `b` apart (s > 1) or together (s < 1) about their midpoint, in place, in float32 like the reference. */
function stretch(p: Float32Array, a: number, b: number, s: number): void {
  for (let k = 0; k < 2; k++) {
    const va = p[2 * a + k];
    const vb = p[2 * b + k];
    const m = Math.fround(Math.fround(va + vb) * 0.5);
    const d = Math.fround(Math.fround(va - vb) * 0.5);
    p[2 * a + k] = m + Math.fround(d * s);
    p[2 * b + k] = m - Math.fround(d * s);
  }
}

/**
 * The alignment homography, without warping anything: `M = S · R · A` where
 * - `A` is the least-squares similarity taking the five points of `landmarks`
 *   (eye centres of 36-41 and 42-47 truncated to integers, nose tip 30, mouth
 *   corners 48 and 54) onto {@link meanFace5}`(faceWidth, canvasSize, scale)`;
 * - `R` rotates by `rotation` degrees about the canvas centre;
 * - `S` is the homography taking the mean face's eyes and mouth corners onto the
 *   same four points stretched by `sa` (eyes apart, mouth together), then `sb`
 *   (left eye from left mouth corner, right eye toward right mouth corner), then
 *   shifted by `translation`.
 * @param landmarks - flat points, at least 68 (extra points such as a forehead arc are ignored here)
 * @returns 3x3 row-major matrix mapping input pixels to canvas pixels
 * @throws LandmarkError on malformed landmarks; FaceArgumentError on bad options
 */
export function alignMatrix(landmarks: FlatLandmarks, options: AlignOptions = {}): Float64Array {
  const o = { ...DEFAULT_ALIGN, ...options };
  finite('faceWidth', o.faceWidth, true);
  if (!Number.isInteger(o.canvasSize) || o.canvasSize <= 0) {
    throw new FaceArgumentError(`canvasSize must be a positive integer, got ${o.canvasSize}`);
  }
  finite('scale', o.scale, true);
  finite('rotation', o.rotation);
  finite('sa', o.sa, true);
  finite('sb', o.sb, true);
  if (o.translation == null || o.translation.length !== 2) {
    throw new FaceArgumentError(`translation must be [dx, dy], got ${JSON.stringify(o.translation)}`);
  }
  finite('translation[0]', o.translation[0]);
  finite('translation[1]', o.translation[1]);

  const lm5 = fivePoints(landmarks, { truncateEyes: o.truncateEyes });
  const mf = meanFace5(o.faceWidth, o.canvasSize, o.scale);
  const A = fitSimilarity(lm5, mf);
  const R = rotationAbout(o.canvasSize / 2, o.canvasSize / 2, o.rotation);
  // Four mean-face points (eyes and mouth corners), float32 as in the reference.
  const quad = Float32Array.of(mf[0], mf[1], mf[2], mf[3], mf[6], mf[7], mf[8], mf[9]);
  const moved = Float32Array.from(quad);
  stretch(moved, 0, 1, o.sa);
  stretch(moved, 2, 3, 1 / o.sa);
  stretch(moved, 0, 2, o.sb);
  stretch(moved, 1, 3, 1 / o.sb);
  for (let i = 0; i < 4; i++) {
    moved[2 * i] += o.translation[0];
    moved[2 * i + 1] += o.translation[1];
  }
  const S = perspectiveFromQuads(quad, moved);
  return mul3(S, mul3(R, A));
}

/** Largest landmark coordinate {@link align5p} accepts, in pixels: far beyond any photo, short of where float arithmetic breaks down. */
export const MAX_LANDMARK_COORDINATE = 1e6;

/**
 * Aligns a face like the reference's `align_5p`: fits {@link alignMatrix} to the
 * landmarks and warps the image onto a `canvasSize` square (bilinear, black border,
 * like `cv2.warpPerspective` with its defaults).
 *
 * Landmarks: at least the 68 points; any extra points (e.g. the 13 of
 * {@link foreheadArc} appended after them) are mapped too. With
 * `landmarkMode: 'reference'` the mapping reproduces REFERENCE.md bug 7.
 * @param image - HWC image (any dtype and channel count)
 * @param landmarks - flat points in the image's pixels
 * @param options - alignment geometry; defaults are the reference's test-time values
 * @param warp - interpolation/border options passed to `warpPerspective`
 */
export function align5p<I extends Image>(
  image: I,
  landmarks: FlatLandmarks,
  options: AlignOptions = {},
  warp: WarpOptions = {},
): AlignResult<I> {
  checkLandmarks(landmarks);
  for (let i = 0; i < landmarks.length; i++) {
    if (Math.abs(landmarks[i]) > MAX_LANDMARK_COORDINATE) {
      throw new LandmarkError(`landmarks[${i}] (point ${i >> 1}, ${i % 2 ? 'y' : 'x'}) is ${landmarks[i]}, beyond ±${MAX_LANDMARK_COORDINATE} pixels; landmarks are in the image's pixels`);
    }
  }
  const matrix = alignMatrix(landmarks, options);
  const size = options.canvasSize ?? DEFAULT_ALIGN.canvasSize;
  const out = warpPerspective(image, matrix, size, size, warp) as I;
  return { image: out, landmarks: mapPoints(matrix, landmarks, options.landmarkMode ?? 'projective'), matrix };
}
