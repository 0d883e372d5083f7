/**
 * Saving and loading models.
 *
 * - {@link saveModel} / {@link loadModel} (Node, no tfjs-node needed): the
 *   standard tfjs layers format, `model.json` plus `group1-shardNofM.bin`
 *   weight shards (4 MiB each by default, like the tfjs converter), so a
 *   browser loads the same folder with `tf.loadLayersModel(url)` and wraps it
 *   with {@link wrapLayersModel}. Round trips are bit-exact (float32 as is).
 * - {@link writeStateDict} / {@link readStateDict}: PyTorch-compatible
 *   `.safetensors` in the reference's key names; `readStateDict` also reads
 *   `torch.save` checkpoints (`.pth`, `.pt`, `.bin`, `.pkl`).
 *
 * The CADDM configuration travels in `model.json`'s `userDefinedMetadata.caddm`.
 *
 * @packageDocumentation
 */
import { tf } from '@caddm/tf';
import { describeWeightsFile, parseWeights, serializeSafetensors, type SafeTensor } from '@caddm/backbones';
import { CaddmConfigError } from './errors.js';
import type { BaselineModel, CaddmModel, DeepfakeModel } from './model.js';
import { modelMetadata, wrapLayersModel } from './wrap.js';

export { modelMetadata, wrapLayersModel, type SavedModelMetadata } from './wrap.js';

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /** Maximum bytes per weight shard (default 4 MiB). */
  readonly shardBytes?: number;
}

/**
 * Saves a model as `model.json` + weight shards under `dir` (created if
 * needed). Returns the file names written.
 */
export async function saveModel(m: DeepfakeModel, dir: string, options: SaveModelOptions = {}): Promise<string[]> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const shardBytes = options.shardBytes ?? 4 * 1024 * 1024;
  if (!(Number.isInteger(shardBytes) && shardBytes > 0)) {
    throw new CaddmConfigError(`shardBytes must be a positive integer, got ${shardBytes}`);
  }
  m.model.setUserDefinedMetadata({ caddm: modelMetadata(m) });
  const files: string[] = [];
  await m.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      const count = Math.max(1, Math.ceil(data.length / shardBytes));
      const paths = Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}.bin`);
      await fs.mkdir(dir, { recursive: true });
      for (let i = 0; i < count; i++) {
        await fs.writeFile(path.join(dir, paths[i]), data.subarray(i * shardBytes, (i + 1) * shardBytes));
      }
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
        userDefinedMetadata: artifacts.userDefinedMetadata,
      };
      await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
      files.push('model.json', ...paths);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.length } };
    }),
  );
  return files;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, string: 0 };

/**
 * Loads a model saved by {@link saveModel} (or any folder of the same
 * format) from `dir`.
 *
 * @throws {@link CaddmConfigError} when files are missing, shard sizes do
 * not add up, or the metadata does not match the topology.
 */
export async function loadModel(dir: string): Promise<CaddmModel | BaselineModel> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  let json: {
    modelTopology?: object;
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    userDefinedMetadata?: Record<string, unknown>;
    format?: string;
    generatedBy?: string;
    convertedBy?: string | null;
  };
  const file = path.join(dir, 'model.json');
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new CaddmConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new CaddmConfigError(`${file} is not a tfjs layers model (no modelTopology / weightsManifest)`);
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) {
      try {
        chunks.push(new Uint8Array(await fs.readFile(path.join(dir, p))));
      } catch (e) {
        throw new CaddmConfigError(`weight shard '${p}' listed in ${file} cannot be read: ${(e as Error).message}`);
      }
    }
  }
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const expected = weightSpecs.reduce(
    (a, w) => a + (DTYPE_BYTES[w.dtype] ?? 4) * w.shape.reduce((p, d) => p * d, 1),
    0,
  );
  if (total !== expected) {
    throw new CaddmConfigError(`weight shards in ${dir} hold ${total} bytes but the manifest needs ${expected}`);
  }
  const data = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    data.set(c, off);
    off += c.length;
  }
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs,
      weightData: data.buffer,
      ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata } : {}),
    }),
  );
  try {
    return wrapLayersModel(model);
  } catch (e) {
    model.dispose();
    throw e;
  }
}


/** Writes a model's PyTorch state dict (reference key names) to a `.safetensors` file. */
export async function writeStateDict(m: DeepfakeModel, file: string, metadata?: Record<string, string>): Promise<void> {
  const fs = await import('node:fs/promises');
  await fs.writeFile(file, serializeSafetensors(m.stateDict(), { format: 'pt', ...metadata }));
}

/** Options of {@link readStateDict}. */
export interface ReadStateDictOptions {
  /** For a checkpoint dict: the entry holding the state dict (default: the first of `network`, `state_dict`, `model`). */
  readonly entry?: string;
  /** Where to say which entry of a checkpoint dict was taken (default: stderr). */
  readonly log?: (line: string) => void;
}

/**
 * Reads weights as a state dict (for `loadStateDict` / `loadBackboneStateDict`):
 * `.safetensors`, or a PyTorch `torch.save` file (`.pth`, `.pt`, `.bin`,
 * `.pkl`; told apart by content) read without Python and without executing
 * its pickle. For a checkpoint dict such as the authors'
 * `{'network': ..., 'opt_state': ..., 'epoch': n}` it takes the state dict
 * entry and logs which.
 *
 * @throws `TorchCheckpointError` / `SafetensorsFormatError` (from
 * `@caddm/backbones`) naming the file and the problem.
 */
export async function readStateDict(file: string, options: ReadStateDictOptions = {}): Promise<Map<string, SafeTensor>> {
  const fs = await import('node:fs/promises');
  const w = parseWeights(await fs.readFile(file), { file, ...(options.entry !== undefined ? { entry: options.entry } : {}) });
  if (w.entry !== null) (options.log ?? ((line: string) => console.error(line)))(describeWeightsFile(w, file));
  return w.tensors;
}
