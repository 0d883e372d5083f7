/**
 * JPEG compression artefacts without an entropy coder: the pixels a baseline JPEG codec
 * returns are fully determined by its lossy steps (YCbCr conversion, 4:2:0 chroma
 * subsampling, 8x8 DCT, quantisation with the IJG tables scaled by quality, inverse DCT,
 * upsampling), since Huffman coding is lossless. Doing only those steps is ~100x faster
 * than encoding and decoding a file (jimp / jpeg-js), and matches libjpeg's (OpenCV's)
 * 4:2:0 layout, which jimp's encoder does not use.
 */
import { wrapImage, type ImageU8 } from '@caddm/image';
import { DatasetOptionError } from '../errors.js';

const LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/** The IJG quantisation table for a quality (libjpeg's `jpeg_quality_scaling`, baseline clamp to 1..255). */
export function quantTable(base: readonly number[], quality: number): Float64Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - 2 * q;
  return Float64Array.from(base, (b) => Math.min(255, Math.max(1, Math.floor((b * scale + 50) / 100))));
}

const COS = (() => {
  const c = new Float64Array(64);
  for (let x = 0; x < 8; x++) for (let u = 0; u < 8; u++) c[x * 8 + u] = Math.cos(((2 * x + 1) * u * Math.PI) / 16) * (u === 0 ? Math.SQRT1_2 : 1) * 0.5;
  return c;
})();

/** Quantises one plane in place (8x8 DCT blocks; the plane is padded by edge replication). */
function quantizePlane(p: Float64Array, w: number, h: number, qt: Float64Array): void {
  const blk = new Float64Array(64);
  const tmp = new Float64Array(64);
  for (let by = 0; by < h; by += 8) {
    for (let bx = 0; bx < w; bx += 8) {
      for (let y = 0; y < 8; y++) {
        const sy = Math.min(h - 1, by + y);
        for (let x = 0; x < 8; x++) blk[y * 8 + x] = p[sy * w + Math.min(w - 1, bx + x)] - 128;
      }
      // Forward DCT: rows then columns.
      for (let y = 0; y < 8; y++) {
        for (let u = 0; u < 8; u++) {
          let s = 0;
          for (let x = 0; x < 8; x++) s += blk[y * 8 + x] * COS[x * 8 + u];
          tmp[y * 8 + u] = s;
        }
      }
      for (let u = 0; u < 8; u++) {
        for (let v = 0; v < 8; v++) {
          let s = 0;
          for (let y = 0; y < 8; y++) s += tmp[y * 8 + u] * COS[y * 8 + v];
          const q = qt[v * 8 + u];
          blk[v * 8 + u] = Math.round(s / q) * q;
        }
      }
      // Inverse DCT.
      for (let v = 0; v < 8; v++) {
        for (let x = 0; x < 8; x++) {
          let s = 0;
          for (let u = 0; u < 8; u++) s += blk[v * 8 + u] * COS[x * 8 + u];
          tmp[v * 8 + x] = s;
        }
      }
      for (let x = 0; x < 8; x++) {
        for (let y = 0; y < 8; y++) {
          let s = 0;
          for (let v = 0; v < 8; v++) s += tmp[v * 8 + x] * COS[y * 8 + v];
          const yy = by + y;
          const xx = bx + x;
          if (yy < h && xx < w) p[yy * w + xx] = Math.min(255, Math.max(0, Math.round(s + 128)));
        }
      }
    }
  }
}

/**
 * Applies baseline-JPEG compression artefacts at `quality` (1..100) to an RGB image:
 * JFIF YCbCr, 4:2:0 chroma (2x2 averages, upsampled with libjpeg's triangular "fancy" filter),
 * IJG tables. Deterministic and synchronous.
 * @throws DatasetOptionError for a bad quality or a non-RGB image
 */
export function jpegArtifacts(img: ImageU8, quality: number): ImageU8 {
  if (!(quality >= 1 && quality <= 100)) throw new DatasetOptionError(`JPEG quality must be in 1..100, got ${quality}`);
  const [h, w, c] = img.shape;
  if (c !== 3) throw new DatasetOptionError(`jpegArtifacts needs an RGB image, got ${c} channels`);
  const s = img.data;
  const n = w * h;
  const Y = new Float64Array(n);
  const Cb = new Float64Array(n);
  const Cr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = s[i * 3];
    const g = s[i * 3 + 1];
    const b = s[i * 3 + 2];
    Y[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    Cb[i] = Math.round(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
    Cr[i] = Math.round(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
  }
  const cw = (w + 1) >> 1;
  const ch = (h + 1) >> 1;
  const sub = (p: Float64Array): Float64Array => {
    const o = new Float64Array(cw * ch);
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const x0 = 2 * x;
        const y0 = 2 * y;
        const x1 = Math.min(w - 1, x0 + 1);
        const y1 = Math.min(h - 1, y0 + 1);
        o[y * cw + x] = Math.round((p[y0 * w + x0] + p[y0 * w + x1] + p[y1 * w + x0] + p[y1 * w + x1]) / 4);
      }
    }
    return o;
  };
  const cb = sub(Cb);
  const cr = sub(Cr);
  quantizePlane(Y, w, h, quantTable(LUMA, quality));
  const qc = quantTable(CHROMA, quality);
  quantizePlane(cb, cw, ch, qc);
  quantizePlane(cr, cw, ch, qc);
  // Triangular upsampling: each output pixel mixes its chroma sample (3/4) with the nearest neighbour (1/4) per axis.
  const up = (p: Float64Array, x: number, y: number): number => {
    const fx = (x - 0.5) / 2;
    const fy = (y - 0.5) / 2;
    const x0 = Math.floor(fx);
    const y0 = Math.floor(fy);
    const ax = fx - x0;
    const ay = fy - y0;
    const X0 = Math.min(cw - 1, Math.max(0, x0));
    const X1 = Math.min(cw - 1, Math.max(0, x0 + 1));
    const Y0 = Math.min(ch - 1, Math.max(0, y0));
    const Y1 = Math.min(ch - 1, Math.max(0, y0 + 1));
    return (p[Y0 * cw + X0] * (1 - ax) + p[Y0 * cw + X1] * ax) * (1 - ay) + (p[Y1 * cw + X0] * (1 - ax) + p[Y1 * cw + X1] * ax) * ay;
  };
  const out = new Uint8Array(n * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const yy = Y[i];
      const b = up(cb, x, y) - 128;
      const r = up(cr, x, y) - 128;
      out[i * 3] = clamp(yy + 1.402 * r);
      out[i * 3 + 1] = clamp(yy - 0.344136 * b - 0.714136 * r);
      out[i * 3 + 2] = clamp(yy + 1.772 * b);
    }
  }
  return wrapImage(out, h, w, 3);
}

function clamp(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}
