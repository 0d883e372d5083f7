import { Conv2DBackpropFilter, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { requireFloat32, requireNHWC, run, Temps, type KernelArgs, type WasmBackend } from './backend.js';
import { checkDyShape, convGeometry, explicitPad, filterGradPadding, type ConvAttrs } from './conv-geometry.js';
import { WasmKernelInputError } from './errors.js';
import { isPointwise, pointwiseFilterGrad } from './pointwise-filter-grad.js';
import { tapFilterGrad, tapFrame } from './tap-filter-grad.js';

interface Attrs extends ConvAttrs {
  readonly filterShape: readonly [number, number, number, number];
  readonly dataFormat?: string;
}

/**
 * `Conv2DBackpropFilter` (the filter gradient of `conv2d`), which the stock
 * wasm backend lacks, on the backend's own XNNPACK convolution.
 *
 * dW[kh,kw,ci,co] = sum over b,oh,ow of x[b, oh*s+kh-pad, ow*s+kw-pad, ci] * dy[b,oh,ow,co]
 * is a convolution whose "batch" is ci, whose input channels are b and whose
 * filter is dy: x is transposed to [inC, H, W, B], dy to [outH, outW, B, outC],
 * and a convolution with dilation s (the forward stride) gives
 * [inC, kH, kW, outC], transposed back to the filter layout. Faster paths:
 * 1x1 kernels without padding are one matrix product
 * ({@link pointwiseFilterGrad}); stride-1 kernels with little padding one
 * product per tap ({@link tapFilterGrad}).
 */
export function conv2DBackpropFilter(args: KernelArgs): TensorInfo {
  const name = Conv2DBackpropFilter;
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs;
  const attrs = args.attrs as Attrs;
  if (x == null || dy == null) throw new WasmKernelInputError(name, 'needs inputs x and dy');
  requireFloat32(name, { x, dy });
  requireNHWC(name, attrs.dataFormat);
  const g = convGeometry(name, x.shape, attrs.filterShape, { ...attrs, dilations: 1 }, false);
  checkDyShape(name, dy.shape, g);
  if (isPointwise(g)) return pointwiseFilterGrad(backend, x, dy, g);
  const frame = tapFrame(g);
  if (frame != null) return tapFilterGrad(backend, x, dy, g, frame);

  const t = new Temps(backend);
  try {
    const xt = t.add(run(backend, 'Transpose', { x }, { perm: [3, 1, 2, 0] }));
    const dyt = t.add(run(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] }));
    const { bottom, right } = filterGradPadding(g);
    let dw = t.add(
      run(backend, 'Conv2D', { x: xt, filter: dyt }, {
        strides: [1, 1],
        dilations: [g.strideH, g.strideW],
        pad: explicitPad(g.padTop, bottom, g.padLeft, right),
        dataFormat: 'NHWC',
      }),
    );
    if (dw.shape[1] !== g.kH || dw.shape[2] !== g.kW) {
      dw = t.add(run(backend, 'Slice', { x: dw }, { begin: [0, 0, 0, 0], size: [g.inC, g.kH, g.kW, g.outC] }));
    }
    return run(backend, 'Transpose', { x: dw }, { perm: [1, 2, 0, 3] });
  } finally {
    t.free();
  }
}

/** Kernel config registering {@link conv2DBackpropFilter} on the wasm backend. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
