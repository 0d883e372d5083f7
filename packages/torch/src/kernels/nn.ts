import { backend_util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { inputsOf, kernel, run1, type KernelArgs } from './define.js';

type Conv2DInfo = backend_util.Conv2DInfo;

/** The geometry attributes the native convolution and pooling kernels take. */
function geometry(info: Conv2DInfo): object {
  const p = info.padInfo;
  return {
    pads: [p.top, p.bottom, p.left, p.right],
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
  };
}

function nhwcOnly(kernelName: string, dataFormat: unknown): void {
  if (dataFormat != null && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`torch kernel ${kernelName}: only NHWC data is supported, got dataFormat '${String(dataFormat)}'`);
  }
}

type Attrs = KernelArgs['attrs'];
type ConvArgs = Parameters<typeof backend_util.computeConv2DInfo>;

function convInfo(kernelName: string, xShape: number[], filterShape: number[], attrs: Attrs, depthwise: boolean): Conv2DInfo {
  nhwcOnly(kernelName, attrs.dataFormat);
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as ConvArgs[2],
    (attrs.dilations ?? 1) as ConvArgs[3],
    attrs.pad as ConvArgs[4],
    attrs.dimRoundingMode as ConvArgs[5],
    depthwise,
  );
}

function poolInfo(xShape: number[], attrs: Attrs): Conv2DInfo {
  return backend_util.computePool2DInfo(
    xShape as [number, number, number, number],
    attrs.filterSize as [number, number],
    attrs.strides as [number, number],
    1,
    attrs.pad as ConvArgs[4],
    attrs.dimRoundingMode as ConvArgs[5],
  );
}

const conv = (name: string, depthwise: boolean) =>
  kernel(name, ({ inputs, backend, attrs }) => {
    const [x, filter] = inputsOf(name, inputs, ['x', 'filter']);
    return run1(backend, name, [x, filter], geometry(convInfo(name, x.shape, filter.shape, attrs, depthwise)));
  });

const fusedConv = (name: string, depthwise: boolean) =>
  kernel(name, ({ inputs, backend, attrs }) => {
    const [x, filter] = inputsOf(name, inputs, ['x', 'filter']);
    const bias = inputs.bias as TensorInfo | undefined;
    const prelu = inputs.preluActivationWeights as TensorInfo | undefined;
    const extra = [bias, prelu].filter((t): t is TensorInfo => t != null);
    return run1(backend, name, [x, filter, ...extra], {
      ...geometry(convInfo(name, x.shape, filter.shape, attrs, depthwise)),
      hasBias: bias != null,
      hasPrelu: prelu != null,
      activation: attrs.activation ?? 'linear',
      leakyreluAlpha: attrs.leakyreluAlpha,
    });
  });

const inputGrad = (name: string, depthwise: boolean) =>
  kernel(name, ({ inputs, backend, attrs }) => {
    const [dy, filter] = inputsOf(name, inputs, ['dy', 'filter']);
    const inputShape = attrs.inputShape as number[];
    return run1(backend, name, [dy, filter], { ...geometry(convInfo(name, inputShape, filter.shape, attrs, depthwise)), inputShape });
  });

const filterGrad = (name: string, depthwise: boolean) =>
  kernel(name, ({ inputs, backend, attrs }) => {
    const [x, dy] = inputsOf(name, inputs, ['x', 'dy']);
    const filterShape = attrs.filterShape as number[];
    return run1(backend, name, [x, dy], { ...geometry(convInfo(name, x.shape, filterShape, attrs, depthwise)), filterShape });
  });

const pool = (name: string) =>
  kernel(name, ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const info = poolInfo(x.shape, attrs);
    if (info.filterWidth === 1 && info.filterHeight === 1 && info.strideHeight === 1 && info.strideWidth === 1) {
      return backend.share(x, x.shape);
    }
    return run1(backend, name, [x], { ...geometry(info), filterSize: [info.filterHeight, info.filterWidth] });
  });

const poolGrad = (name: string) =>
  kernel(name, ({ inputs, backend, attrs }) => {
    const [dy, x] = inputsOf(name, inputs, ['dy', 'input']);
    const info = poolInfo(x.shape, attrs);
    return run1(backend, name, [dy, x], { ...geometry(info), filterSize: [info.filterHeight, info.filterWidth] });
  });

/** Convolution, pooling, matrix-product and normalisation kernels of the torch backend. */
export const NN_KERNELS: readonly KernelConfig[] = [
  conv('Conv2D', false),
  conv('DepthwiseConv2dNative', true),
  fusedConv('FusedConv2D', false),
  fusedConv('FusedDepthwiseConv2D', true),
  inputGrad('Conv2DBackpropInput', false),
  inputGrad('DepthwiseConv2dNativeBackpropInput', true),
  filterGrad('Conv2DBackpropFilter', false),
  filterGrad('DepthwiseConv2dNativeBackpropFilter', true),
  pool('MaxPool'),
  pool('AvgPool'),
  poolGrad('MaxPoolGrad'),
  poolGrad('AvgPoolGrad'),
  kernel('BatchMatMul', ({ inputs, backend, attrs }) =>
    run1(backend, 'BatchMatMul', inputsOf('BatchMatMul', inputs, ['a', 'b']), { transposeA: attrs.transposeA, transposeB: attrs.transposeB }),
  ),
  kernel('_FusedMatMul', ({ inputs, backend, attrs }) => {
    const bias = inputs.bias as TensorInfo | undefined;
    const prelu = inputs.preluActivationWeights as TensorInfo | undefined;
    const extra = [bias, prelu].filter((t): t is TensorInfo => t != null);
    return run1(backend, '_FusedMatMul', [...inputsOf('_FusedMatMul', inputs, ['a', 'b']), ...extra], {
      transposeA: attrs.transposeA,
      transposeB: attrs.transposeB,
      hasBias: bias != null,
      hasPrelu: prelu != null,
      activation: attrs.activation ?? 'linear',
      leakyreluAlpha: attrs.leakyreluAlpha,
    });
  }),
  kernel('FusedBatchNorm', ({ inputs, backend, attrs }) => {
    const offset = inputs.offset as TensorInfo | undefined;
    const scale = inputs.scale as TensorInfo | undefined;
    const extra = [offset, scale].filter((t): t is TensorInfo => t != null);
    return run1(backend, 'FusedBatchNorm', [...inputsOf('FusedBatchNorm', inputs, ['x', 'mean', 'variance']), ...extra], {
      hasOffset: offset != null,
      hasScale: scale != null,
      varianceEpsilon: attrs.varianceEpsilon ?? 0.001,
    });
  }),
];
