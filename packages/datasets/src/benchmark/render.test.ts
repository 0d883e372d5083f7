import { createRng } from '@caddm/image';
import { describe, expect, it } from 'vitest';
import { sampleIdentity } from './face-model.js';
import { renderFace, sampleScene } from './render.js';

describe('procedural face renderer', () => {
  it('draws the features where its landmarks say: dark irises at the eye centres, lips between the mouth contours', () => {
    const rng = createRng(4);
    const S = 160;
    for (let k = 0; k < 8; k++) {
      const id = sampleIdentity(rng, k);
      const scene = sampleScene(rng, S, S);
      const pose = { yaw: rng.uniform(-0.3, 0.3), pitch: 0, roll: rng.uniform(-0.1, 0.1), scale: S * 0.25, cx: S / 2, cy: S * 0.45 };
      const { canvas, landmarks: lm } = renderFace(id, { open: 0.05, smile: 0, brow: 0, blink: 0, gazeX: 0 }, pose, scene);
      const px = (x: number, y: number): number[] => {
        const o = (Math.round(y) * S + Math.round(x)) * 3;
        return [canvas.data[o], canvas.data[o + 1], canvas.data[o + 2]];
      };
      const lum = (c: number[]): number => 0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2];
      const mid = (a: number, b: number): [number, number] => [(lm[2 * a] + lm[2 * b]) / 2, (lm[2 * a + 1] + lm[2 * b + 1]) / 2];
      for (const [a, mc] of [[36, 48], [42, 54]]) {
        let cx = 0;
        let cy = 0;
        for (let i = a; i < a + 6; i++) {
          cx += lm[2 * i] / 6;
          cy += lm[2 * i + 1] / 6;
        }
        const cheek = px(cx + (lm[2 * mc] - cx) * 0.4, cy + (lm[2 * mc + 1] - cy) * 0.4);
        expect(lum(px(cx, cy))).toBeLessThan(lum(cheek) - 15); // pupil/iris vs skin
      }
      // Upper lip: between outer point 51 and inner point 62 the colour is the lip colour.
      const lip = px(...mid(51, 62));
      const shade = scene.ambient + scene.diffuse * 0.8;
      const chin = px(...mid(57, 8));
      const dist = (c: number[]): number => Math.hypot(c[0] - id.lip[0] * shade, c[1] - id.lip[1] * shade, c[2] - id.lip[2] * shade);
      expect(dist(lip)).toBeLessThan(dist(chin));
      expect(lip[0] / (lip[1] + 1)).toBeGreaterThan(chin[0] / (chin[1] + 1)); // redder than the skin below
      // Mouth interior (open 0.05): between 62 and 66 it is dark.
      expect(lum(px(...mid(62, 66)))).toBeLessThan(lum(lip));
    }
  });
});
