/**
 * The reference's mean face: five points in face-width units, placed on a canvas
 * the way CADDM's `get_mean_face` does it.
 */

/**
 * Mean positions of the five alignment points (left eye, right eye, nose tip,
 * left and right mouth corners), flat `[x, y] x 5`, centred near 0 in units where
 * the face spans about 0.35. Values from the reference (`MEAN_FACE` in CADDM's
 * `lib/data_preprocess/cropface.py`).
 */
export const MEAN_FACE_5: readonly number[] = Object.freeze([
  -0.17607, -0.172844, 0.1736, -0.17356, -0.00182, 0.0357164, -0.14617, 0.20185, 0.14496, 0.19943,
]);

/**
 * The mean face scaled and placed on a `canvasSize` canvas: the reference's
 * `get_mean_face(MEAN_FACE * scale, faceWidth, canvasSize)`.
 *
 * With `r = faceWidth / (canvasSize * 0.34967)`:
 * `x' = (s x r + 0.5) canvas`, `y' = (s y r + 0.5) canvas / ry` where
 * `ry = (s y_lefteye r + 0.5) * 2.42` (this moves the eyes to about 41% of the height).
 * @param faceWidth - face width in canvas pixels (reference: 80)
 * @param canvasSize - side of the square output (reference: 224)
 * @param scale - the alignment scale (reference: 0.9 at test time, N(0.9, 0.1) in training)
 * @returns flat `[x, y] x 5` in canvas pixels
 */
export function meanFace5(faceWidth: number, canvasSize: number, scale: number): Float64Array {
  const ratio = faceWidth / (canvasSize * 0.34967);
  const eyeY = MEAN_FACE_5[1] * scale;
  const ratioY = (eyeY * ratio + 0.5) * (1 + 1.42);
  const out = new Float64Array(10);
  for (let i = 0; i < 5; i++) {
    out[2 * i] = (MEAN_FACE_5[2 * i] * scale * ratio + 0.5) * canvasSize;
    out[2 * i + 1] = ((MEAN_FACE_5[2 * i + 1] * scale * ratio + 0.5) * canvasSize) / ratioY;
  }
  return out;
}
