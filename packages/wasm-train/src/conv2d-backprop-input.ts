import { Conv2DBackpropInput, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { alloc, requireFloat32, requireNHWC, run, Temps, view, type KernelArgs, type WasmBackend } from './backend.js';
import { checkDyShape, convGeometry, explicitPad, phases, type ConvAttrs, type Phase } from './conv-geometry.js';
import { WasmKernelInputError } from './errors.js';

interface Attrs extends ConvAttrs {
  readonly inputShape: readonly [number, number, number, number];
  readonly dataFormat?: string;
}

/**
 * Builds the filter of one phase: taps `rows.first + s*j` / `cols.first + s*j`
 * of `filter` ([kH, kW, inC, outC]) in reverse order, transposed to
 * [taps, taps, outC, inC] so that a forward convolution of `dy` with it
 * yields the input gradient.
 */
function phaseFilter(
  backend: WasmBackend,
  filter: TensorInfo,
  rows: Phase,
  cols: Phase,
  sH: number,
  sW: number,
): TensorInfo {
  const [, kW, inC, outC] = filter.shape;
  const out = alloc(backend, [rows.taps, cols.taps, outC, inC]);
  const f = view(backend, filter);
  const o = view(backend, out);
  let dst = 0;
  for (let a = 0; a < rows.taps; a++) {
    const kh = rows.first + sH * (rows.taps - 1 - a);
    for (let b = 0; b < cols.taps; b++) {
      const kw = cols.first + sW * (cols.taps - 1 - b);
      const base = (kh * kW + kw) * inC * outC;
      for (let co = 0; co < outC; co++) {
        let src = base + co;
        for (let ci = 0; ci < inC; ci++, src += outC) o[dst++] = f[src];
      }
    }
  }
  return out;
}

/** Copies a phase result [B, rows.size, cols.size, C] into every s-th row/column of `dx`. */
function scatterPhase(
  backend: WasmBackend,
  part: TensorInfo,
  dx: TensorInfo,
  rows: Phase,
  cols: Phase,
  sH: number,
  sW: number,
): void {
  const [batch, H, W, C] = dx.shape;
  const src = view(backend, part);
  const dst = view(backend, dx);
  let s = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < rows.size; i++) {
      const h = rows.phase + sH * i;
      let d = ((b * H + h) * W + cols.phase) * C;
      const step = sW * C;
      for (let j = 0; j < cols.size; j++, d += step) {
        for (let c = 0; c < C; c++) dst[d + c] = src[s + c];
        s += C;
      }
    }
  }
}

/** Zeroes every s-th row/column of `dx` that belongs to an empty phase. */
function zeroPhase(backend: WasmBackend, dx: TensorInfo, rows: Phase, cols: Phase, sH: number, sW: number): void {
  const [batch, H, W, C] = dx.shape;
  const dst = view(backend, dx);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < rows.size; i++) {
      const h = rows.phase + sH * i;
      for (let j = 0; j < cols.size; j++) {
        const d = ((b * H + h) * W + cols.phase + sW * j) * C;
        dst.fill(0, d, d + C);
      }
    }
  }
}

/**
 * `Conv2DBackpropInput` (the input gradient of `conv2d`) on the wasm
 * backend's XNNPACK convolution.
 *
 * With stride 1 it is one convolution of `dy` with the spatially reversed,
 * channel-transposed filter. With stride s > 1 the input gradient splits
 * into s x s phases (rows h = s*i + p), each a stride-1 convolution of `dy`
 * with the taps of the filter that reach that phase; the phases are then
 * interleaved. This does the same multiply-adds as the forward convolution,
 * unlike zero-insertion (s^2 times more) or the stock kernel's scalar loop.
 */
export function conv2DBackpropInput(args: KernelArgs): TensorInfo {
  const name = Conv2DBackpropInput;
  const backend = args.backend as WasmBackend;
  const { dy, filter } = args.inputs;
  const attrs = args.attrs as Attrs;
  if (dy == null || filter == null) throw new WasmKernelInputError(name, 'needs inputs dy and filter');
  requireFloat32(name, { dy, filter });
  requireNHWC(name, attrs.dataFormat);
  const g = convGeometry(name, attrs.inputShape, filter.shape, { ...attrs, dilations: 1 }, false);
  checkDyShape(name, dy.shape, g);

  const rowPhases = phases(g.inH, g.outH, g.kH, g.strideH, g.padTop);
  const colPhases = phases(g.inW, g.outW, g.kW, g.strideW, g.padLeft);
  const single = rowPhases.length === 1 && colPhases.length === 1;
  const t = new Temps(backend);
  try {
    let dx: TensorInfo | undefined;
    if (!single) dx = alloc(backend, [g.batch, g.inH, g.inW, g.inC]);
    for (const rows of rowPhases) {
      for (const cols of colPhases) {
        const empty = rows.taps === 0 || cols.taps === 0 || rows.dyStart >= rows.dyEnd || cols.dyStart >= cols.dyEnd;
        if (empty) {
          if (single) return alloc(backend, [g.batch, g.inH, g.inW, g.inC], 'float32', true);
          zeroPhase(backend, dx as TensorInfo, rows, cols, g.strideH, g.strideW);
          continue;
        }
        const w = t.add(phaseFilter(backend, filter, rows, cols, g.strideH, g.strideW));
        let src = dy;
        if (rows.dyStart > 0 || rows.dyEnd < g.outH || cols.dyStart > 0 || cols.dyEnd < g.outW) {
          src = t.add(
            run(backend, 'Slice', { x: dy }, {
              begin: [0, rows.dyStart, cols.dyStart, 0],
              size: [g.batch, rows.dyEnd - rows.dyStart, cols.dyEnd - cols.dyStart, g.outC],
            }),
          );
        }
        const part = run(backend, 'Conv2D', { x: src, filter: w }, {
          strides: [1, 1],
          dilations: [1, 1],
          pad: explicitPad(rows.padBefore, rows.padAfter, cols.padBefore, cols.padAfter),
          dataFormat: 'NHWC',
        });
        if (single) return part;
        t.add(part);
        scatterPhase(backend, part, dx as TensorInfo, rows, cols, g.strideH, g.strideW);
      }
    }
    return dx as TensorInfo;
  } finally {
    t.free();
  }
}

/** Kernel config registering {@link conv2DBackpropInput} on the wasm backend. */
export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelConfig['kernelFunc'],
};
