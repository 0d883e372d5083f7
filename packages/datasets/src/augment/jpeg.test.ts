import { jpegReencode, wrapImage, type ImageU8 } from '@caddm/image';
import { describe, expect, it } from 'vitest';
import { jpegArtifacts, quantTable } from './jpeg.js';

function scene(W = 64, H = 48): ImageU8 {
  const d = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 3;
      d[o] = Math.round(128 + 100 * Math.sin(x / 5) * Math.cos(y / 7));
      d[o + 1] = Math.round((x * 3 + y * 2) % 256);
      d[o + 2] = x > W / 2 ? 220 : 30;
    }
  }
  return wrapImage(d, H, W, 3);
}
const mae = (a: ImageU8, b: ImageU8): number => a.data.reduce((s, v, i) => s + Math.abs(v - b.data[i]), 0) / a.data.length;

describe('jpegArtifacts', () => {
  it('uses the IJG quality scaling', () => {
    const base = Array.from({ length: 64 }, (_, i) => 10 + i);
    expect(Array.from(quantTable(base, 50))).toEqual(base);
    expect(Array.from(quantTable(base, 100)).every((v) => v === 1)).toBe(true);
    expect(quantTable(base, 10)[0]).toBe(Math.floor((10 * 500 + 50) / 100));
    expect(quantTable([200], 1)[0]).toBe(255);
  });

  it('loses more with lower quality, about as much as a real JPEG codec, with 8x8 blocks', async () => {
    const img = scene();
    const errs = [95, 60, 30, 10].map((q) => mae(jpegArtifacts(img, q), img));
    for (let i = 1; i < errs.length; i++) expect(errs[i]).toBeGreaterThan(errs[i - 1]);
    expect(errs[0]).toBeLessThan(4); // mostly the 4:2:0 chroma at the sharp blue edge
    // Within a factor of two of jimp's encoder+decoder (which keeps full-resolution chroma).
    for (const q of [80, 30]) {
      const ref = mae(await jpegReencode(img, q), img);
      const ours = mae(jpegArtifacts(img, q), img);
      expect(ours).toBeGreaterThan(ref / 2);
      expect(ours).toBeLessThan(ref * 2);
    }
    // Block structure: at quality 5 a smooth luminance ramp becomes steps at 8-pixel boundaries.
    const W = 64;
    const ramp = wrapImage(Uint8Array.from({ length: 8 * W * 3 }, (_, i) => Math.floor(((i / 3) % W) * 3)), 8, W, 3);
    const j = jpegArtifacts(ramp, 5);
    let inBlock = 0;
    let across = 0;
    for (let x = 1; x < W; x++) {
      const dlt = Math.abs(j.data[(4 * W + x) * 3] - j.data[(4 * W + x - 1) * 3]);
      if (x % 8 === 0) across += dlt;
      else inBlock += dlt;
    }
    expect(across / 7).toBeGreaterThan(inBlock / 56);
    expect(() => jpegArtifacts(img, 0)).toThrow(/quality/);
  });
});
