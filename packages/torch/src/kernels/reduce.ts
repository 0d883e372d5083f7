import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { kernel, run1 } from './define.js';

/** Reductions with `axis` (number, list or none = all) and `keepDims`. */
const REDUCTIONS = ['Sum', 'Mean', 'Max', 'Min', 'Prod', 'All', 'Any'] as const;

/** Reduction kernels of the torch backend. */
export const REDUCE_KERNELS: readonly KernelConfig[] = [
  ...REDUCTIONS.map((name) =>
    kernel(name, ({ inputs, backend, attrs }) => {
      const x = inputs.x as TensorInfo;
      const axes = util.parseAxisParam((attrs.axis ?? attrs.reductionIndices) as number | number[], x.shape);
      return run1(backend, name, [x], { axes, keepDims: Boolean(attrs.keepDims) });
    }),
  ),
  ...(['ArgMax', 'ArgMin'] as const).map((name) =>
    kernel(name, ({ inputs, backend, attrs }) => {
      const x = inputs.x as TensorInfo;
      const [axis] = util.parseAxisParam(attrs.axis as number | number[], x.shape);
      return run1(backend, name, [x], { axis });
    }),
  ),
  kernel('Softmax', ({ inputs, backend, attrs }) => {
    const x = inputs.logits as TensorInfo;
    const [dim] = util.parseAxisParam(attrs.dim as number, x.shape);
    return run1(backend, 'Softmax', [x], { dim });
  }),
];
