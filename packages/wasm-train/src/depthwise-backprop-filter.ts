import { DepthwiseConv2dNativeBackpropFilter, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { alloc, requireFloat32, view, type KernelArgs, type WasmBackend } from './backend.js';
import { checkDyShape, convGeometry, type ConvAttrs } from './conv-geometry.js';
import { WasmKernelInputError } from './errors.js';

interface Attrs extends ConvAttrs {
  readonly filterShape: readonly [number, number, number, number];
}

/**
 * `DepthwiseConv2dNativeBackpropFilter` (the filter gradient of
 * `depthwiseConv2d`), which the stock wasm backend lacks.
 *
 * dW[kh,kw,c,q] = sum over b,oh,ow of x[b, oh*s+kh*d-pad, ow*s+kw*d-pad, c] * dy[b,oh,ow,c*m+q].
 * A direct loop over the wasm heap, one filter tap at a time with the
 * channels innermost (contiguous in NHWC), accumulating in float64.
 */
export function depthwiseConv2dNativeBackpropFilter(args: KernelArgs): TensorInfo {
  const name = DepthwiseConv2dNativeBackpropFilter;
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs;
  const attrs = args.attrs as Attrs;
  if (x == null || dy == null) throw new WasmKernelInputError(name, 'needs inputs x and dy');
  requireFloat32(name, { x, dy });
  const g = convGeometry(name, x.shape, attrs.filterShape, attrs, true);
  checkDyShape(name, dy.shape, g);
  const { batch, inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  const m = outC / inC;

  const out = alloc(backend, [kH, kW, inC, m]);
  const xs = view(backend, x);
  const ys = view(backend, dy);
  const dw = view(backend, out);
  const acc = new Float64Array(outC);
  for (let kh = 0; kh < kH; kh++) {
    for (let kw = 0; kw < kW; kw++) {
      acc.fill(0);
      for (let b = 0; b < batch; b++) {
        for (let oh = 0; oh < outH; oh++) {
          const h = oh * strideH + kh * dilationH - padTop;
          if (h < 0 || h >= inH) continue;
          for (let ow = 0; ow < outW; ow++) {
            const w = ow * strideW + kw * dilationW - padLeft;
            if (w < 0 || w >= inW) continue;
            const xo = ((b * inH + h) * inW + w) * inC;
            const yo = ((b * outH + oh) * outW + ow) * outC;
            if (m === 1) {
              for (let c = 0; c < inC; c++) acc[c] += xs[xo + c] * ys[yo + c];
            } else {
              for (let c = 0; c < inC; c++) {
                const xv = xs[xo + c];
                const base = c * m;
                for (let q = 0; q < m; q++) acc[base + q] += xv * ys[yo + base + q];
              }
            }
          }
        }
      }
      const fo = (kh * kW + kw) * outC;
      for (let i = 0; i < outC; i++) dw[fo + i] = acc[i];
    }
  }
  return out;
}

/** Kernel config registering {@link depthwiseConv2dNativeBackpropFilter} on the wasm backend. */
export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
