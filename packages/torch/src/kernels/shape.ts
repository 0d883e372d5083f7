import { backend_util, slice_util, util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { direct, directMulti, kernel, run1 } from './define.js';

/** Reshapes share their input's data (see TorchBackend.share). */
const reshape = (name: string, newShape: (x: TensorInfo, attrs: Record<string, unknown>) => number[]) =>
  kernel(name, ({ inputs, backend, attrs }) => {
    const x = (inputs.x ?? inputs.input) as TensorInfo;
    return backend.share(x, newShape(x, attrs as Record<string, unknown>));
  });

/** A negative axis of a result with `rank` dimensions, made non-negative. */
const axisOf = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** tfjs' range: values[0] = start, values[i] = values[i - 1] + step, in the output's dtype. */
function rangeValues(start: number, stop: number, step: number, dtype: string): Float32Array | Int32Array {
  if (start === stop || (start < stop && step < 0) || (stop < start && step > 1)) {
    return dtype === 'int32' ? new Int32Array(0) : new Float32Array(0);
  }
  const n = Math.abs(Math.ceil((stop - start) / step));
  const values = dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  if (stop < start && step === 1) step = -1;
  if (n > 0) values[0] = start;
  for (let i = 1; i < n; i++) values[i] = values[i - 1] + step;
  return values;
}

/** Layout kernels of the torch backend. */
export const SHAPE_KERNELS: readonly KernelConfig[] = [
  reshape('Reshape', (x, a) => util.inferFromImplicitShape(a.shape as number[], util.sizeFromShape(x.shape))),
  reshape('ExpandDims', (x, a) => {
    const shape = x.shape.slice();
    let dim = a.dim as number;
    if (dim < 0) dim = x.shape.length + dim + 1;
    shape.splice(dim, 0, 1);
    return shape;
  }),
  direct('Transpose', ['x']),
  kernel('Concat', ({ inputs, backend, attrs }) => {
    const all = inputs as unknown as TensorInfo[];
    const [axis] = util.parseAxisParam(attrs.axis as number, all[0].shape);
    const nonEmpty = all.filter((t) => util.sizeFromShape(t.shape) > 0);
    if (nonEmpty.length === 0) {
      const shape = backend_util.computeOutShape(all.map((t) => t.shape), axis);
      return run1(backend, 'Fill', [], { shape, value: 0, dtype: all[0].dtype });
    }
    if (nonEmpty.length === 1) return backend.share(nonEmpty[0], nonEmpty[0].shape);
    return run1(backend, 'Concat', nonEmpty, { axis });
  }),
  kernel('Pack', ({ inputs, backend, attrs }) => {
    const all = inputs as unknown as TensorInfo[];
    return run1(backend, 'Pack', all, { axis: axisOf(attrs.axis as number, all[0].shape.length + 1) });
  }),
  kernel('Unpack', ({ inputs, backend, attrs }) => {
    const x = inputs.value as TensorInfo;
    return backend.run('Unpack', [x], { axis: axisOf(attrs.axis as number, x.shape.length) });
  }),
  kernel('Reverse', ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    return run1(backend, 'Reverse', [x], { dims: util.parseAxisParam(attrs.dims as number[], x.shape) });
  }),
  direct('Tile', ['x']),
  kernel('Slice', ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const [begin, size] = slice_util.parseSliceParams(x as never, attrs.begin as number[], attrs.size as number[]);
    return run1(backend, 'Slice', [x], { begin, size });
  }),
  kernel('StridedSlice', ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const a = attrs as Record<string, number | number[]>;
    const info = slice_util.sliceInfo(
      x.shape, a.begin as number[], a.end as number[], a.strides as number[],
      a.beginMask as number, a.endMask as number, a.ellipsisMask as number, a.newAxisMask as number, a.shrinkAxisMask as number,
    );
    if (info.isIdentity) return backend.share(x, info.finalShape);
    return run1(backend, 'StridedSlice', [x], { begin: info.begin, end: info.end, strides: info.strides, finalShape: info.finalShape });
  }),
  kernel('SplitV', ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const [axis] = util.parseAxisParam(attrs.axis as number, x.shape);
    const sizes = backend_util.prepareSplitSize(x as never, attrs.numOrSizeSplits as number | number[], axis);
    return backend.run('SplitV', [x], { sizes, axis });
  }),
  kernel('PadV2', ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const flatPaddings = (attrs.paddings as Array<[number, number]>).flat();
    return run1(backend, 'PadV2', [x], { flatPaddings, constantValue: attrs.constantValue ?? 0 });
  }),
  kernel('Fill', ({ backend, attrs }) => {
    const dtype = (attrs.dtype as string | undefined) ?? (typeof attrs.value === 'number' ? 'float32' : 'bool');
    const value = typeof attrs.value === 'boolean' ? Number(attrs.value) : (attrs.value as number);
    return run1(backend, 'Fill', [], { shape: attrs.shape, value, dtype });
  }),
  kernel('Range', ({ backend, attrs }) => {
    const dtype = (attrs.dtype as string) === 'int32' ? 'int32' : 'float32';
    const values = rangeValues(attrs.start as number, attrs.stop as number, attrs.step as number, dtype);
    const dataId = backend.write(values, [values.length], dtype);
    return { dataId, shape: [values.length], dtype };
  }),
  kernel('LinSpace', ({ backend, attrs }) => {
    const { start, stop, num } = attrs as { start: number; stop: number; num: number };
    const values = new Float32Array(num);
    const step = (stop - start) / (num - 1);
    if (num > 0) values[0] = start;
    for (let i = 1; i < num; i++) values[i] = values[i - 1] + step;
    const dataId = backend.write(values, [num], 'float32');
    return { dataId, shape: [num], dtype: 'float32' };
  }),
  kernel('GatherV2', ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const [axis] = util.parseAxisParam(attrs.axis as number, x.shape);
    if (((attrs.batchDims as number) ?? 0) !== 0) throw new Error('torch kernel GatherV2: batchDims other than 0 is not supported');
    return run1(backend, 'GatherV2', [x, inputs.indices as TensorInfo], { axis });
  }),
  direct('GatherNd', ['params', 'indices']),
  direct('ScatterNd', ['indices', 'updates']),
  direct('OneHot', ['indices']),
  directMulti('TopK', ['x']),
  direct('UnsortedSegmentSum', ['x', 'segmentIds']),
  ...(['Cumsum', 'Cumprod'] as const).map((name) =>
    kernel(name, ({ inputs, backend, attrs }) => {
      const x = inputs.x as TensorInfo;
      return run1(backend, name, [x], { ...attrs, axis: axisOf(attrs.axis as number, x.shape.length) });
    }),
  ),
];

