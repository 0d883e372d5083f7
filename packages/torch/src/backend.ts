import {
  DataStorage,
  engine,
  KernelBackend,
  type BackendTimingInfo,
  type DataId,
  type DataType,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { DTYPE_CODES, DTYPES, type TorchNative, type TorchDtype } from './native.js';

/**
 * What the backend keeps per tfjs data id: the native handle, the shape the
 * native tensor has, and tfjs' reference count. As on tfjs' cpu and wasm
 * backends, a reshape shares its input's data id (tfjs code may dispose one
 * of the two and keep using the other), so a tensor's shape can differ from
 * its data's; kernels then see a reshaped view.
 */
interface Entry {
  handle: number;
  shape: readonly number[];
  refCount: number;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type BackendValues = Float32Array | Int32Array | Uint8Array | Uint8Array[];

function typed(values: unknown, dtype: TorchDtype): Float32Array | Int32Array | Uint8Array {
  const ctor = dtype === 'float32' ? Float32Array : dtype === 'int32' ? Int32Array : Uint8Array;
  if (values instanceof ctor) return values;
  return ctor.from(values as ArrayLike<number>);
}

function torchDtype(dtype: DataType, where: string): TorchDtype {
  if (dtype in DTYPE_CODES) return dtype as TorchDtype;
  throw new Error(`torch backend: ${where}: dtype '${dtype}' is not supported (float32, int32 and bool are)`);
}

/**
 * A tfjs `KernelBackend` whose tensors are libtorch tensors held by the
 * addon. tfjs data ids map to native handles; a handle is freed when tfjs'
 * reference count for its data id reaches zero. Kernels are registered
 * separately (`registerTorchKernels`).
 */
export class TorchBackend extends KernelBackend {
  private readonly data: DataStorage<Entry>;
  private nextDataId = 0;

  constructor(readonly native: TorchNative) {
    super();
    this.data = new DataStorage(this, engine());
  }

  override write(values: BackendValues, shape: number[], dtype: DataType): DataId {
    const dataId = { id: this.nextDataId++ };
    this.move(dataId, values, shape, dtype, 1);
    return dataId;
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    const d = torchDtype(dtype, 'write');
    const handle = this.native.write(typed(values, d), shape, DTYPE_CODES[d]);
    this.data.set(dataId, { handle, shape: shape.slice(), refCount });
  }

  /** The native entry of a tensor's data (moving it here from another backend when needed). */
  private entry(t: TensorInfo): Entry {
    return this.data.get(t.dataId);
  }

  /**
   * A tensor that shares `x`'s data under another shape (tfjs' reshape, expandDims,
   * identity): the same data id, one more reference, no native call.
   */
  share(x: TensorInfo, shape: number[]): TensorInfo {
    this.incRef(x.dataId);
    return { dataId: x.dataId, shape, dtype: x.dtype };
  }

  /** Wraps native outputs (handle, dtype, rank, dims...) as tfjs TensorInfos with fresh data ids. */
  adopt(flat: readonly number[]): TensorInfo[] {
    const out: TensorInfo[] = [];
    for (let k = 0; k < flat.length; ) {
      const handle = flat[k++];
      const dtype = DTYPES[flat[k++]];
      const rank = flat[k++];
      const shape = flat.slice(k, k + rank);
      k += rank;
      const dataId = { id: this.nextDataId++ };
      this.data.set(dataId, { handle, shape, refCount: 1 });
      out.push({ dataId, shape, dtype });
    }
    return out;
  }

  /** Runs a native kernel on tfjs tensors. */
  run(kernel: string, inputs: readonly TensorInfo[], attrs: object = {}): TensorInfo[] {
    const handles = new Array<number>(inputs.length);
    let views: number[] | undefined;
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i];
      const e = this.entry(t);
      if (sameShape(e.shape, t.shape)) {
        handles[i] = e.handle;
      } else {
        // A tensor sharing reshaped data: a native view for this call only.
        const v = this.native.run('Reshape', [e.handle], { shape: t.shape })[0];
        (views ??= []).push(v);
        handles[i] = v;
      }
    }
    try {
      return this.adopt(this.native.run(kernel, handles, attrs));
    } finally {
      if (views != null) for (const v of views) this.native.free(v);
    }
  }

  override readSync(dataId: DataId): BackendValues {
    return this.native.read(this.data.get(dataId).handle);
  }

  override read(dataId: DataId): Promise<BackendValues> {
    return Promise.resolve(this.readSync(dataId));
  }

  override disposeData(dataId: DataId, force = false): boolean {
    if (!this.data.has(dataId)) return true;
    const e = this.data.get(dataId);
    if (!force && --e.refCount > 0) return false;
    this.native.free(e.handle);
    this.data.delete(dataId);
    return true;
  }

  override refCount(dataId: DataId): number {
    return this.data.has(dataId) ? this.data.get(dataId).refCount : 0;
  }

  override incRef(dataId: DataId): void {
    this.data.get(dataId).refCount++;
  }

  override numDataIds(): number {
    return this.data.numDataIds();
  }

  override memory(): { unreliable: boolean; reasons?: string[]; nativeHandles: number; nativeBytes: number } {
    const live = this.native.live();
    return { unreliable: false, nativeHandles: live.handles, nativeBytes: live.bytes };
  }

  override floatPrecision(): 32 {
    return 32;
  }

  override epsilon(): number {
    return 1e-7;
  }

  override timerAvailable(): boolean {
    return true;
  }

  override async time(f: () => void): Promise<BackendTimingInfo> {
    const t0 = performance.now();
    f();
    this.native.sync();
    return { kernelMs: performance.now() - t0 };
  }

  override dispose(): void {
    // Tensors still alive belong to the engine, which disposes them through disposeData.
  }
}
