/**
 * Parsing binary PPM (P6) streams, as `ffmpeg -f image2pipe -c:v ppm` writes them:
 * each frame carries its own size, so rotated or odd-sized videos need no guessing.
 */
import { wrapImage, type ImageU8 } from '@caddm/image';
import { VideoDecodeError } from '../errors.js';

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/**
 * Splits a buffer of concatenated P6 images into RGB images.
 * A trailing incomplete frame is reported through `truncated` rather than thrown.
 * @param source - name for error messages
 * @throws VideoDecodeError on a malformed header
 */
export function parsePpmStream(buf: Uint8Array, source = 'ppm stream'): { frames: ImageU8[]; truncated: boolean } {
  const frames: ImageU8[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] !== 0x50 || buf[pos + 1] !== 0x36) throw new VideoDecodeError(`${source}: expected a P6 header at byte ${pos}`);
    pos += 2;
    const nums: number[] = [];
    while (nums.length < 3) {
      while (pos < buf.length && isSpace(buf[pos])) pos++;
      if (buf[pos] === 0x23) {
        while (pos < buf.length && buf[pos] !== 0x0a) pos++;
        continue;
      }
      let v = 0;
      let digits = 0;
      while (pos < buf.length && buf[pos] >= 0x30 && buf[pos] <= 0x39) {
        v = v * 10 + buf[pos] - 0x30;
        pos++;
        digits++;
      }
      if (digits === 0) {
        if (pos >= buf.length) return { frames, truncated: true };
        throw new VideoDecodeError(`${source}: malformed P6 header`);
      }
      nums.push(v);
    }
    pos++; // the single whitespace after maxval
    const [w, h, maxval] = nums;
    if (maxval !== 255 || w <= 0 || h <= 0) throw new VideoDecodeError(`${source}: unsupported P6 frame ${w}x${h} maxval ${maxval}`);
    const n = w * h * 3;
    if (pos + n > buf.length) return { frames, truncated: true };
    frames.push(wrapImage(new Uint8Array(buf.subarray(pos, pos + n)), h, w, 3));
    pos += n;
  }
  return { frames, truncated: false };
}
