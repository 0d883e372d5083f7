/**
 * A self-contained reader and writer for the `.safetensors` format
 * (https://github.com/huggingface/safetensors): an 8-byte little-endian
 * header length `n`, `n` bytes of JSON header mapping each tensor name to
 * `{ dtype, shape, data_offsets: [begin, end] }` (offsets relative to the
 * data section that follows), plus an optional `__metadata__` string map.
 *
 * Every length and offset is bounds-checked before use; any inconsistency
 * is a {@link SafetensorsFormatError} naming the tensor.
 *
 * @packageDocumentation
 */
import { SafetensorsFormatError } from './errors.js';

/** dtypes this reader understands (`BOOL` and 8/16-bit integers included for completeness). */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/**
 * One tensor. `data` holds the raw elements in a typed array of the
 * matching width: F16 and BF16 stay as their 16-bit patterns (`Uint16Array`);
 * use {@link toFloat32} to get floats.
 */
export interface SafeTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array | Uint16Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;
}

/** A parsed file: its tensors (in header order) and its `__metadata__`. */
export interface SafetensorsFile {
  readonly tensors: Map<string, SafeTensor>;
  readonly metadata: Record<string, string>;
}

/** Bytes per element of each dtype (shared with the torch.save reader). */
export const BYTES: Record<SafetensorsDtype, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** Largest header the reference implementation accepts (100 MB). */
const MAX_HEADER = 100_000_000;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function requireLittleEndianHost(): void {
  if (!LITTLE_ENDIAN) throw new SafetensorsFormatError('big-endian hosts are not supported');
}

/** A typed view of `buf` for `dtype` (16-bit floats as raw `Uint16Array` patterns). */
export function typedView(dtype: SafetensorsDtype, buf: ArrayBuffer): SafeTensor['data'] {
  switch (dtype) {
    case 'F64':
      return new Float64Array(buf);
    case 'F32':
      return new Float32Array(buf);
    case 'F16':
    case 'BF16':
      return new Uint16Array(buf);
    case 'I64':
      return new BigInt64Array(buf);
    case 'I32':
      return new Int32Array(buf);
    case 'I16':
      return new Int16Array(buf);
    case 'I8':
      return new Int8Array(buf);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(buf);
  }
}

function isDtype(d: unknown): d is SafetensorsDtype {
  return typeof d === 'string' && Object.prototype.hasOwnProperty.call(BYTES, d);
}

/**
 * Parses a `.safetensors` byte buffer. Tensor data is copied out of
 * `bytes` (so results are aligned and independent of the input buffer).
 *
 * @throws {@link SafetensorsFormatError} on any structural problem.
 */
export function parseSafetensors(bytes: Uint8Array): SafetensorsFile {
  requireLittleEndianHost();
  if (bytes.byteLength < 8) {
    throw new SafetensorsFormatError(`file is ${bytes.byteLength} bytes, too short for the 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(bytes.byteLength - 8)) {
    throw new SafetensorsFormatError(`header length ${n} exceeds the ${bytes.byteLength - 8} bytes after it`);
  }
  if (n > BigInt(MAX_HEADER)) throw new SafetensorsFormatError(`header length ${n} exceeds the 100 MB limit`);
  const headerLen = Number(n);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new SafetensorsFormatError(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new SafetensorsFormatError('header is not a JSON object');
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, SafeTensor>();
  const ranges: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        throw new SafetensorsFormatError('__metadata__ is not an object');
      }
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== 'string') throw new SafetensorsFormatError(`__metadata__.${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    if (entry === null || typeof entry !== 'object') {
      throw new SafetensorsFormatError(`tensor '${name}': entry is not an object`);
    }
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (!isDtype(dtype)) throw new SafetensorsFormatError(`tensor '${name}': unsupported dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new SafetensorsFormatError(`tensor '${name}': shape ${JSON.stringify(shape)} is not a list of sizes`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    ) {
      throw new SafetensorsFormatError(`tensor '${name}': data_offsets ${JSON.stringify(offsets)} are not [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataLen) {
      throw new SafetensorsFormatError(
        `tensor '${name}': data_offsets [${begin}, ${end}] run past the ${dataLen}-byte data section`,
      );
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const expected = count * BYTES[dtype];
    if (end - begin !== expected) {
      throw new SafetensorsFormatError(
        `tensor '${name}': ${end - begin} bytes for ${dtype} [${(shape as number[]).join(', ')}], expected ${expected}`,
      );
    }
    // Copy (Node Buffers' slice() is a view into a shared pool, so build a fresh array).
    const copy = new Uint8Array(end - begin);
    copy.set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors.set(name, { dtype, shape: [...(shape as number[])], data: typedView(dtype, copy.buffer) });
    ranges.push([begin, end, name]);
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i][0] < ranges[i - 1][1]) {
      throw new SafetensorsFormatError(`tensors '${ranges[i - 1][2]}' and '${ranges[i][2]}' overlap`);
    }
  }
  return { tensors, metadata };
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/**
 * The elements of a tensor as float32: F32 as is (a copy), F16/BF16
 * decoded, F64 and integers converted (I64 through `Number`).
 */
export function toFloat32(t: SafeTensor): Float32Array {
  const d = t.data;
  const out = new Float32Array(d.length);
  if (t.dtype === 'BF16') {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < d.length; i++) bits[i] = (d as Uint16Array)[i] << 16;
  } else if (t.dtype === 'F16') {
    for (let i = 0; i < d.length; i++) out[i] = halfToFloat((d as Uint16Array)[i]);
  } else if (d instanceof BigInt64Array) {
    for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
  } else {
    out.set(d as ArrayLike<number>);
  }
  return out;
}

/**
 * Serialises tensors (and optional string metadata) to `.safetensors`
 * bytes. Tensors are laid out contiguously in the given order; the header
 * is padded with spaces to a multiple of 8 bytes, as the reference writer
 * does.
 *
 * @throws {@link SafetensorsFormatError} when a tensor's data length does not match its shape.
 */
export function serializeSafetensors(
  tensors: ReadonlyMap<string, SafeTensor> | Readonly<Record<string, SafeTensor>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  requireLittleEndianHost();
  const entries: [string, SafeTensor][] =
    tensors instanceof Map ? [...(tensors as ReadonlyMap<string, SafeTensor>).entries()] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new SafetensorsFormatError(`'__metadata__' is not a valid tensor name`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== count) {
      throw new SafetensorsFormatError(
        `tensor '${name}': ${t.data.length} elements for shape [${t.shape.join(', ')}] (${count} expected)`,
      );
    }
    const size = count * BYTES[t.dtype];
    if (t.data.byteLength !== size) {
      throw new SafetensorsFormatError(`tensor '${name}': data array does not match dtype ${t.dtype}`);
    }
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}
