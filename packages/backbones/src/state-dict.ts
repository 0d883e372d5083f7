/**
 * Moving weights between tfjs layers and PyTorch state dicts, using the
 * {@link LayerSpec}s recorded while a model was built: each spec names the
 * tfjs layer and, per weight, the PyTorch key, both shapes and the layout
 * change (conv `OIHW` to `HWIO`, depthwise `[C,1,kh,kw]` to `[kh,kw,C,1]`,
 * linear `[out,in]` to `[in,out]`; batch-norm `weight`/`bias`/
 * `running_mean`/`running_var` to `gamma`/`beta`/`moving_mean`/
 * `moving_variance`). `num_batches_tracked` buffers are skipped on import
 * and written as zeros on export.
 *
 * @packageDocumentation
 */
import { tf } from '@caddm/tf';
import { WeightImportError } from './errors.js';
import type { LayerSpec, WeightSpec } from './graph/types.js';
import { numel } from './graph/shapes.js';
import { toFloat32, type SafeTensor } from './safetensors.js';

/** A PyTorch-style state dict: key to tensor. */
export type StateDict = ReadonlyMap<string, SafeTensor>;

/** Options of {@link loadStateDict}. */
export interface LoadStateDictOptions {
  /**
   * When true (default), keys the model does not use are errors (like
   * PyTorch's `strict=True`). `num_batches_tracked` is always allowed.
   */
  readonly strict?: boolean;
  /** Keys to skip silently: exact keys, key prefixes ending in `.`, or regular expressions. */
  readonly ignore?: readonly (string | RegExp)[];
  /**
   * Prefixes to strip from the file's keys before matching, e.g.
   * `'module.'` for checkpoints saved from `DataParallel`.
   */
  readonly stripPrefixes?: readonly string[];
}

/** What {@link loadStateDict} did. */
export interface LoadStateDictResult {
  /** Number of tensors written into the model. */
  readonly loaded: number;
  /** File keys skipped (ignored, `num_batches_tracked`, or unused when not strict). */
  readonly skipped: readonly string[];
}

/** Minimal view of a tfjs model: layers looked up by name. */
export interface LayerLookup {
  getLayer(name: string): tf.layers.Layer;
}

function ignored(key: string, patterns: readonly (string | RegExp)[]): boolean {
  return patterns.some((p) => (typeof p === 'string' ? key === p || (p.endsWith('.') && key.startsWith(p)) : p.test(key)));
}

/**
 * Where each value of a weight goes: `perm[t]` is the tfjs (row-major) index of the value at
 * PyTorch index `t`, for the spec's layout change (conv `OIHW` to `HWIO`, depthwise
 * `[C,1,kh,kw]` to `[kh,kw,C,1]`, linear `[out,in]` to `[in,out]`). The one walk both
 * {@link torchToTf} and {@link tfToTorch} use. Undefined for `none` (same layout).
 */
function layoutPermutation(spec: WeightSpec): Int32Array | undefined {
  const ts = spec.torchShape;
  switch (spec.transform) {
    case 'none':
      return undefined;
    case 'conv': {
      const [o, i, kh, kw] = ts;
      const perm = new Int32Array(o * i * kh * kw);
      let t = 0;
      for (let oo = 0; oo < o; oo++)
        for (let ii = 0; ii < i; ii++)
          for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) perm[t++] = ((y * kw + x) * i + ii) * o + oo;
      return perm;
    }
    case 'depthwise': {
      const [c, , kh, kw] = ts;
      const perm = new Int32Array(c * kh * kw);
      let t = 0;
      for (let cc = 0; cc < c; cc++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) perm[t++] = (y * kw + x) * c + cc;
      return perm;
    }
    case 'dense': {
      const [o, i] = ts;
      const perm = new Int32Array(o * i);
      let t = 0;
      for (let oo = 0; oo < o; oo++) for (let ii = 0; ii < i; ii++) perm[t++] = ii * o + oo;
      return perm;
    }
  }
}

/** Converts PyTorch layout to tfjs layout (typed loops, no per-element allocation). `none` returns `src` itself. */
export function torchToTf(src: Float32Array, spec: WeightSpec): Float32Array {
  const perm = layoutPermutation(spec);
  if (!perm) return src;
  const out = new Float32Array(src.length);
  for (let t = 0; t < perm.length; t++) out[perm[t]] = src[t];
  return out;
}

/** Converts tfjs layout back to PyTorch layout (inverse of {@link torchToTf}). `none` returns `src` itself. */
export function tfToTorch(src: Float32Array, spec: WeightSpec): Float32Array {
  const perm = layoutPermutation(spec);
  if (!perm) return src;
  const out = new Float32Array(src.length);
  for (let t = 0; t < perm.length; t++) out[t] = src[perm[t]];
  return out;
}

const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16', 'F64']);

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The suffix of a tfjs weight name (`layer1.0.conv1/kernel` to `kernel`). */
function weightSuffix(v: tf.LayerVariable): string {
  const n = v.originalName;
  return n.slice(n.lastIndexOf('/') + 1);
}

/**
 * Writes a PyTorch state dict into a tfjs model. Everything is checked
 * first; if anything is wrong nothing is written and a
 * {@link WeightImportError} lists every missing key, unexpected key, shape
 * mismatch and non-float tensor.
 */
export function loadStateDict(
  model: LayerLookup,
  layers: readonly LayerSpec[],
  dict: StateDict,
  options: LoadStateDictOptions = {},
): LoadStateDictResult {
  const strict = options.strict ?? true;
  const patterns = options.ignore ?? [];
  const strip = options.stripPrefixes ?? [];
  const byKey = new Map<string, SafeTensor>();
  const skipped: string[] = [];
  const problems: string[] = [];
  for (const [raw, t] of dict) {
    let key = raw;
    for (const p of strip) if (key.startsWith(p)) key = key.slice(p.length);
    if (byKey.has(key)) problems.push(`duplicate key '${key}' after stripping prefixes`);
    byKey.set(key, t);
  }
  const used = new Set<string>();
  for (const layer of layers) {
    for (const w of layer.weights) {
      const t = byKey.get(w.torch);
      if (!t) {
        problems.push(`missing key '${w.torch}' (shape [${w.torchShape.join(', ')}]) for layer '${layer.layer}'`);
        continue;
      }
      used.add(w.torch);
      if (!FLOAT_DTYPES.has(t.dtype)) problems.push(`key '${w.torch}': dtype ${t.dtype} is not a float type`);
      if (!sameShape(t.shape, w.torchShape)) {
        problems.push(`key '${w.torch}': shape [${t.shape.join(', ')}] but the model needs [${w.torchShape.join(', ')}]`);
      }
    }
  }
  for (const key of byKey.keys()) {
    if (used.has(key)) continue;
    if (key.endsWith('.num_batches_tracked') || ignored(key, patterns) || !strict) skipped.push(key);
    else problems.push(`unexpected key '${key}' (shape [${byKey.get(key)!.shape.join(', ')}]) matches no layer`);
  }
  if (problems.length > 0) throw new WeightImportError(problems);

  let loaded = 0;
  for (const spec of layers) {
    const layer = model.getLayer(spec.layer);
    const bySuffix = new Map(spec.weights.map((w) => [w.tf, w]));
    const values = layer.weights.map((v) => {
      const w = bySuffix.get(weightSuffix(v));
      if (!w) throw new Error(`internal: layer '${spec.layer}' has weight '${v.originalName}' with no spec`);
      if (!sameShape(v.shape as number[], w.tfShape)) {
        throw new Error(`internal: layer '${spec.layer}' weight '${w.tf}' has shape [${v.shape}], spec [${w.tfShape}]`);
      }
      return tf.tensor(torchToTf(toFloat32(byKey.get(w.torch)!), w), [...w.tfShape], 'float32');
    });
    if (values.length !== spec.weights.length) {
      tf.dispose(values);
      throw new Error(`internal: layer '${spec.layer}' has ${values.length} weights, spec lists ${spec.weights.length}`);
    }
    layer.setWeights(values);
    tf.dispose(values);
    loaded += values.length;
  }
  return { loaded, skipped };
}

/** Options of {@link stateDict}. */
export interface StateDictOptions {
  /** Also write `<bn>.num_batches_tracked` (I64 zero) for every batch norm, as PyTorch does. Default true. */
  readonly numBatchesTracked?: boolean;
}

/**
 * Reads a tfjs model's weights as a PyTorch state dict (float32, PyTorch
 * layouts and key names), ready for {@link serializeSafetensors}.
 */
export function stateDict(
  model: LayerLookup,
  layers: readonly LayerSpec[],
  options: StateDictOptions = {},
): Map<string, SafeTensor> {
  const out = new Map<string, SafeTensor>();
  for (const spec of layers) {
    const layer = model.getLayer(spec.layer);
    const bySuffix = new Map(layer.weights.map((v) => [weightSuffix(v), v]));
    for (const w of spec.weights) {
      const v = bySuffix.get(w.tf);
      if (!v) throw new Error(`internal: layer '${spec.layer}' has no weight '${w.tf}'`);
      const data = v.read().dataSync() as Float32Array;
      if (data.length !== numel(w.tfShape)) throw new Error(`internal: weight '${w.torch}' has ${data.length} values`);
      out.set(w.torch, { dtype: 'F32', shape: [...w.torchShape], data: tfToTorch(Float32Array.from(data), w) });
    }
    if (spec.kind === 'batchnorm' && (options.numBatchesTracked ?? true)) {
      const base = spec.weights[0].torch.replace(/\.weight$/, '');
      out.set(`${base}.num_batches_tracked`, { dtype: 'I64', shape: [], data: new BigInt64Array(1) });
    }
  }
  return out;
}
