/**
 * A restricted unpickler for the `data.pkl` of a PyTorch checkpoint. A
 * pickle is a program for a stack machine that may call any Python
 * callable; this one only interprets the opcodes state dicts and checkpoint
 * dicts use (protocol 2, plus the few protocol 3/4 framing and string
 * opcodes) and knows a fixed whitelist of globals, which it never executes:
 * each is modelled in TypeScript (`collections.OrderedDict` as a `Map`,
 * `torch._utils._rebuild_tensor_v2` as a {@link TorchTensorRef}, ...).
 * Any other global (`os.system`, `builtins.eval`, ...), a call of a
 * non-callable global, or an unknown opcode is an {@link UnsafePickleError}
 * naming it.
 *
 * Values: `None` is `null`, ints are numbers (bigints past 2^53), lists and
 * tuples are arrays, dicts are `Map`s, sets are `Set`s, bytes are
 * `Uint8Array`s.
 *
 * @packageDocumentation
 */
import { TorchCheckpointError, UnsafePickleError } from './errors.js';
import type { SafetensorsDtype } from './safetensors.js';

/** An allowed global before it is called (a storage type, `torch.Size`, ...). */
export class PickleGlobal {
  /** @param module - the module. @param name - the name within it. */
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  /** `module.name`. */
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A tensor as `torch._utils._rebuild_tensor_v2` describes it: a strided view of a storage. */
export interface TorchTensorRef {
  readonly kind: 'tensor';
  /** Whatever the persistent loader returned for the storage. */
  readonly storage: unknown;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  /** True when it came through `torch._utils._rebuild_parameter`. */
  readonly parameter: boolean;
}

/** True for a {@link TorchTensorRef}. */
export function isTensorRef(v: unknown): v is TorchTensorRef {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'tensor';
}

/** Storage types and the safetensors dtype of their elements. */
export const TORCH_STORAGE_DTYPES: Readonly<Record<string, SafetensorsDtype>> = {
  DoubleStorage: 'F64',
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

const BUILTINS = new Set(['dict', 'list', 'tuple', 'set', 'frozenset', 'int', 'float', 'str', 'bool']);
const TORCH_CALLABLES = new Set([
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  'torch.Size',
  'collections.OrderedDict',
]);

/** Tensor type names the first (tar) `torch.save` format records beside each tensor: data, never called. */
const TORCH_TENSOR_TYPES = new Set(['FloatTensor', 'DoubleTensor', 'HalfTensor', 'BFloat16Tensor', 'LongTensor', 'IntTensor', 'ShortTensor', 'CharTensor', 'ByteTensor', 'BoolTensor']);

function allowedGlobal(module: string, name: string): boolean {
  if (module === 'builtins' || module === '__builtin__') return BUILTINS.has(name);
  if (module === 'torch' && Object.prototype.hasOwnProperty.call(TORCH_STORAGE_DTYPES, name)) return true;
  if (module === 'torch' && TORCH_TENSOR_TYPES.has(name)) return true;
  return TORCH_CALLABLES.has(`${module}.${name}`);
}

/** Options of {@link unpickle}. */
export interface UnpickleOptions {
  /** The name used in error messages. */
  readonly file: string;
  /** Resolves a `BINPERSID` id (for torch: `('storage', type, key, location, numel)`). */
  readonly persistentLoad: (pid: unknown) => unknown;
  /** Longest int in bytes for LONG1/LONG4 (default 64). */
  readonly maxLongBytes?: number;
  /** What the pickle is, in error messages (default `data.pkl`, the zip entry). */
  readonly part?: string;
}

const MARK = Symbol('mark');

function isSizeList(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0);
}

/**
 * Interprets a pickle with the whitelist above and returns its value.
 *
 * @throws {@link UnsafePickleError} for a forbidden global, call or opcode;
 * {@link TorchCheckpointError} for a truncated or malformed pickle.
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): unknown {
  return unpickleFrom(bytes, 0, options).value;
}

/**
 * {@link unpickle} of the pickle that starts at `start` in `bytes`, with the
 * offset just past its STOP: for files that hold several pickles one after
 * another (legacy `torch.save`).
 */
export function unpickleFrom(bytes: Uint8Array, start: number, options: UnpickleOptions): { value: unknown; end: number } {
  const { file, persistentLoad } = options;
  const part = options.part ?? 'data.pkl';
  const maxLong = options.maxLongBytes ?? 64;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const latin1 = new TextDecoder('latin1');
  const malformed = (problem: string): TorchCheckpointError =>
    new TorchCheckpointError(`${file}: ${part} ${problem}; the checkpoint is damaged, save it again with torch.save`);
  const unsafe = (problem: string, global?: string): UnsafePickleError =>
    new UnsafePickleError(`${file}: ${part} ${problem}; only state dicts and checkpoint dicts of tensors are read, and nothing in a pickle is executed`, global);

  let pos = start;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const need = (n: number): number => {
    if (n < 0 || pos + n > bytes.length) throw malformed(`claims ${n} bytes at offset ${pos} but only ${bytes.length - pos} remain (truncated or crafted)`);
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = (): number => bytes[need(1)];
  const u16 = (): number => view.getUint16(need(2), true);
  const u32 = (): number => view.getUint32(need(4), true);
  const i32 = (): number => view.getInt32(need(4), true);
  const u64 = (): number => {
    const v = view.getBigUint64(need(8), true);
    if (v > BigInt(bytes.length)) throw malformed(`claims ${v} bytes, more than the whole pickle`);
    return Number(v);
  };
  const pop = (): unknown => {
    if (stack.length === 0) throw malformed(`pops an empty stack at offset ${pos}`);
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) throw malformed(`reads an empty stack at offset ${pos}`);
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const prev = metastack.pop();
    if (!prev) throw malformed(`has no MARK to pop at offset ${pos}`);
    stack = prev;
    return items;
  };
  const long = (n: number): number | bigint => {
    if (n > maxLong) throw malformed(`holds a ${n}-byte integer, over the ${maxLong}-byte limit`);
    const at = need(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]);
    if (n > 0 && bytes[at + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const text = (n: number): string => {
    const at = need(n);
    try {
      return utf8.decode(bytes.subarray(at, at + n));
    } catch {
      throw malformed(`has a string at offset ${at} that is not UTF-8`);
    }
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0 || end - pos > 1024) throw malformed(`has an unterminated GLOBAL at offset ${pos}`);
    const s = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const global = (module: string, name: string): PickleGlobal => {
    if (!allowedGlobal(module, name)) throw unsafe(`asks for the global ${module}.${name}, which is not allowed`, `${module}.${name}`);
    return new PickleGlobal(module, name);
  };
  const appendTo = (l: unknown, items: readonly unknown[]): void => {
    if (!Array.isArray(l)) throw malformed(`appends to a non-list at offset ${pos}`);
    for (const v of items) l.push(v);
  };
  const setItem = (d: unknown, k: unknown, v: unknown): void => {
    if (!(d instanceof Map)) throw malformed(`sets an item on a non-dict at offset ${pos}`);
    d.set(k, v);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) throw malformed('uses a pickle protocol above 5');
        break;
      case 0x95: // FRAME: a length hint, the opcodes follow inline
        need(8);
        break;
      case 0x2e: // STOP
        return { value: pop(), end: pos };
      case 0x28: // MARK
        metastack.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(long(u8()));
        break;
      case 0x8b: // LONG4
        stack.push(long(i32()));
        break;
      case 0x47: // BINFLOAT (big-endian)
        stack.push(view.getFloat64(need(8), false));
        break;
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(u64()));
        break;
      case 0x54: // BINSTRING
      case 0x55: {
        // SHORT_BINSTRING
        const n = op === 0x54 ? i32() : u8();
        const at = need(n);
        stack.push(latin1.decode(bytes.subarray(at, at + n)));
        break;
      }
      case 0x42: // BINBYTES
      case 0x43: {
        // SHORT_BINBYTES
        const n = op === 0x42 ? u32() : u8();
        const at = need(n);
        stack.push(bytes.slice(at, at + n));
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x8f: // EMPTY_SET
        stack.push(new Set());
        break;
      case 0x74: // TUPLE
        {
        const items = popMark();
        stack.push(items);
      }
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        const d = new Map();
        for (let i = 0; i + 1 < items.length; i += 2) d.set(items[i], items[i + 1]);
        stack.push(d);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        appendTo(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        appendTo(top(), items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItem(top(), k, v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        if (items.length % 2) throw malformed(`has an odd SETITEMS at offset ${pos}`);
        const d = top();
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i], items[i + 1]);
        break;
      }
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        const s = top();
        if (!(s instanceof Set)) throw malformed(`adds items to a non-set at offset ${pos}`);
        for (const v of items) s.add(v);
        break;
      }
      case 0x91: // FROZENSET
        {
        const items = popMark();
        stack.push(new Set(items));
      }
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const i = op === 0x68 ? u8() : u32();
        if (!memo.has(i)) throw malformed(`reads memo slot ${i}, which was never written`);
        stack.push(memo.get(i));
        break;
      }
      case 0x63: {
        // GLOBAL
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw malformed('has a STACK_GLOBAL of non-strings');
        stack.push(global(module, name));
        break;
      }
      case 0x51: // BINPERSID
        stack.push(persistentLoad(pop()));
        break;
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        if (!(fn instanceof PickleGlobal)) throw unsafe(`calls something that is not a global (${typeName(fn)}) at offset ${pos}`);
        if (!Array.isArray(args)) throw malformed(`calls ${fn.qualified} with non-tuple arguments`);
        stack.push(call(fn, args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const target = top();
        // An OrderedDict state dict carries `_metadata` (per-module versions) as instance state: not needed.
        if (!(target instanceof Map)) throw unsafe(`sets the state of ${typeName(target)}, which is not allowed`);
        void state;
        break;
      }
      case 0x81: {
        // NEWOBJ
        pop();
        const cls = pop();
        throw unsafe(`creates an object of ${cls instanceof PickleGlobal ? cls.qualified : typeName(cls)} with NEWOBJ, which is not allowed`, cls instanceof PickleGlobal ? cls.qualified : undefined);
      }
      default:
        throw unsafe(`uses opcode 0x${op.toString(16).padStart(2, '0')} ('${String.fromCharCode(op)}') at offset ${pos - 1}, which this reader does not interpret`);
    }
  }

  function call(fn: PickleGlobal, args: unknown[]): unknown {
    const q = fn.qualified;
    switch (q) {
      case 'collections.OrderedDict': {
        const d = new Map();
        if (args.length > 0 && Array.isArray(args[0])) for (const kv of args[0]) if (Array.isArray(kv) && kv.length === 2) d.set(kv[0], kv[1]);
        return d;
      }
      case 'torch.Size':
        if (!isSizeList(args[0])) throw malformed('builds a torch.Size that is not a list of sizes');
        return [...args[0]];
      case 'torch._utils._rebuild_tensor':
      case 'torch._utils._rebuild_tensor_v2': {
        const [storage, offset, shape, stride] = args;
        if (!(typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) || !isSizeList(shape) || !isSizeList(stride) || shape.length !== stride.length) {
          throw malformed(`calls ${q} with a bad offset, size or stride (${JSON.stringify([offset, shape, stride])})`);
        }
        const t: TorchTensorRef = { kind: 'tensor', storage, offset, shape: [...shape], stride: [...stride], parameter: false };
        return t;
      }
      case 'torch._utils._rebuild_parameter':
      case 'torch._utils._rebuild_parameter_with_state': {
        const data = args[0];
        if (!isTensorRef(data)) throw malformed(`calls ${q} on something that is not a tensor`);
        return { ...data, parameter: true };
      }
    }
    if (fn.module === 'builtins' || fn.module === '__builtin__') {
      const a = args[0];
      switch (fn.name) {
        case 'dict':
          return a instanceof Map ? new Map(a) : new Map(Array.isArray(a) ? (a.filter((kv) => Array.isArray(kv) && kv.length === 2) as [unknown, unknown][]) : []);
        case 'list':
        case 'tuple':
          return Array.isArray(a) ? [...a] : a instanceof Set ? [...a] : [];
        case 'set':
        case 'frozenset':
          return new Set(Array.isArray(a) ? a : a instanceof Set ? a : []);
        case 'bool':
          return Boolean(a);
        case 'int':
        case 'float':
          if (typeof a === 'number' || typeof a === 'boolean') return Number(a);
          if (typeof a === 'string' && /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(a)) return fn.name === 'int' ? Math.trunc(Number(a)) : Number(a);
          if (a === undefined) return 0;
          throw malformed(`calls builtins.${fn.name} on ${typeName(a)}`);
        case 'str':
          if (typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean') return String(a);
          if (a === undefined) return '';
          throw malformed(`calls builtins.str on ${typeName(a)}`);
      }
    }
    throw unsafe(`calls ${q}, which is not an allowed callable`, q);
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'a tuple/list';
  if (v instanceof Map) return 'a dict';
  if (v instanceof PickleGlobal) return v.qualified;
  if (isTensorRef(v)) return 'a tensor';
  return typeof v;
}
