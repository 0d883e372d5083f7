import { DepthwiseConv2dNativeBackpropFilter, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { alloc, requireFloat32, run, Temps, view, type KernelArgs, type WasmBackend } from './backend.js';
import { checkDyShape, convGeometry, explicitPad, filterGradPadding, type ConvAttrs, type ConvGeometry } from './conv-geometry.js';
import { WasmKernelInputError } from './errors.js';

interface Attrs extends ConvAttrs {
  readonly filterShape: readonly [number, number, number, number];
}

/**
 * `DepthwiseConv2dNativeBackpropFilter` (the filter gradient of
 * `depthwiseConv2d`), which the stock wasm backend lacks.
 *
 * dW[kh,kw,c,q] = sum over b,oh,ow of x[b, oh*s+kh*d-pad, ow*s+kw*d-pad, c] * dy[b,oh,ow,c*m+q].
 * Without dilation this is itself a depthwise convolution on XNNPACK
 * ({@link depthwiseFilterGradByConv}); with dilation, a direct loop over the
 * wasm heap ({@link depthwiseFilterGradLoop}).
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
  if (g.dilationH === 1 && g.dilationW === 1) return depthwiseFilterGradByConv(backend, x, dy, g);
  return depthwiseFilterGradLoop(backend, x, dy, g);
}

/**
 * The filter gradient as one depthwise convolution: with the batch moved
 * into the channels, x becomes a single image [1, H, W, B·C] and dy a filter
 * [outH, outW, B·C, m] applied with dilation s (the forward stride); the
 * result [1, kH, kW, B·C·m] holds every image's share of each tap, summed
 * over the batch here. Two to three times faster than the loop.
 */
function depthwiseFilterGradByConv(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const { batch: B, inH, inW, inC: C, outH, outW, outC, kH, kW } = g;
  const m = outC / C;
  const t = new Temps(backend);
  try {
    const xt = t.add(run(backend, 'Transpose', { x }, { perm: [1, 2, 0, 3] }));
    const x1 = t.add(run(backend, 'Reshape', { x: xt }, { shape: [1, inH, inW, B * C] }));
    const dyt = t.add(run(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] }));
    const f = t.add(run(backend, 'Reshape', { x: dyt }, { shape: [outH, outW, B * C, m] }));
    const { bottom, right } = filterGradPadding(g);
    const taps = t.add(
      run(backend, 'DepthwiseConv2dNative', { x: x1, filter: f }, {
        strides: [1, 1],
        dilations: [g.strideH, g.strideW],
        pad: explicitPad(g.padTop, bottom, g.padLeft, right),
        dataFormat: 'NHWC',
      }),
    );
    // taps [1, kH', kW', B, C·m] (kH' >= kH: extra reach is dropped); sum over B.
    const [, tH, tW] = taps.shape;
    if (tH < kH || tW < kW) {
      throw new WasmKernelInputError(DepthwiseConv2dNativeBackpropFilter, `internal: ${tH}x${tW} taps for a ${kH}x${kW} filter`);
    }
    const out = alloc(backend, [kH, kW, C, m]);
    const src = view(backend, taps);
    const dst = view(backend, out);
    const acc = new Float64Array(outC);
    for (let kh = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++) {
        acc.fill(0);
        for (let b = 0, o = ((kh * tW + kw) * B) * outC; b < B; b++) {
          for (let i = 0; i < outC; i++, o++) acc[i] += src[o];
        }
        const fo = (kh * kW + kw) * outC;
        for (let i = 0; i < outC; i++) dst[fo + i] = acc[i];
      }
    }
    return out;
  } finally {
    t.free();
  }
}

/**
 * The filter gradient as a direct loop over the wasm heap, one filter tap at
 * a time with the channels innermost (contiguous in NHWC), accumulating in
 * float64 (used with dilation).
 */
function depthwiseFilterGradLoop(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
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
