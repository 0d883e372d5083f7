import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { direct, kernel, run1 } from './define.js';

/** Unary kernels with input `x`, run as the native kernel of the same name. */
const UNARY = [
  'Abs', 'Acos', 'Asin', 'Atan', 'Ceil', 'Cos', 'Cosh', 'Elu', 'Erf', 'Exp', 'Expm1', 'Floor', 'IsNan', 'IsInf',
  'IsFinite', 'Log', 'Log1p', 'LogicalNot', 'Neg', 'Reciprocal', 'Relu', 'Relu6', 'Round', 'Rsqrt', 'Selu',
  'Sigmoid', 'Sign', 'Sin', 'Sinh', 'Softplus', 'Sqrt', 'Square', 'Tan', 'Tanh', 'ZerosLike', 'OnesLike',
  'Identity', 'Step', 'LeakyRelu', 'ClipByValue',
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
  direct('Prelu', ['x', 'alpha']),
  direct('EluGrad', ['dy', 'y']),
  direct('Select', ['condition', 't', 'e']),
  kernel('AddN', ({ inputs, backend }) => backend.run('AddN', inputs as unknown as TensorInfo[])[0]),
  kernel('Cast', ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const dtype = attrs.dtype as string;
    if (dtype === x.dtype) return run1(backend, 'Identity', [x]);
    return run1(backend, 'Cast', [x], { dtype });
  }),
];
