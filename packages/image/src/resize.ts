/**
 * Resizing with OpenCV's sampling conventions (`cv2.resize`): bilinear with the
 * half-pixel centre mapping `sx = (dx + 0.5)·(W/w) - 0.5` and replicated edges, area
 * (box) averaging for downscaling, and nearest. Implemented as two separable passes
 * of sparse per-axis weights, in float64.
 */
import ndarray from 'ndarray';
import { ImageArgumentError, ImageShapeError } from './errors.js';
import { allocData, contiguous, dtypeOf, imageSize, saturateU8, type Image, type ImageData } from './image.js';

/** Resampling filter of {@link resize}. */
export type ResizeInterpolation = 'bilinear' | 'area' | 'nearest';

/** Options of {@link resize}. */
export interface ResizeOptions {
  /**
   * `bilinear` (default, `INTER_LINEAR`), `area` (`INTER_AREA`: exact box averaging when
   * shrinking, OpenCV's area-weighted linear when enlarging) or `nearest` (`INTER_NEAREST`).
   */
  interpolation?: ResizeInterpolation;
  /** Preallocated dense output `[outH, outW, C]` of the source's dtype. */
  out?: Image;
}

/** Sparse resampling weights along one axis (CSR layout). */
interface AxisWeights {
  start: Int32Array; // dst i uses entries start[i] .. start[i+1]
  index: Int32Array;
  weight: Float64Array;
}

function build(entries: Array<[number, number][]>): AxisWeights {
  const total = entries.reduce((s, e) => s + e.length, 0);
  const start = new Int32Array(entries.length + 1);
  const index = new Int32Array(total);
  const weight = new Float64Array(total);
  let k = 0;
  entries.forEach((e, i) => {
    start[i] = k;
    for (const [idx, wt] of e) {
      index[k] = idx;
      weight[k++] = wt;
    }
  });
  start[entries.length] = k;
  return { start, index, weight };
}

/** OpenCV `INTER_LINEAR` taps of one axis: for each destination index, its two source indices and weight. */
export interface LinearTaps {
  /** Left (top) source index of each destination index. */
  i0: Int32Array;
  /** Right (bottom) source index, `min(i0 + 1, srcLen - 1)`. */
  i1: Int32Array;
  /** Weight of `i1` (`i0`'s is `1 - frac`); 0 where the mapping falls outside the source (replicated edge). */
  frac: Float64Array;
}

/**
 * The taps of a bilinear resize along one axis with OpenCV's half-pixel centre mapping
 * `s = (d + 0.5)·(srcLen/dstLen) − 0.5`, clamped to the source (replicated edges): the one
 * definition {@link resize} and the hand-fused resizes of other packages share.
 * @param srcLen - source length (> 0)
 * @param dstLen - destination length (> 0)
 */
export function linearTaps(srcLen: number, dstLen: number): LinearTaps {
  const i0 = new Int32Array(dstLen);
  const i1 = new Int32Array(dstLen);
  const frac = new Float64Array(dstLen);
  const scale = srcLen / dstLen;
  for (let d = 0; d < dstLen; d++) {
    let f = (d + 0.5) * scale - 0.5;
    let s = Math.floor(f);
    f -= s;
    if (s < 0) {
      s = 0;
      f = 0;
    }
    if (s >= srcLen - 1) {
      s = srcLen - 1;
      f = 0;
    }
    i0[d] = s;
    i1[d] = Math.min(s + 1, srcLen - 1);
    frac[d] = f;
  }
  return { i0, i1, frac };
}

function linearWeights(srcLen: number, dstLen: number): AxisWeights {
  const { i0, frac } = linearTaps(srcLen, dstLen);
  const e: Array<[number, number][]> = [];
  for (let d = 0; d < dstLen; d++) {
    const s = i0[d];
    const f = frac[d];
    e.push(f === 0 ? [[s, 1]] : [[s, 1 - f], [s + 1, f]]);
  }
  return build(e);
}

function nearestWeights(srcLen: number, dstLen: number): AxisWeights {
  const scale = srcLen / dstLen;
  const e: Array<[number, number][]> = [];
  for (let d = 0; d < dstLen; d++) e.push([[Math.min(Math.floor(d * scale), srcLen - 1), 1]]);
  return build(e);
}

function areaWeights(srcLen: number, dstLen: number): AxisWeights {
  const scale = srcLen / dstLen;
  const e: Array<[number, number][]> = [];
  if (scale >= 1) {
    // exact box: dst pixel d covers source interval [d·scale, (d+1)·scale)
    for (let d = 0; d < dstLen; d++) {
      const lo = d * scale;
      const hi = Math.min(srcLen, lo + scale);
      const list: [number, number][] = [];
      for (let s = Math.floor(lo); s < hi; s++) {
        const overlap = Math.min(hi, s + 1) - Math.max(lo, s);
        if (overlap > 1e-12) list.push([s, overlap / (hi - lo)]);
      }
      e.push(list);
    }
    return build(e);
  }
  // enlarging: OpenCV's INTER_AREA uses linear weights with a sharpened fraction
  const inv = 1 / scale;
  for (let d = 0; d < dstLen; d++) {
    const s = Math.floor(d * scale);
    let f = d + 1 - (s + 1) * inv;
    f = f <= 0 ? 0 : f - Math.floor(f);
    if (s >= srcLen - 1) e.push([[srcLen - 1, 1]]);
    else e.push(f === 0 ? [[s, 1]] : [[s, 1 - f], [s + 1, f]]);
  }
  return build(e);
}

/**
 * Resizes an HWC image to `outW x outH`, like `cv2.resize(src, (outW, outH), interpolation=...)`.
 * Float results equal OpenCV's up to float rounding; `uint8` results may differ by one level
 * where OpenCV's fixed-point arithmetic rounds differently.
 * @param src - HWC image (any channel count, uint8/float32/float64); the output has its dtype
 * @param outW - output width
 * @param outH - output height
 * @throws ImageArgumentError for non-positive sizes or an unknown interpolation
 */
export function resize<D extends ImageData>(src: Image<D>, outW: number, outH: number, opts: ResizeOptions = {}): Image<D> {
  const { height: h, width: w, channels: c } = imageSize(src);
  if (!Number.isInteger(outW) || outW <= 0 || !Number.isInteger(outH) || outH <= 0) {
    throw new ImageArgumentError(`resize needs positive integer sizes, got ${outW}x${outH}`);
  }
  const interp = opts.interpolation ?? 'bilinear';
  const make = { bilinear: linearWeights, area: areaWeights, nearest: nearestWeights }[interp];
  if (!make) throw new ImageArgumentError(`unknown interpolation ${JSON.stringify(interp)} (expected bilinear, area or nearest)`);
  const dtype = dtypeOf(src);
  let dst: ImageData;
  if (opts.out) {
    const s = imageSize(opts.out);
    if (s.height !== outH || s.width !== outW || s.channels !== c || dtypeOf(opts.out) !== dtype || contiguous(opts.out) !== opts.out) {
      throw new ImageShapeError(`out must be a dense ${outH}x${outW}x${c} ${dtype} image, got ${s.height}x${s.width}x${s.channels} ${dtypeOf(opts.out)}`);
    }
    dst = opts.out.data;
  } else {
    dst = allocData(dtype, outH * outW * c);
  }
  const s = contiguous(src).data;
  const X = make(w, outW);
  const Y = make(h, outH);
  // horizontal pass: h rows x outW columns
  const rowLen = outW * c;
  const tmp = new Float64Array(h * rowLen);
  for (let y = 0; y < h; y++) {
    const sb = y * w * c;
    const tb = y * rowLen;
    for (let x = 0; x < outW; x++) {
      const e0 = X.start[x];
      const e1 = X.start[x + 1];
      for (let k = 0; k < c; k++) {
        let acc = 0;
        for (let e = e0; e < e1; e++) acc += X.weight[e] * s[sb + X.index[e] * c + k];
        tmp[tb + x * c + k] = acc;
      }
    }
  }
  // vertical pass
  const round = dtype === 'uint8';
  for (let y = 0; y < outH; y++) {
    const e0 = Y.start[y];
    const e1 = Y.start[y + 1];
    const ob = y * rowLen;
    for (let j = 0; j < rowLen; j++) {
      let acc = 0;
      for (let e = e0; e < e1; e++) acc += Y.weight[e] * tmp[Y.index[e] * rowLen + j];
      dst[ob + j] = round ? saturateU8(acc) : acc;
    }
  }
  return (opts.out as Image<D>) ?? ndarray(dst as D, [outH, outW, c]);
}
