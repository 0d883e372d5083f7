/**
 * A small PNG codec over node:zlib for the preprocessing cache (8-bit gray / RGB / RGBA,
 * no interlacing). Encoding is deterministic: the same pixels always give the same bytes.
 * `@caddm/image` reads and writes PNG through jimp; this codec is kept for the frame cache
 * because it is synchronous, several times faster, and byte-stable.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { contiguous, imageSize, wrapImage, type ImageU8 } from '@caddm/image';
import { DatasetError } from '../errors.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const b = Buffer.alloc(12 + data.length);
  b.writeUInt32BE(data.length, 0);
  b.write(type, 4, 'ascii');
  b.set(data, 8);
  b.writeUInt32BE(crc32(b, 4, 8 + data.length), 8 + data.length);
  return b;
}

/** A PNG file that cannot be decoded by this codec. */
export class PngFormatError extends DatasetError {}

/**
 * Encodes a `uint8` image with 1, 3 or 4 channels as PNG (filter "Sub" on every row).
 * @param level - zlib level 0-9 (default 6)
 */
export function encodePng(img: ImageU8, level = 6): Buffer {
  const { height: h, width: w, channels: c } = imageSize(img);
  if (c !== 1 && c !== 3 && c !== 4) throw new PngFormatError(`encodePng supports 1, 3 or 4 channels, got ${c}`);
  const src = contiguous(img).data;
  const stride = w * c;
  const raw = new Uint8Array(h * (stride + 1));
  for (let y = 0; y < h; y++) {
    const o = y * (stride + 1);
    const s = y * stride;
    raw[o] = 1;
    for (let i = 0; i < c; i++) raw[o + 1 + i] = src[s + i];
    for (let i = c; i < stride; i++) raw[o + 1 + i] = (src[s + i] - src[s + i - c]) & 0xff;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = c === 1 ? 0 : c === 3 ? 2 : 6;
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level })), chunk('IEND', new Uint8Array(0))]);
}

/**
 * Decodes an 8-bit, non-interlaced PNG (gray, gray+alpha, RGB, RGBA or palette) to RGB.
 * Alpha is dropped. Other PNGs throw {@link PngFormatError} (callers may fall back to ffmpeg).
 */
export function decodePng(buf: Uint8Array, source = 'PNG data'): ImageU8 {
  if (buf.length < 8 || !SIGNATURE.every((v, i) => buf[i] === v)) throw new PngFormatError(`${source} is not a PNG file`);
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 8;
  let w = 0;
  let h = 0;
  let colorType = -1;
  let palette: Uint8Array | undefined;
  const idat: Buffer[] = [];
  while (pos + 8 <= view.length) {
    const len = view.readUInt32BE(pos);
    const type = view.toString('ascii', pos + 4, pos + 8);
    const data = view.subarray(pos + 8, pos + 8 + len);
    if (data.length !== len) throw new PngFormatError(`${source} is truncated (chunk ${type})`);
    if (type === 'IHDR') {
      w = data.readUInt32BE(0);
      h = data.readUInt32BE(4);
      colorType = data[9];
      if (data[8] !== 8) throw new PngFormatError(`${source}: bit depth ${data[8]} not supported`);
      if (data[12] !== 0) throw new PngFormatError(`${source}: interlaced PNG not supported`);
    } else if (type === 'PLTE') palette = new Uint8Array(data);
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const bpp = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (!bpp || w <= 0 || h <= 0) throw new PngFormatError(`${source}: unsupported PNG colour type ${colorType}`);
  if (colorType === 3 && !palette) throw new PngFormatError(`${source}: palette PNG without PLTE`);
  let raw: Buffer;
  try {
    // Never inflate more than the header's image needs: a small file can expand without bound.
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: h * (1 + w * bpp) + 1 });
  } catch (e) {
    throw new PngFormatError(`${source}: corrupt image data (${(e as Error).message})`);
  }
  const stride = w * bpp;
  if (raw.length < h * (stride + 1)) throw new PngFormatError(`${source} is truncated (image data too short)`);
  const px = new Uint8Array(h * stride);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)];
    const s = y * (stride + 1) + 1;
    const o = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? px[o + i - bpp] : 0;
      const b = y > 0 ? px[o - stride + i] : 0;
      const cc = i >= bpp && y > 0 ? px[o - stride + i - bpp] : 0;
      let v = raw[s + i];
      switch (f) {
        case 0:
          break;
        case 1:
          v += a;
          break;
        case 2:
          v += b;
          break;
        case 3:
          v += (a + b) >> 1;
          break;
        case 4: {
          const p = a + b - cc;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - cc);
          v += pa <= pb && pa <= pc ? a : pb <= pc ? b : cc;
          break;
        }
        default:
          throw new PngFormatError(`${source}: bad filter type ${f} on row ${y}`);
      }
      px[o + i] = v & 0xff;
    }
  }
  const out = new Uint8Array(w * h * 3);
  for (let i = 0, n = w * h; i < n; i++) {
    const o = i * 3;
    const s = i * bpp;
    if (colorType === 2 || colorType === 6) {
      out[o] = px[s];
      out[o + 1] = px[s + 1];
      out[o + 2] = px[s + 2];
    } else if (colorType === 3) {
      const k = px[s] * 3;
      out[o] = palette![k];
      out[o + 1] = palette![k + 1];
      out[o + 2] = palette![k + 2];
    } else {
      out[o] = out[o + 1] = out[o + 2] = px[s];
    }
  }
  return wrapImage(out, h, w, 3);
}
