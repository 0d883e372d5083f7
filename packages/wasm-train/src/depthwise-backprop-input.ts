import { DepthwiseConv2dNativeBackpropInput, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { alloc, requireFloat32, run, Temps, view, type KernelArgs, type WasmBackend } from './backend.js';
import { checkDyShape, convGeometry, explicitPad, type ConvAttrs, type ConvGeometry } from './conv-geometry.js';
import { WasmKernelInputError } from './errors.js';

interface Attrs extends ConvAttrs {
  readonly inputShape: readonly [number, number, number, number];
}

/** The filter [kH, kW, C, 1] reversed in both spatial axes. */
function reversedFilter(backend: WasmBackend, filter: TensorInfo): TensorInfo {
  const [kH, kW, C] = filter.shape;
  const out = alloc(backend, [kH, kW, C, 1]);
  const f = view(backend, filter);
  const o = view(backend, out);
  for (let kh = 0; kh < kH; kh++) {
    for (let kw = 0; kw < kW; kw++) {
      const src = (kh * kW + kw) * C;
      const dst = ((kH - 1 - kh) * kW + (kW - 1 - kw)) * C;
      for (let c = 0; c < C; c++) o[dst + c] = f[src + c];
    }
  }
  return out;
}

/** The general case: a direct scatter loop over the wasm heap. */
function loop(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const { batch, inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  const m = outC / inC;
  const out = alloc(backend, [batch, inH, inW, inC], 'float32', true);
  const ys = view(backend, dy);
  const fs = view(backend, filter);
  const dx = view(backend, out);
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const yo = ((b * outH + oh) * outW + ow) * outC;
        for (let kh = 0; kh < kH; kh++) {
          const h = oh * strideH + kh * dilationH - padTop;
          if (h < 0 || h >= inH) continue;
          for (let kw = 0; kw < kW; kw++) {
            const w = ow * strideW + kw * dilationW - padLeft;
            if (w < 0 || w >= inW) continue;
            const xo = ((b * inH + h) * inW + w) * inC;
            const fo = (kh * kW + kw) * outC;
            if (m === 1) {
              for (let c = 0; c < inC; c++) dx[xo + c] += ys[yo + c] * fs[fo + c];
            } else {
              for (let c = 0; c < inC; c++) {
                let s = 0;
                const base = c * m;
                for (let q = 0; q < m; q++) s += ys[yo + base + q] * fs[fo + base + q];
                dx[xo + c] += s;
              }
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * `DepthwiseConv2dNativeBackpropInput` (the input gradient of
 * `depthwiseConv2d`), which the stock wasm backend lacks.
 *
 * With stride 1 and channel multiplier 1 (the EfficientNet / Xception case)
 * it is a forward depthwise convolution of `dy` with the spatially reversed
 * filter on the backend's XNNPACK kernel; otherwise a direct loop.
 */
export function depthwiseConv2dNativeBackpropInput(args: KernelArgs): TensorInfo {
  const name = DepthwiseConv2dNativeBackpropInput;
  const backend = args.backend as WasmBackend;
  const { dy, filter } = args.inputs;
  const attrs = args.attrs as Attrs;
  if (dy == null || filter == null) throw new WasmKernelInputError(name, 'needs inputs dy and filter');
  requireFloat32(name, { dy, filter });
  const g = convGeometry(name, attrs.inputShape, filter.shape, attrs, true);
  checkDyShape(name, dy.shape, g);

  const padTop = (g.kH - 1) * g.dilationH - g.padTop;
  const padLeft = (g.kW - 1) * g.dilationW - g.padLeft;
  const padBottom = g.inH - g.outH + g.padTop;
  const padRight = g.inW - g.outW + g.padLeft;
  const fast =
    g.strideH === 1 && g.strideW === 1 && g.outC === g.inC && Math.min(padTop, padLeft, padBottom, padRight) >= 0;
  if (!fast) return loop(backend, dy, filter, g);
  const t = new Temps(backend);
  try {
    const w = t.add(reversedFilter(backend, filter));
    return run(backend, 'DepthwiseConv2dNative', { x: dy, filter: w }, {
      strides: [1, 1],
      dilations: [g.dilationH, g.dilationW],
      pad: explicitPad(padTop, padBottom, padLeft, padRight),
    });
  } finally {
    t.free();
  }
}

/** Kernel config registering {@link depthwiseConv2dNativeBackpropInput} on the wasm backend. */
export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput as unknown as KernelConfig['kernelFunc'],
};
