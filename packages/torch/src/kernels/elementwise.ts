import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { direct, kernel, run1 } from './define.js';

/** Unary kernels with input `x`, run as the native kernel of the same name. */
const UNARY = [
  'Abs', 'Acos', 'Asin', 'Atan', 'Ceil', 'Cos', 'Cosh', 'Elu', 'Erf', 'Exp', 'Expm1', 'Floor', 'IsNan', 'IsInf',
  'IsFinite', 'Log', 'Log1p', 'LogicalNot', 'Neg', 'Reciprocal', 'Relu', 'Relu6', 'Round', 'Rsqrt', 'Selu',
  'Sigmoid', 'Sign', 'Sin', 'Sinh', 'Softplus', 'Sqrt', 'Square', 'Tan', 'Tanh',
  'Step', 'LeakyRelu', 'ClipByValue',
] as const;

/** Broadcasting binary kernels with inputs `a` and `b`. */
const BINARY = [
  'Add', 'Sub', 'Multiply', 'RealDiv', 'FloorDiv', 'Mod', 'Maximum', 'Minimum', 'Pow', 'SquaredDifference', 'Atan2',
  'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'LogicalAnd', 'LogicalOr',
] as const;

/** Element-wise kernels of the torch backend. */
export const ELEMENTWISE_KERNELS: readonly KernelConfig[] = [
  ...UNARY.map((k) => direct(k, ['x'])),
  ...BINARY.map((k) => direct(k, ['a', 'b'])),
  // Only the shape and dtype are read: tfjs' backprop asks for zerosLike of outputs it may have disposed.
  ...(['ZerosLike', 'OnesLike'] as const).map((name) =>
    kernel(name, ({ inputs, backend }) => {
      const x = inputs.x as TensorInfo;
      return run1(backend, 'Fill', [], { shape: x.shape, value: name === 'OnesLike' ? 1 : 0, dtype: x.dtype });
    }),
  ),
  kernel('Identity', ({ inputs, backend }) => backend.share(inputs.x as TensorInfo, (inputs.x as TensorInfo).shape)),
  direct('Prelu', ['x', 'alpha']),
  direct('EluGrad', ['dy', 'y']),
  direct('Select', ['condition', 't', 'e']),
  kernel('AddN', ({ inputs, backend }) => backend.run('AddN', inputs as unknown as TensorInfo[])[0]),
  kernel('Cast', ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const dtype = attrs.dtype as string;
    if (dtype === x.dtype) return backend.share(x, x.shape);
    return run1(backend, 'Cast', [x], { dtype });
  }),
];
