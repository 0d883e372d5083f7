/**
 * The first `torch.save` format (2017, before PyTorch 0.1.10; torchvision's
 * first ImageNet files may use it): a tar of `sys_info`, `storages` (a count,
 * then per storage a pickled `(key, location, type)`, its int64 element count
 * and bytes, then a pickled list of views), `tensors` (a count, then per
 * tensor a pickled `(key, storage key, type)`, an int32 rank and 4 spare
 * bytes, int64 sizes, strides and offset) and `pickle` (the object, its
 * tensors as persistent ids). Read with the restricted unpickler: nothing is
 * executed.
 *
 * @packageDocumentation
 */
import { TorchCheckpointError } from './errors.js';
import { BYTES, type SafetensorsDtype } from './safetensors.js';
import { unpickleFrom, type TorchTensorRef } from './unpickle.js';

/** True for a tar container (ustar magic at offset 257). */
export function isTarFile(bytes: Uint8Array): boolean {
  return bytes.length >= 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar';
}

/** The regular-file entries of a tar, by name (PAX extended headers skipped). */
function readTar(bytes: Uint8Array, damaged: (p: string) => Error): Map<string, Uint8Array> {
  const entries = new Map<string, Uint8Array>();
  const latin1 = new TextDecoder('latin1');
  let pos = 0;
  while (pos + 512 <= bytes.length) {
    const header = bytes.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break;
    const field = (at: number, len: number) => latin1.decode(header.subarray(at, at + len)).replace(/\0.*$/s, '').trim();
    const name = field(0, 100);
    const size = parseInt(field(124, 12) || '0', 8);
    const type = field(156, 1);
    if (!Number.isSafeInteger(size) || size < 0 || pos + 512 + size > bytes.length) throw damaged(`has a tar entry '${name}' of ${field(124, 12)} bytes past its end (truncated?)`);
    if (type === '' || type === '0') entries.set(name, bytes.subarray(pos + 512, pos + 512 + size));
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

interface TarStorage {
  readonly key: string;
  readonly dtype: SafetensorsDtype;
  readonly numel: number;
  readonly bytes: Uint8Array;
}

/**
 * Reads a tar-format `torch.save` file: the unpickled object, whose tensors
 * carry their storages' bytes.
 *
 * @param dtypeOf - the dtype of a pickled storage type (throws for an unsupported one)
 * @throws TorchCheckpointError naming the file and the problem
 */
export function readTarTorchFile(bytes: Uint8Array, file: string, dtypeOf: (type: unknown) => SafetensorsDtype): unknown {
  const damaged = (problem: string) => new TorchCheckpointError(`${file}: tar torch.save file ${problem}; the file is damaged or crafted, download or save it again`);
  const tar = readTar(bytes, damaged);
  for (const need of ['pickle', 'storages', 'tensors']) if (!tar.has(need)) throw damaged(`has no '${need}' entry`);
  const noPid = () => {
    throw damaged('has a persistent id inside its storage or tensor tables');
  };
  const opts = { file, part: 'tar pickle', persistentLoad: noPid };
  const intKey = (k: unknown, what: string): string => {
    if (typeof k === 'number' || typeof k === 'bigint' || typeof k === 'string') return String(k);
    throw damaged(`has a ${what} key that is not a number`);
  };

  // Storages: count, then (key, location, type), int64 element count, bytes; then the views.
  const sb = tar.get('storages')!;
  const sview = new DataView(sb.buffer, sb.byteOffset, sb.byteLength);
  let at = 0;
  const next = (buf: Uint8Array) => {
    const r = unpickleFrom(buf, at, opts);
    at = r.end;
    return r.value;
  };
  const count = next(sb);
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0 || count > sb.length) throw damaged('has a bad storage count');
  const storages = new Map<string, TarStorage>();
  for (let i = 0; i < count; i++) {
    const rec = next(sb);
    if (!Array.isArray(rec) || rec.length < 3) throw damaged(`has a malformed storage record ${i}`);
    const key = intKey(rec[0], 'storage');
    const dtype = dtypeOf(rec[2]);
    if (at + 8 > sb.length) throw damaged(`ends before storage '${key}' (truncated)`);
    const numel = Number(sview.getBigInt64(at, true));
    const n = numel * BYTES[dtype];
    if (!Number.isSafeInteger(numel) || numel < 0 || at + 8 + n > sb.length) throw damaged(`says storage '${key}' has ${numel} elements, more than its entry holds`);
    storages.set(key, { key, dtype, numel, bytes: sb.subarray(at + 8, at + 8 + n) });
    at += 8 + n;
  }
  const views = next(sb);
  if (!Array.isArray(views)) throw damaged('has no list of storage views');
  for (const v of views) {
    const [target, rootKey, offset, size] = (Array.isArray(v) ? v : []) as [unknown, unknown, number, number];
    const root = storages.get(intKey(rootKey, 'view root'));
    if (!root || !Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0 || offset + size > root.numel) {
      throw damaged(`has a storage view ${JSON.stringify(v)?.slice(0, 80)} outside its storage`);
    }
    const w = BYTES[root.dtype];
    const key = intKey(target, 'view');
    storages.set(key, { key, dtype: root.dtype, numel: size, bytes: root.bytes.subarray(offset * w, (offset + size) * w) });
  }

  // Tensors: count, then (key, storage key, type), int32 rank + 4 spare bytes, sizes, strides, offset.
  const tb = tar.get('tensors')!;
  const tview = new DataView(tb.buffer, tb.byteOffset, tb.byteLength);
  at = 0;
  const ntensors = next(tb);
  if (typeof ntensors !== 'number' || !Number.isSafeInteger(ntensors) || ntensors < 0 || ntensors > tb.length) throw damaged('has a bad tensor count');
  const tensors = new Map<string, TorchTensorRef>();
  const int64 = (): number => {
    if (at + 8 > tb.length) throw damaged('ends inside a tensor record (truncated)');
    const v = Number(tview.getBigInt64(at, true));
    at += 8;
    if (!Number.isSafeInteger(v) || v < 0) throw damaged(`has a tensor size, stride or offset ${v}`);
    return v;
  };
  for (let i = 0; i < ntensors; i++) {
    const rec = next(tb);
    if (!Array.isArray(rec) || rec.length < 3) throw damaged(`has a malformed tensor record ${i}`);
    const key = intKey(rec[0], 'tensor');
    const storage = storages.get(intKey(rec[1], 'tensor storage'));
    if (!storage) throw damaged(`has tensor '${key}' on storage '${String(rec[1])}', which it does not hold`);
    if (at + 8 > tb.length) throw damaged('ends inside a tensor record (truncated)');
    const ndim = tview.getInt32(at, true);
    at += 8;
    if (ndim < 0 || ndim > 64) throw damaged(`has tensor '${key}' of rank ${ndim}`);
    const shape = Array.from({ length: ndim }, int64);
    const stride = Array.from({ length: ndim }, int64);
    const offset = int64();
    tensors.set(key, { kind: 'tensor', storage, offset, shape, stride, parameter: false });
  }

  // The object: tensors are persistent ids (their keys as strings).
  return unpickleFrom(tar.get('pickle')!, 0, {
    file,
    part: 'tar pickle',
    persistentLoad: (pid) => {
      const t = typeof pid === 'string' || typeof pid === 'number' ? tensors.get(String(pid)) : undefined;
      if (!t) throw damaged(`refers to ${Array.isArray(pid) ? 'a module or container (a pickled model, not a state dict)' : `tensor '${String(pid)}', which it does not hold`}`);
      return t;
    },
  }).value;
}
