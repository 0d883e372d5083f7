/**
 * A synthetic frontal 68-point face, for generated data and tests that must run
 * without real photos. Hand-built (parametric jaw, arched brows, almond eyes) in
 * the 68-point order; plausible, not a statistical mean shape.
 */

function build(): Float32Array {
  const p: Array<[number, number]> = [];
  for (let i = 0; i <= 16; i++) {
    const t = (Math.PI * i) / 16;
    p.push([0.5 - 0.44 * Math.cos(t), 0.33 + 0.7 * Math.sin(t)]);
  }
  for (let k = 0; k < 5; k++) p.push([0.16 + 0.07 * k, 0.24 - 0.05 * Math.sin((Math.PI * k) / 4)]);
  for (let k = 4; k >= 0; k--) p.push([1 - (0.16 + 0.07 * k), 0.24 - 0.05 * Math.sin((Math.PI * k) / 4)]);
  for (const y of [0.32, 0.4, 0.47, 0.55]) p.push([0.5, y]);
  p.push([0.43, 0.6], [0.47, 0.62], [0.5, 0.63], [0.53, 0.62], [0.57, 0.6]);
  const leftEye: Array<[number, number]> = [
    [0.255, 0.33], [0.3, 0.305], [0.355, 0.305], [0.405, 0.335], [0.355, 0.35], [0.3, 0.35],
  ];
  p.push(...leftEye);
  // Right eye: mirror image, starting at the inner corner (42) and going over the top.
  for (const i of [3, 2, 1, 0, 5, 4]) p.push([1 - leftEye[i][0], leftEye[i][1]]);
  p.push(
    [0.35, 0.745], [0.41, 0.72], [0.47, 0.705], [0.5, 0.715], [0.53, 0.705], [0.59, 0.72], [0.65, 0.745],
    [0.59, 0.8], [0.54, 0.83], [0.5, 0.835], [0.46, 0.83], [0.41, 0.8],
    [0.38, 0.745], [0.46, 0.735], [0.5, 0.74], [0.54, 0.735], [0.62, 0.745], [0.54, 0.775], [0.5, 0.78], [0.46, 0.775],
  );
  return Float32Array.from(p.flat());
}

/**
 * The synthetic face in unit coordinates (x and y roughly in `[0, 1]`, the chin
 * reaching y ~ 1.03), flat `[x, y] x 68`.
 */
export const TEMPLATE_FACE_68: Readonly<Float32Array> = build();

/**
 * Places {@link TEMPLATE_FACE_68} in an image: scaled by `size` pixels, rotated by
 * `rotation` degrees (counter-clockwise as displayed) about the template's centre,
 * which lands at `(cx, cy)`.
 * @returns flat `Float32Array(136)`
 */
export function templateLandmarks(cx: number, cy: number, size: number, rotation = 0): Float32Array {
  const t = (rotation * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const out = new Float32Array(136);
  for (let i = 0; i < 68; i++) {
    const x = (TEMPLATE_FACE_68[2 * i] - 0.5) * size;
    const y = (TEMPLATE_FACE_68[2 * i + 1] - 0.6) * size;
    out[2 * i] = cx + c * x + s * y;
    out[2 * i + 1] = cy - s * x + c * y;
  }
  return out;
}
