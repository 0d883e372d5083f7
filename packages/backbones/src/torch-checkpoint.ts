/**
 * Reading PyTorch checkpoints without Python: the zip container of
 * `torch.save` (PyTorch >= 1.6; `<name>/data.pkl` plus little-endian
 * storages under `<name>/data/<key>`) or its legacy format (pickles in a
 * row, then the storages; see `torch-legacy.ts`), its pickle read by the restricted
 * {@link unpickle} (nothing is executed), tensors rebuilt from their
 * storages with strides and offsets honoured (views come out contiguous),
 * into the same `Map<string, SafeTensor>` that {@link parseSafetensors}
 * gives. {@link parseWeights} takes either format.
 *
 * @packageDocumentation
 */
import { TorchCheckpointError } from './errors.js';
import { BYTES, parseSafetensors, typedView, type SafeTensor, type SafetensorsDtype } from './safetensors.js';
import { readLegacyTorchFile } from './torch-legacy.js';
import { isTarFile, readTarTorchFile } from './torch-tar.js';
import { looksLikeZip, readZip, type ZipLimits } from './torch-zip.js';
import { isTensorRef, PickleGlobal, TORCH_STORAGE_DTYPES, unpickle, type TorchTensorRef } from './unpickle.js';

/** File extensions {@link parseWeights} (and the tools that take weights) accept. */
export const WEIGHT_FILE_EXTENSIONS = ['.safetensors', '.pth', '.pt', '.bin', '.pkl'] as const;

/** Entries of a checkpoint dict that hold the state dict, in the order they are tried. */
export const STATE_DICT_ENTRIES = ['network', 'state_dict', 'model'] as const;

/** Options of {@link parseTorchCheckpoint} and {@link parseWeights}. */
export interface TorchCheckpointOptions {
  /** The file name for error messages (default `'checkpoint'`). */
  readonly file?: string;
  /** Take the state dict from this entry of a checkpoint dict instead of trying {@link STATE_DICT_ENTRIES}. */
  readonly entry?: string;
  /** Most bytes of tensor data to produce in all (default 8 GiB); guards against views that claim more than their storages. */
  readonly maxBytes?: number;
  /** Limits on the zip container. */
  readonly zip?: ZipLimits;
}

/** A state dict read from a file, and where in the file it was. */
export interface WeightsFile {
  readonly tensors: Map<string, SafeTensor>;
  readonly format: 'safetensors' | 'torch';
  /** The checkpoint-dict entry the state dict came from (`'network'`, ...), or null when the file is a bare state dict. */
  readonly entry: string | null;
  /** The other top-level entries of a checkpoint dict (e.g. `opt_state`, `epoch`), not read into tensors. */
  readonly otherEntries: readonly string[];
}

interface StorageRef {
  readonly key: string;
  readonly dtype: SafetensorsDtype;
  readonly numel: number;
  readonly bytes: Uint8Array;
}


/**
 * True when `bytes` look like a legacy `torch.save` file (PyTorch < 1.6: a
 * bare pickle, or the older tar container).
 */
export function isLegacyTorchFile(bytes: Uint8Array): boolean {
  const pickle = bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5;
  return pickle || isTarFile(bytes);
}

/**
 * Parses a `torch.save` zip checkpoint held in `bytes` and returns its state
 * dict: the file itself when it is a dict of tensors, else the first of
 * {@link STATE_DICT_ENTRIES} (or `options.entry`) that is one. Int64
 * tensors come out as `I64` (`BigInt64Array`), float16/bfloat16 as their
 * 16-bit patterns, as {@link parseSafetensors} gives them.
 *
 * @throws {@link TorchCheckpointError} (one line: file, problem, what to do)
 * for a legacy file, a damaged zip or pickle, a tensor outside its storage,
 * a checkpoint dict with no state dict; {@link UnsafePickleError} for a
 * pickle that asks for anything outside the whitelist.
 */
export function parseTorchCheckpoint(bytes: Uint8Array, options: TorchCheckpointOptions = {}): WeightsFile {
  const file = options.file ?? 'checkpoint';
  const maxBytes = options.maxBytes ?? 8 * 2 ** 30;
  let root: unknown;
  if (looksLikeZip(bytes)) root = readZipCheckpoint(bytes, file, options.zip);
  else if (isTarFile(bytes)) root = readTarTorchFile(bytes, file, (type) => storageDtype(type, file));
  else if (isLegacyTorchFile(bytes)) root = readLegacyTorchFile(bytes, file, (type) => storageDtype(type, file));
  else throw new TorchCheckpointError(`${file}: neither a torch.save zip nor a legacy torch.save file; give a .pth/.pt/.bin/.pkl written by torch.save, or a .safetensors file`);
  const { dict, entry, otherEntries } = chooseStateDict(root, file, options.entry);
  let total = 0;
  const tensors = new Map<string, SafeTensor>();
  for (const [k, ref] of dict) {
    const t = materialise(ref, k, file, maxBytes - total);
    total += t.data.byteLength;
    tensors.set(k, t);
  }
  return { tensors, format: 'torch', entry, otherEntries };
}

/** The dtype of a pickled storage type (`torch.FloatStorage`, ...). */
function storageDtype(type: unknown, file: string): SafetensorsDtype {
  const dtype = type instanceof PickleGlobal && type.module === 'torch' ? TORCH_STORAGE_DTYPES[type.name] : undefined;
  if (!dtype) throw new TorchCheckpointError(`${file}: storage of unsupported type ${type instanceof PickleGlobal ? type.qualified : String(type)}; convert the tensors to float32 before saving`);
  return dtype;
}

/** The unpickled object of a zip checkpoint (PyTorch >= 1.6), its storages read from the zip. */
function readZipCheckpoint(bytes: Uint8Array, file: string, limits: ZipLimits | undefined): unknown {
  const zip = readZip(bytes, file, limits);
  const pkls = [...zip.entries.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pkls.length !== 1) {
    throw new TorchCheckpointError(
      `${file}: a zip with ${pkls.length === 0 ? 'no' : pkls.length} '<name>/data.pkl' entries, so not one torch.save checkpoint (a TorchScript archive or another zip?); save the state dict with torch.save(model.state_dict(), path)`,
    );
  }
  const prefix = pkls[0].slice(0, -'data.pkl'.length);
  const order = zip.entries.get(`${prefix}byteorder`);
  if (order) {
    const s = new TextDecoder().decode(zip.read(order)).trim();
    if (s !== 'little') throw new TorchCheckpointError(`${file}: storages are ${s}-endian; re-save the checkpoint on a little-endian machine`);
  }

  const storages = new Map<string, StorageRef>();
  const persistentLoad = (pid: unknown): StorageRef => {
    if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5) {
      throw new TorchCheckpointError(`${file}: data.pkl has a persistent id that is not a storage (${JSON.stringify(pid)?.slice(0, 80)}); the checkpoint is damaged, save it again with torch.save`);
    }
    const [, type, key, , numel] = pid as [string, unknown, unknown, unknown, unknown];
    const dtype = storageDtype(type, file);
    if (typeof key !== 'string' || !(typeof numel === 'number' && Number.isSafeInteger(numel) && numel >= 0)) {
      throw new TorchCheckpointError(`${file}: storage id (${String(key)}, ${String(numel)}) is malformed; the checkpoint is damaged, save it again with torch.save`);
    }
    const known = storages.get(key);
    if (known) {
      if (known.dtype !== dtype || known.numel !== numel) throw new TorchCheckpointError(`${file}: storage '${key}' is read both as ${known.dtype}[${known.numel}] and ${dtype}[${numel}]; save it again with torch.save`);
      return known;
    }
    const entry = zip.entries.get(`${prefix}data/${key}`);
    if (!entry) throw new TorchCheckpointError(`${file}: storage '${key}' has no entry '${prefix}data/${key}' (truncated zip?); save it again with torch.save`);
    if (entry.size !== numel * BYTES[dtype]) {
      throw new TorchCheckpointError(`${file}: storage '${key}' claims ${numel} ${dtype} elements (${numel * BYTES[dtype]} bytes) but its entry has ${entry.size} bytes; the checkpoint is damaged or crafted`);
    }
    const s: StorageRef = { key, dtype, numel, bytes: zip.read(entry) };
    storages.set(key, s);
    return s;
  };

  return unpickle(zip.read(zip.entries.get(pkls[0])!), { file, persistentLoad });
}

function isStateDict(v: unknown): v is Map<string, TorchTensorRef> {
  if (!(v instanceof Map) || v.size === 0) return false;
  for (const [k, t] of v) if (typeof k !== 'string' || !isTensorRef(t)) return false;
  return true;
}

function describe(v: unknown): string {
  if (v instanceof Map) return `dict of ${v.size}`;
  if (Array.isArray(v)) return `list of ${v.length}`;
  if (isTensorRef(v)) return `tensor [${v.shape.join(', ')}]`;
  if (v === null) return 'None';
  return typeof v === 'bigint' ? 'int' : typeof v === 'number' ? 'number' : typeof v;
}

function chooseStateDict(
  root: unknown,
  file: string,
  wanted: string | undefined,
): { dict: Map<string, TorchTensorRef>; entry: string | null; otherEntries: string[] } {
  if (wanted === undefined && isStateDict(root)) return { dict: root, entry: null, otherEntries: [] };
  if (root instanceof Map) {
    const keys = [...root.keys()].map(String);
    for (const name of wanted !== undefined ? [wanted] : STATE_DICT_ENTRIES) {
      const v = root.get(name);
      if (isStateDict(v)) return { dict: v, entry: name, otherEntries: keys.filter((k) => k !== name) };
    }
    const listed = [...root.entries()].map(([k, v]) => `'${String(k)}' (${describe(v)})`).join(', ');
    const tried = wanted !== undefined ? `'${wanted}'` : STATE_DICT_ENTRIES.map((n) => `'${n}'`).join(', ');
    throw new TorchCheckpointError(
      `${file}: no state dict (a dict of tensors) under ${tried}; the file holds ${listed || 'an empty dict'}; name the entry that holds the weights`,
    );
  }
  throw new TorchCheckpointError(`${file}: holds ${describe(root)}, not a state dict; save model.state_dict() with torch.save`);
}

function materialise(ref: TorchTensorRef, name: string, file: string, budget: number): SafeTensor {
  const s = ref.storage as StorageRef;
  if (!s || typeof s !== 'object' || !(s.bytes instanceof Uint8Array)) {
    throw new TorchCheckpointError(`${file}: tensor '${name}' has no storage; the checkpoint is damaged, save it again with torch.save`);
  }
  const { shape, stride, offset } = ref;
  const w = BYTES[s.dtype];
  let count = 1;
  for (const d of shape) count *= d;
  if (count * w > budget) {
    throw new TorchCheckpointError(`${file}: tensor '${name}' [${shape.join(', ')}] needs ${count * w} bytes, over the remaining limit of ${budget}; the file is crafted, or raise maxBytes`);
  }
  if (count > 0) {
    let last = offset;
    for (let i = 0; i < shape.length; i++) last += (shape[i] - 1) * stride[i];
    if (last >= s.numel) {
      throw new TorchCheckpointError(
        `${file}: tensor '${name}' [${shape.join(', ')}] (stride [${stride.join(', ')}], offset ${offset}) reaches element ${last} of a ${s.numel}-element storage; the checkpoint is damaged or crafted`,
      );
    }
  }
  const out = new Uint8Array(count * w);
  // Row-major strides: one copy; otherwise copy each innermost run.
  let contiguous = true;
  for (let i = shape.length - 1, expect = 1; i >= 0; i--) {
    if (shape[i] !== 1 && stride[i] !== expect) contiguous = false;
    expect *= shape[i];
  }
  if (contiguous) {
    out.set(s.bytes.subarray(offset * w, (offset + count) * w));
  } else if (count > 0) {
    const nd = shape.length;
    const inner = shape[nd - 1];
    const innerStride = stride[nd - 1];
    const idx = new Array<number>(nd - 1).fill(0);
    let o = 0;
    for (;;) {
      let base = offset;
      for (let i = 0; i < nd - 1; i++) base += idx[i] * stride[i];
      if (innerStride === 1) {
        out.set(s.bytes.subarray(base * w, (base + inner) * w), o);
        o += inner * w;
      } else {
        for (let j = 0; j < inner; j++, o += w) {
          const src = (base + j * innerStride) * w;
          out.set(s.bytes.subarray(src, src + w), o);
        }
      }
      let i = nd - 2;
      while (i >= 0 && ++idx[i] === shape[i]) idx[i--] = 0;
      if (i < 0) break;
    }
  }
  return { dtype: s.dtype, shape: [...shape], data: typedView(s.dtype, out.buffer) };
}

/**
 * Reads weights in either format from their bytes: `.safetensors` (by its
 * JSON header) or a `torch.save` zip (`.pth`, `.pt`, `.bin`, `.pkl`), told
 * apart by content, not by the name.
 *
 * @throws {@link TorchCheckpointError} for a legacy torch file or a format
 * that is neither; {@link SafetensorsFormatError} for a damaged
 * safetensors file.
 */
export function parseWeights(bytes: Uint8Array, options: TorchCheckpointOptions = {}): WeightsFile {
  const file = options.file ?? 'weights';
  if (looksLikeZip(bytes) || isLegacyTorchFile(bytes)) return parseTorchCheckpoint(bytes, { ...options, file });
  if (bytes.length >= 9 && bytes[8] === 0x7b /* '{' */) {
    return { tensors: parseSafetensors(bytes).tensors, format: 'safetensors', entry: null, otherEntries: [] };
  }
  throw new TorchCheckpointError(
    `${file}: neither a .safetensors file nor a torch.save zip; give weights as ${WEIGHT_FILE_EXTENSIONS.join(', ')}`,
  );
}

/** One line saying where a {@link WeightsFile}'s state dict came from, e.g. for a log. */
export function describeWeightsFile(w: WeightsFile, file: string): string {
  const n = `${w.tensors.size} tensors`;
  if (w.format === 'safetensors') return `${file}: safetensors, ${n}`;
  if (w.entry === null) return `${file}: torch.save state dict, ${n}`;
  return `${file}: torch.save checkpoint, state dict from '${w.entry}' (${n}; also holds ${w.otherEntries.map((k) => `'${k}'`).join(', ') || 'nothing else'})`;
}
