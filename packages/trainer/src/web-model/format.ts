/**
 * The web model folder that `caddm export --web` writes and that both
 * `caddm detect --run` and the web app load. No file access here: callers read
 * the files (Node from disk, a page with `fetch` or a folder picker) and hand
 * over their contents.
 *
 * A folder holds:
 * - `model.json` and `group1-shard*of*.bin`: the network in the standard tfjs
 *   layers format (`tf.loadLayersModel` reads it; `@caddm/adm`'s
 *   `wrapLayersModel` wraps it);
 * - `config.json`: the run's resolved config (crop, input normalisation,
 *   anchors), as in a run directory;
 * - `export.json`: where the weights came from and the run's measured metrics.
 */
import type { CaddmConfig } from '../config/index.js';
import { buildNetWith, type BuiltNet } from '../model-core.js';

/** `export.json`'s `format`. */
export const WEB_MODEL_FORMAT = 'caddm-web/1';

/** The files of a web model folder besides the weight shards. */
export const WEB_MODEL_FILES = { model: 'model.json', config: 'config.json', info: 'export.json' } as const;

/** `export.json`: provenance and measured quality of an exported model. */
export interface WebModelInfo {
  readonly format: typeof WEB_MODEL_FORMAT;
  /** The run, checkpoint and step the weights came from, and the checkpoint weights' SHA-256. */
  readonly source: { readonly run: string; readonly checkpoint: string; readonly step: number; readonly sha256: string };
  /** The run's `metrics.json` (test and cross-dataset AUCs) when it had one. */
  readonly metrics: Record<string, unknown> | null;
  /** Free text shown beside the model (e.g. what it was trained on). */
  readonly description: string;
}

/** `model.json` as far as loading needs it. */
export interface WebModelJson {
  readonly weightsManifest: ReadonlyArray<{ readonly paths: readonly string[]; readonly weights: ReadonlyArray<{ name: string; shape: number[]; dtype: string }> }>;
}

/** A web model folder that cannot be used; the message names the file and what to do. */
export class WebModelError extends Error {
  override readonly name = 'WebModelError';
}

const CONFIG_FIELDS: ReadonlyArray<readonly string[]> = [
  ['crop_face', 'output_size'],
  ['crop_face', 'face_width'],
  ['crop_face', 'scale'],
  ['model', 'backbone'],
  ['model', 'width'],
  ['model', 'output_stride'],
  ['model', 'input_norm'],
  ['train', 'seed'],
  ['ablation', 'adm'],
  ['adm_det', 'min_dim'],
  ['adm_det', 'feature_maps'],
  ['adm_det', 'steps'],
  ['adm_det', 'min_sizes'],
  ['adm_det', 'max_sizes'],
  ['adm_det', 'clip'],
  ['adm_det', 'variances'],
];

/**
 * Checks that a parsed `config.json` has every field inference reads (the full
 * schema check needs Node; `caddm detect` runs it too) and returns it typed.
 * @throws {@link WebModelError} naming `file` and the missing fields
 */
export function checkWebConfig(raw: unknown, file: string): CaddmConfig {
  const missing = CONFIG_FIELDS.filter((path) => {
    let v: unknown = raw;
    for (const k of path) v = v != null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    return v === undefined;
  }).map((p) => p.join('.'));
  if (missing.length) {
    throw new WebModelError(`${file}: not a resolved CADDM config (missing ${missing.join(', ')}); copy the run's config.json, or export again with 'caddm export --web'`);
  }
  // The weights are in the folder: a backbone file named by the run is not needed (and not there).
  const { pretrained: _unused, ...model } = (raw as CaddmConfig).model;
  return { ...(raw as CaddmConfig), model };
}

/** The weight shard paths `model.json` lists, in order. */
export function webModelShards(json: WebModelJson, file: string): string[] {
  if (!Array.isArray(json?.weightsManifest) || json.weightsManifest.length === 0) {
    throw new WebModelError(`${file}: no weightsManifest; this is not a tfjs layers model written by 'caddm export --web'`);
  }
  return json.weightsManifest.flatMap((g) => g.paths);
}

/**
 * Builds the network `config` describes and loads the weights of a web model
 * into it. Weights are matched by position (tfjs layer names carry per-process
 * counters) and checked by shape.
 * @param shards - each shard path of `model.json` with its bytes
 * @param where - the folder or URL, named in errors
 * @throws {@link WebModelError} on missing shards, sizes that do not add up,
 *   dtypes other than float32, or weights that do not fit the config's network
 */
export function netFromWebModel(config: CaddmConfig, json: WebModelJson, shards: ReadonlyMap<string, Uint8Array>, where: string): BuiltNet {
  const paths = webModelShards(json, `${where}/${WEB_MODEL_FILES.model}`);
  const total = paths.reduce((a, p) => {
    const b = shards.get(p);
    if (b == null) throw new WebModelError(`${where}/${p}: weight shard listed in ${WEB_MODEL_FILES.model} is missing; copy the whole exported folder`);
    return a + b.length;
  }, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of paths) {
    bytes.set(shards.get(p) as Uint8Array, at);
    at += (shards.get(p) as Uint8Array).length;
  }
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const need = specs.reduce((a, s) => a + 4 * s.shape.reduce((p, d) => p * d, 1), 0);
  const bad = specs.find((s) => s.dtype !== 'float32');
  if (bad) throw new WebModelError(`${where}/${WEB_MODEL_FILES.model}: weight '${bad.name}' is ${bad.dtype}; only float32 weights (as 'caddm export --web' writes) are read`);
  if (need !== total) throw new WebModelError(`${where}: the weight shards hold ${total} bytes but ${WEB_MODEL_FILES.model} needs ${need}; the folder is incomplete or damaged, export it again`);
  const weights = new Map<string, { shape: readonly number[]; data: Float32Array }>();
  let off = 0;
  specs.forEach((s, i) => {
    const n = s.shape.reduce((p, d) => p * d, 1);
    // Copied out so that the view is aligned whatever the shard boundaries.
    const data = new Float32Array(bytes.slice(off, off + 4 * n).buffer);
    off += 4 * n;
    weights.set(`${String(i).padStart(4, '0')}/${s.name.split('/').pop()}`, { shape: s.shape, data });
  });
  const built = buildNetWith(config);
  try {
    built.net.setWeights(weights);
  } catch (e) {
    built.net.dispose();
    throw new WebModelError(`${where}: ${(e as Error).message.split('\n')[0]} (the weights do not fit the network config.json describes; export again)`);
  }
  return built;
}
