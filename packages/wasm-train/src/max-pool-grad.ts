import { backend_util, MaxPoolGrad, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { alloc, requireFloat32, view, type KernelArgs, type WasmBackend } from './backend.js';
import { WasmKernelInputError } from './errors.js';

interface Attrs {
  readonly filterSize: number | [number, number];
  readonly strides: number | [number, number];
  readonly pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * `MaxPoolGrad` for the wasm backend. Replaces the stock kernel of
 * tfjs-backend-wasm 4.22, which routes the gradient to the wrong pixel when
 * a pooling window holds only negative values (its running maximum starts at
 * 0, not -infinity), so every max pooling not preceded by a ReLU trains on
 * wrong gradients.
 *
 * Each output's gradient goes to the first maximum of its window (row-major),
 * as on the cpu backend; padding never wins.
 */
export function maxPoolGrad(args: KernelArgs): TensorInfo {
  const name = MaxPoolGrad;
  const backend = args.backend as WasmBackend;
  const { dy, input } = args.inputs;
  const attrs = args.attrs as Attrs;
  if (dy == null || input == null) throw new WasmKernelInputError(name, 'needs inputs dy and input');
  requireFloat32(name, { dy, input });
  if (input.shape.length !== 4) throw new WasmKernelInputError(name, `input must be rank 4, got [${input.shape}]`);
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, strideHeight, strideWidth } = info;
  const fH = info.effectiveFilterHeight;
  const fW = info.effectiveFilterWidth;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const want = [batchSize, outHeight, outWidth, C];
  if (dy.shape.length !== 4 || dy.shape.some((d, i) => d !== want[i])) {
    throw new WasmKernelInputError(name, `dy has shape [${dy.shape}] but the pooling outputs [${want}]`);
  }

  const out = alloc(backend, input.shape, 'float32', true);
  const xs = view(backend, input);
  const ys = view(backend, dy);
  const dx = view(backend, out);
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = Math.max(0, oh * strideHeight - top);
      const h1 = Math.min(inHeight, oh * strideHeight - top + fH);
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = Math.max(0, ow * strideWidth - left);
        const w1 = Math.min(inWidth, ow * strideWidth - left + fW);
        best.fill(-Infinity);
        where.fill(-1);
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const xo = ((b * inHeight + h) * inWidth + w) * C;
            for (let c = 0; c < C; c++) {
              const v = xs[xo + c];
              if (v > best[c] || where[c] < 0) {
                best[c] = v;
                where[c] = xo + c;
              }
            }
          }
        }
        const yo = ((b * outHeight + oh) * outWidth + ow) * C;
        for (let c = 0; c < C; c++) if (where[c] >= 0) dx[where[c]] += ys[yo + c];
      }
    }
  }
  return out;
}

/** Kernel config registering {@link maxPoolGrad} on the wasm backend. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelConfig['kernelFunc'],
};
