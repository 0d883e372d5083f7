/**
 * The legacy `torch.save` format (PyTorch < 1.6, and what torchvision's,
 * efficientnet_pytorch's and Cadene's ImageNet files still are): pickles one
 * after another (magic number, protocol version, system info, the object,
 * the list of storage keys), then each storage's element count (int64) and
 * raw bytes in the order of that list. The pickles are read by the
 * restricted unpickler, so nothing is executed.
 *
 * @packageDocumentation
 */
import { TorchCheckpointError } from './errors.js';
import { BYTES, type SafetensorsDtype } from './safetensors.js';
import { unpickleFrom } from './unpickle.js';

/** The magic number a legacy `torch.save` file starts with. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
/** The only legacy protocol version PyTorch writes. */
const LEGACY_PROTOCOL = 1001;

/** A storage of a legacy file: its bytes arrive after the object's pickle, so they are filled in later. */
export interface LegacyStorage {
  readonly key: string;
  readonly dtype: SafetensorsDtype;
  numel: number;
  bytes: Uint8Array;
}

/**
 * Reads a legacy `torch.save` file: the unpickled object, whose tensors'
 * `storage` fields are {@link LegacyStorage}s with their bytes filled in.
 *
 * @param dtypeOf - the dtype of a persistent id's storage type (throws for an unsupported one)
 * @throws TorchCheckpointError naming the file and the problem for anything
 * that is not a well-formed little-endian legacy file
 */
export function readLegacyTorchFile(bytes: Uint8Array, file: string, dtypeOf: (type: unknown) => SafetensorsDtype): unknown {
  const damaged = (problem: string) => new TorchCheckpointError(`${file}: legacy torch.save file ${problem}; the file is damaged or crafted, download or save it again`);
  const noStorages = () => {
    throw damaged('has a storage in its header pickles');
  };
  const opts = { file, part: 'legacy pickle', persistentLoad: noStorages };
  const magic = unpickleFrom(bytes, 0, opts);
  if (magic.value !== LEGACY_MAGIC) {
    throw new TorchCheckpointError(`${file}: a pickle, but not one torch.save wrote (no torch magic number); save the state dict with torch.save(model.state_dict(), path)`);
  }
  const protocol = unpickleFrom(bytes, magic.end, opts);
  if (protocol.value !== LEGACY_PROTOCOL) throw damaged(`has protocol version ${String(protocol.value)}, not ${LEGACY_PROTOCOL}`);
  const info = unpickleFrom(bytes, protocol.end, opts);
  if (info.value instanceof Map && info.value.get('little_endian') === false) {
    throw new TorchCheckpointError(`${file}: storages are big-endian; re-save the checkpoint on a little-endian machine`);
  }

  const roots = new Map<string, LegacyStorage>();
  const views: Array<{ view: LegacyStorage; root: string; offset: number }> = [];
  const persistentLoad = (pid: unknown): LegacyStorage => {
    if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5) throw damaged(`has a persistent id that is not a storage (${JSON.stringify(pid)?.slice(0, 80)})`);
    const [, type, key, , numel, viewMeta] = pid as [string, unknown, unknown, unknown, unknown, unknown];
    const dtype = dtypeOf(type);
    if (typeof key !== 'string' || !(typeof numel === 'number' && Number.isSafeInteger(numel) && numel >= 0)) throw damaged(`has a malformed storage id (${String(key)}, ${String(numel)})`);
    let root = roots.get(key);
    if (root === undefined) roots.set(key, (root = { key, dtype, numel, bytes: new Uint8Array(0) }));
    else if (root.dtype !== dtype || root.numel !== numel) throw damaged(`reads storage '${key}' both as ${root.dtype}[${root.numel}] and ${dtype}[${numel}]`);
    if (viewMeta == null) return root;
    // A view of a root storage (old PyTorch): (view key, offset, size), in elements.
    const [viewKey, offset, size] = Array.isArray(viewMeta) ? viewMeta : [];
    if (typeof viewKey !== 'string' || !Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0 || offset + size > numel) {
      throw damaged(`has a storage view ${JSON.stringify(viewMeta)?.slice(0, 80)} outside its ${numel}-element storage '${key}'`);
    }
    const view: LegacyStorage = { key: viewKey, dtype, numel: size as number, bytes: new Uint8Array(0) };
    views.push({ view, root: key, offset: offset as number });
    return view;
  };
  const object = unpickleFrom(bytes, info.end, { file, part: 'legacy pickle', persistentLoad });
  const keys = unpickleFrom(bytes, object.end, opts);
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === 'string')) throw damaged('has no list of storage keys after the object');

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = keys.end;
  const seen = new Set<string>();
  for (const key of keys.value as string[]) {
    const s = roots.get(key);
    if (s === undefined || seen.has(key)) throw damaged(`lists storage '${key}' ${s === undefined ? 'that no tensor uses' : 'twice'}`);
    seen.add(key);
    if (pos + 8 > bytes.length) throw damaged(`ends before storage '${key}' (truncated)`);
    const numel = view.getBigInt64(pos, true);
    if (numel !== BigInt(s.numel)) throw damaged(`says storage '${key}' has ${numel} elements, its tensors ${s.numel}`);
    const n = s.numel * BYTES[s.dtype];
    if (pos + 8 + n > bytes.length) throw damaged(`ends inside storage '${key}' (${n} bytes claimed, ${bytes.length - pos - 8} left; truncated)`);
    s.bytes = bytes.subarray(pos + 8, pos + 8 + n);
    pos += 8 + n;
  }
  const unread = [...roots.keys()].filter((k) => !seen.has(k));
  if (unread.length) throw damaged(`has no data for storage '${unread[0]}' (truncated?)`);
  for (const { view: v, root, offset } of views) {
    const w = BYTES[v.dtype];
    v.bytes = roots.get(root)!.bytes.subarray(offset * w, (offset + v.numel) * w);
  }
  return object.value;
}
