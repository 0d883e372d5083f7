import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CheckpointStore } from './checkpoint/index.js';
import { resolveConfig, type CaddmConfig } from './config/index.js';
import { buildNet, type BuiltNet } from './model.js';
import { writeFileAtomic } from '@caddm/runlog';
import { safetensorsToArrays } from './train/weights-io.js';
import { netFromWebModel, WEB_MODEL_FILES, webModelShards, type WebModelInfo, type WebModelJson } from './web-model/format.js';

/** A run or checkpoint directory that cannot be used (missing, no config, no good checkpoint, wrong weights). */
export class RunError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'RunError';
  }
}

/** The file in a run directory that records the resolved config. */
export const RUN_CONFIG = 'config.json';

/** Records the resolved config in `runDir` (so eval/detect can rebuild the net). */
export function saveRunConfig(runDir: string, config: CaddmConfig): void {
  mkdirSync(runDir, { recursive: true });
  writeFileAtomic(join(runDir, RUN_CONFIG), JSON.stringify(config, null, 2) + '\n');
}

/** A trained model loaded from a run directory. */
export interface LoadedRun extends BuiltNet {
  readonly config: CaddmConfig;
  readonly runDir: string;
  /** The checkpoint the weights came from. */
  readonly checkpoint: string;
  readonly step: number;
}

/**
 * Loads a run: `path` is a run directory (its newest good checkpoint is
 * used), one checkpoint directory inside `<run>/checkpoints/`, or a web
 * model folder written by `caddm export --web`. Throws with
 * the path and the problem when there is no config, no usable checkpoint, or
 * a checkpoint whose weights hold NaN or infinite values.
 */
export function loadRun(path: string, warn?: (m: string) => void): LoadedRun {
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new RunError(path, 'not a run or checkpoint directory');
  if (existsSync(join(path, WEB_MODEL_FILES.model)) && !existsSync(join(path, 'checkpoints'))) return loadWebModelFolder(path);
  const isCheckpoint = existsSync(join(path, 'manifest.json'));
  const runDir = isCheckpoint ? dirname(dirname(path)) : path;
  const cfgPath = join(runDir, RUN_CONFIG);
  if (!existsSync(cfgPath)) throw new RunError(runDir, `no ${RUN_CONFIG} (is this a directory written by 'caddm train'?)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(cfgPath, 'utf8'));
  } catch (e) {
    throw new RunError(cfgPath, `not valid JSON (${(e as Error).message}); restore it (it is the resolved config the run was trained with) or train again`);
  }
  const config = resolveConfig(raw as Record<string, unknown>, {}, cfgPath);
  const store = new CheckpointStore(join(runDir, 'checkpoints'), { warn });
  const ck = isCheckpoint ? store.load(path) : store.latest();
  if (ck == null) throw new RunError(runDir, `no usable checkpoint in ${join(runDir, 'checkpoints')}`);
  const weights = safetensorsToArrays(ck.files['model.safetensors']);
  for (const [name, w] of weights) {
    for (let i = 0; i < w.data.length; i++) {
      if (!Number.isFinite(w.data[i])) {
        throw new RunError(ck.path, `weight '${name}' holds ${w.data[i]} (element ${i}), so this checkpoint is broken; pass an earlier one from ${join(runDir, 'checkpoints')} as --run, or train again`);
      }
    }
  }
  const built = buildNet(config);
  try {
    built.net.setWeights(weights);
  } catch (e) {
    built.net.dispose();
    throw new RunError(ck.path, (e as Error).message);
  }
  return { ...built, config, runDir, checkpoint: ck.path, step: ck.meta.step };
}

function readJson(file: string, what: string): unknown {
  if (!existsSync(file)) throw new RunError(file, `missing; a web model folder needs ${what} (export it again with 'caddm export --web')`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RunError(file, `not valid JSON (${(e as Error).message}); export the model again with 'caddm export --web'`);
  }
}

/** A folder written by `caddm export --web`: config.json, model.json and its shards, export.json. */
function loadWebModelFolder(dir: string): LoadedRun {
  const cfgPath = join(dir, RUN_CONFIG);
  const config = resolveConfig(readJson(cfgPath, 'the run config') as Record<string, unknown>, {}, cfgPath);
  const modelPath = join(dir, WEB_MODEL_FILES.model);
  const json = readJson(modelPath, 'the tfjs model') as WebModelJson;
  const infoPath = join(dir, WEB_MODEL_FILES.info);
  const info = existsSync(infoPath) ? (readJson(infoPath, 'its provenance') as Partial<WebModelInfo>) : undefined;
  const shards = new Map<string, Uint8Array>();
  for (const p of webModelShards(json, modelPath)) {
    const f = join(dir, p);
    // A missing shard is named by netFromWebModel (WebModelError).
    if (existsSync(f)) shards.set(p, new Uint8Array(readFileSync(f)));
  }
  const built = netFromWebModel(config, json, shards, dir);
  return { ...built, config, runDir: dir, checkpoint: dir, step: info?.source?.step ?? 0 };
}
