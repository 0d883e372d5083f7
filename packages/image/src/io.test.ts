import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createImage, wrapImage } from './image.js';
import { decodeImage, encodeImage, formatFromPath, jpegReencode, readImage, writeImage } from './io.js';
import { ImageArgumentError, ImageChannelError, ImageReadError } from './errors.js';
import { createRng } from './rng.js';

const dir = mkdtempSync(join(tmpdir(), 'caddm-image-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function smoothRgb(h: number, w: number) {
  const img = createImage(h, w, 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    img.set(y, x, 0, 128 + 100 * Math.sin(x / 6));
    img.set(y, x, 1, 128 + 100 * Math.cos(y / 5));
    img.set(y, x, 2, (x + y) * 2);
  }
  return img;
}

function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

describe('PNG / JPEG IO', () => {
  it('PNG round trip is lossless for RGB and grey', async () => {
    const img = createImage(13, 17, 3);
    const r = createRng(1);
    for (let i = 0; i < img.data.length; i++) img.data[i] = r.int(0, 256);
    const p = join(dir, 'a.png');
    await writeImage(p, img);
    const back = await readImage(p);
    expect(back.shape).toEqual([13, 17, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(img.data));
    const grey = wrapImage(Uint8Array.from({ length: 12 }, (_, i) => i * 20), 3, 4, 1);
    const g = await decodeImage(await encodeImage(grey, 'png'));
    for (let i = 0; i < 12; i++) expect(g.data[3 * i + 1]).toBe(grey.data[i]);
  });

  it('JPEG loses more at lower quality, and jpegReencode keeps the shape', async () => {
    const img = smoothRgb(48, 64);
    const p = join(dir, 'a.jpg');
    await writeImage(p, img, { quality: 95 });
    const hi = await readImage(p);
    const lo = await jpegReencode(img, 15);
    expect(lo.shape).toEqual(img.shape);
    const eHi = meanAbsDiff(hi.data, img.data);
    const eLo = meanAbsDiff(lo.data, img.data);
    expect(eHi).toBeLessThan(2.5);
    expect(eLo).toBeGreaterThan(eHi);
    expect(eLo).toBeLessThan(20);
  });

  it('names the path of unreadable files and rejects bad input', async () => {
    const missing = join(dir, 'missing.png');
    await expect(readImage(missing)).rejects.toThrow(ImageReadError);
    await expect(readImage(missing)).rejects.toThrow(missing);
    const junk = join(dir, 'junk.png');
    writeFileSync(junk, 'not an image');
    await expect(readImage(junk)).rejects.toThrow(/junk\.png/);
    await expect(encodeImage(createImage(2, 2, 2), 'png')).rejects.toThrow(ImageChannelError);
    await expect(jpegReencode(createImage(2, 2, 3), 0)).rejects.toThrow(/quality/);
    expect(() => formatFromPath('x.gif')).toThrow(ImageArgumentError);
    expect(formatFromPath('X.JPEG')).toBe('jpeg');
  });
});
