import { backend_util } from '@tensorflow/tfjs';
import { WasmKernelInputError } from './errors.js';

/** Padding/stride/dilation attributes shared by the convolution kernels. */
export interface ConvAttrs {
  readonly strides: number | readonly [number, number];
  readonly dilations?: number | readonly [number, number];
  readonly pad: 'valid' | 'same' | number | readonly (readonly [number, number])[];
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The geometry of a 2-D convolution, resolved from its attributes. */
export interface ConvGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly outH: number;
  readonly outW: number;
  readonly outC: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  /** Zero rows/columns added before the first input row/column. */
  readonly padTop: number;
  readonly padLeft: number;
}

/**
 * Resolves the geometry of a convolution of an NHWC input of `inShape` with a
 * filter of `filterShape` ([kH, kW, inC, outC], or [kH, kW, inC, multiplier]
 * when `depthwise`), exactly as tfjs does for the forward kernel.
 */
export function convGeometry(
  kernel: string,
  inShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvAttrs,
  depthwise: boolean,
): ConvGeometry {
  if (inShape.length !== 4) throw new WasmKernelInputError(kernel, `input must be rank 4 (NHWC), got shape [${inShape}]`);
  if (filterShape.length !== 4) {
    throw new WasmKernelInputError(kernel, `filter must be rank 4, got shape [${filterShape}]`);
  }
  if (inShape[3] !== filterShape[2]) {
    throw new WasmKernelInputError(
      kernel,
      `input has ${inShape[3]} channels but the filter [${filterShape}] expects ${filterShape[2]}`,
    );
  }
  const info = backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    (attrs.dilations ?? 1) as number | [number, number],
    attrs.pad as backend_util.ExplicitPadding,
    attrs.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Throws unless `dy` has the shape the forward convolution would output. */
export function checkDyShape(kernel: string, dyShape: readonly number[], g: ConvGeometry): void {
  const want = [g.batch, g.outH, g.outW, g.outC];
  if (dyShape.length !== 4 || dyShape.some((d, i) => d !== want[i])) {
    throw new WasmKernelInputError(kernel, `dy has shape [${dyShape}] but the convolution outputs [${want}]`);
  }
}

/**
 * The zero rows and columns to add after the input when a filter gradient is
 * computed as a stride-1 correlation of x with dy dilated by the forward
 * stride: rows read by tap kh run from kh - padTop to kh - padTop + (outH-1)*s,
 * so the bottom is padded until the last tap's reach is inside (never negative:
 * extra output taps are sliced off instead).
 */
export function filterGradPadding(g: ConvGeometry): { bottom: number; right: number } {
  return {
    bottom: Math.max(0, g.kH - 1 + (g.outH - 1) * g.strideH - g.padTop - (g.inH - 1)),
    right: Math.max(0, g.kW - 1 + (g.outW - 1) * g.strideW - g.padLeft - (g.inW - 1)),
  };
}

/** An explicit NHWC padding attribute. */
export function explicitPad(top: number, bottom: number, left: number, right: number): number[][] {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/**
 * One output phase of a strided transposed convolution along one axis.
 *
 * With stride `s`, input-gradient rows `h = s*i + phase` receive only the
 * filter taps `k = first + s*j` (j = 0..taps-1); for them the gradient is a
 * stride-1 correlation of `dy` rows `[dyStart, dyEnd)` (padded by `padBefore`
 * and `padAfter` zeros) with those taps in reverse order. `size` rows of the
 * input gradient belong to the phase.
 */
export interface Phase {
  readonly phase: number;
  readonly size: number;
  readonly first: number;
  readonly taps: number;
  readonly dyStart: number;
  readonly dyEnd: number;
  readonly padBefore: number;
  readonly padAfter: number;
}

/**
 * The phases of the input gradient along one axis of a convolution with
 * `k` taps, stride `s` (dilation 1), `pad` zeros before the input, input
 * length `n` and output length `outN`. A phase with `taps === 0` or an empty
 * `dy` range receives no gradient (it is zero).
 */
export function phases(n: number, outN: number, k: number, s: number, pad: number): Phase[] {
  const out: Phase[] = [];
  for (let p = 0; p < s && p < n; p++) {
    const size = Math.ceil((n - p) / s);
    const first = (p + pad) % s;
    const q = Math.floor((p + pad) / s);
    const taps = first < k ? Math.ceil((k - first) / s) : 0;
    // Phase row i reads dy rows i + q - taps + 1 .. i + q.
    const lo = q - taps + 1;
    const hi = size - 1 + q;
    const dyStart = Math.max(lo, 0);
    const dyEnd = Math.min(hi, outN - 1) + 1;
    out.push({ phase: p, size, first, taps, dyStart, dyEnd, padBefore: dyStart - lo, padAfter: hi + 1 - dyEnd });
  }
  return out;
}
