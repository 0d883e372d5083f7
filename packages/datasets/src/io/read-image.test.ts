import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { wrapImage } from '@caddm/image';
import { tempDir } from '../testing/fixtures.js';
import { decodePng, encodePng } from './png.js';
import { MAX_IMAGE_PIXELS, pngHeaderSize, readImageFile } from './read-image.js';

/** A small PNG whose IHDR is rewritten to claim `w x h` (its pixel data stays that of a 1x1 image). */
function lyingPng(w: number, h: number): Buffer {
  const png = Buffer.from(encodePng(wrapImage(Uint8Array.of(10, 20, 30), 1, 1, 3)));
  png.writeUInt32BE(w, 16);
  png.writeUInt32BE(h, 20);
  return png;
}

describe('readImageFile against decompression bombs', () => {
  const dir = tempDir('caddm-read-image-');

  it('refuses a PNG whose header claims more than the pixel limit, before decoding, in well under a second', async () => {
    const file = join(dir, 'bomb.png');
    writeFileSync(file, lyingPng(20000, 20000));
    expect(pngHeaderSize(lyingPng(20000, 20000))).toEqual({ width: 20000, height: 20000 });
    const t0 = performance.now();
    await expect(readImageFile(file)).rejects.toThrow(/bomb\.png: its header claims 20000x20000 pixels, above the 100 megapixel limit/);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(20000 * 20000).toBeGreaterThan(MAX_IMAGE_PIXELS);
  });

  it('still reads an ordinary PNG', async () => {
    const file = join(dir, 'ok.png');
    writeFileSync(file, encodePng(wrapImage(Uint8Array.of(1, 2, 3, 4, 5, 6), 1, 2, 3)));
    const img = await readImageFile(file);
    expect(img.shape).toEqual([1, 2, 3]);
    expect(Array.from(img.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('stops at a damaged PNG, whatever other decoder is installed, instead of making an image of what is left', async () => {
    const file = join(dir, 'lying-small.png');
    writeFileSync(file, lyingPng(64, 64)); // 64x64 declared, 1x1 of pixel data
    await expect(readImageFile(file)).rejects.toThrow(/lying-small\.png: a damaged PNG \(is truncated \(image data too short\)\); re-save it or leave it out/);
    const ok = Buffer.from(encodePng(wrapImage(new Uint8Array(16 * 16 * 3).fill(7), 16, 16, 3)));
    writeFileSync(join(dir, 'cut.png'), ok.subarray(0, ok.length - 20));
    await expect(readImageFile(join(dir, 'cut.png'))).rejects.toThrow(/cut\.png: a damaged PNG/);
  });

  it('never inflates more pixel data than the header declares', () => {
    // A 2x2 RGB header with 1 MB of zeros behind it (a tiny deflate stream).
    const png = Buffer.from(encodePng(wrapImage(new Uint8Array(12), 2, 2, 3)));
    const idatAt = png.indexOf('IDAT') - 4;
    const big = deflateSync(Buffer.alloc(1 << 20));
    const head = png.subarray(0, idatAt);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(big.length);
    const forged = Buffer.concat([head, len, Buffer.from('IDAT'), big, Buffer.alloc(4), png.subarray(png.indexOf('IEND') - 4)]);
    expect(() => decodePng(forged, 'forged.png')).toThrow(/forged\.png: corrupt image data/);
  });

  it('refuses a named pipe or a folder at once instead of blocking on it', async () => {
    const fifo = join(dir, 'fifo.jpg');
    execFileSync('mkfifo', [fifo]);
    const t0 = performance.now();
    await expect(readImageFile(fifo)).rejects.toThrow(/fifo\.jpg: not a regular file/);
    await expect(readImageFile(dir)).rejects.toThrow(/not a regular file/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
