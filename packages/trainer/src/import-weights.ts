import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeWeightsFile, parseWeights, WeightImportError } from '@caddm/backbones';
import { writeFileAtomic } from '@caddm/runlog';
import { CheckpointStore } from './checkpoint/index.js';
import { resolveConfig, type CaddmConfig } from './config/index.js';
import { buildNet } from './model.js';
import { RUN_CONFIG, saveRunConfig } from './run.js';
import { tensorsToSafetensors } from './train/weights-io.js';

/** The backbones the authors released CADDM checkpoints for. */
export const IMPORT_ARCHS = ['resnet34', 'efficientnet-b3', 'efficientnet-b4'] as const;

/** One of {@link IMPORT_ARCHS}. */
export type ImportArch = (typeof IMPORT_ARCHS)[number];

/** The file in a run directory that records where imported weights came from. */
export const IMPORT_PROVENANCE = 'import.json';

/** The `dataset.root` of an imported run's config: the weights were trained elsewhere, on data that is not here. */
export const IMPORTED_ROOT = '(imported weights: trained by their authors on FF++ c23, not on this machine)';

/** Options of {@link importWeights}. */
export interface ImportWeightsOptions {
  /** The authors' checkpoint (`epoch_n.pkl`, any `torch.save` file) or a `.safetensors` state dict, in the reference's key names. */
  readonly file: string;
  /** Its backbone. */
  readonly arch: ImportArch;
  /** The run directory to write (must not hold a run yet). */
  readonly out: string;
  /** For a checkpoint dict: the entry holding the state dict (default: the first of `network`, `state_dict`, `model`). */
  readonly entry?: string;
  /** Dotted config overrides applied last (`--set`), e.g. `{ 'model.width': 0.5 }` for a narrowed network. */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** Where to say what was read and written (default: nothing). */
  readonly log?: (line: string) => void;
}

/** What {@link importWeights} wrote. */
export interface ImportWeightsResult {
  readonly runDir: string;
  /** The checkpoint directory inside it. */
  readonly checkpoint: string;
  readonly config: CaddmConfig;
  /** Tensors written into the model. */
  readonly loaded: number;
  /** File keys not used: the backbone's ImageNet classifier and `num_batches_tracked`. */
  readonly skipped: readonly string[];
  /** SHA-256 of the source file (hex). */
  readonly sha256: string;
  /** The checkpoint-dict entry the state dict came from, or null for a bare state dict. */
  readonly entry: string | null;
}

/** The weights cannot be imported: the file, the problem and what to do, in the message. */
export class ImportWeightsError extends Error {
  override readonly name = 'ImportWeightsError';
}

/**
 * The config of an imported authors' model: the `paper-released` profile (the
 * released code's 224 px crop and anchors, FF++ c23 with {@link IMPORTED_ROOT}
 * as its root) with the full CADDM (ADM on) on
 * `arch`, and `model.input_norm: reference`: raw 0-255 BGR values, which is
 * how the released test code feeds its network, so the imported weights see
 * what they were trained on.
 */
export function importedConfig(arch: ImportArch, overrides: Readonly<Record<string, unknown>> = {}): CaddmConfig {
  return resolveConfig(
    {
      // The authors trained on FF++ (c23); their data is not part of an import, so the root only says so.
      dataset: { name: 'ffpp', root: IMPORTED_ROOT },
      model: { backbone: arch, width: 1, input_norm: 'reference' },
      ablation: { da: true, mfs: true, adm: true },
    },
    { profile: 'paper-released', overrides },
  );
}

/**
 * Writes a run directory from an authors' CADDM checkpoint, so that
 * `caddm detect --run`, `caddm eval --run` and `loadRun` use it like a run
 * `caddm train` wrote: `config.json` ({@link importedConfig}), one checkpoint
 * (step 0) holding the weights, and `import.json` recording the source file,
 * its SHA-256 and size, the state dict's entry, and the keys skipped. The
 * file is read without Python and without executing its pickle. The
 * backbone's unused ImageNet classifier is skipped; every other key must fit.
 *
 * @throws ImportWeightsError when `out` already holds a run, the file is not
 * a checkpoint of `arch`, or its weights do not fit (every problem listed)
 */
export async function importWeights(options: ImportWeightsOptions): Promise<ImportWeightsResult> {
  const file = resolve(options.file);
  const out = resolve(options.out);
  const log = options.log ?? (() => undefined);
  if (existsSync(out) && (!statSync(out).isDirectory() || existsSync(join(out, RUN_CONFIG)) || readdirSync(out).length > 0)) {
    throw new ImportWeightsError(`${out}: already exists and is not an empty folder; choose a new --out (an import never overwrites a run)`);
  }
  const bytes = readFileSync(file);
  const weights = parseWeights(bytes, { file, ...(options.entry !== undefined ? { entry: options.entry } : {}) });
  log(describeWeightsFile(weights, file));
  const config = importedConfig(options.arch, options.overrides);
  const built = buildNet(config);
  try {
    let result;
    try {
      result = built.model.loadStateDict(weights.tensors);
    } catch (e) {
      if (!(e instanceof WeightImportError)) throw e;
      throw new ImportWeightsError(`${file}: not a CADDM ${options.arch} checkpoint in the reference's key names; ${e.message}`);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    saveRunConfig(out, config);
    const store = new CheckpointStore(join(out, 'checkpoints'));
    const checkpoint = store.save({ step: 0, epoch: 0, imported: file }, { 'model.safetensors': await tensorsToSafetensors(built.net.weights()) });
    writeFileAtomic(
      join(out, IMPORT_PROVENANCE),
      JSON.stringify(
        {
          tool: 'caddm import-weights',
          source: file,
          sha256,
          bytes: bytes.length,
          format: weights.format,
          entry: weights.entry,
          otherEntries: weights.otherEntries,
          arch: options.arch,
          overrides: options.overrides ?? {},
          loaded: result.loaded,
          skipped: result.skipped,
          inputNorm: config.model.input_norm,
        },
        null,
        2,
      ) + '\n',
    );
    log(`${out}: ${result.loaded} tensors from ${file} (sha256 ${sha256.slice(0, 12)}); skipped ${result.skipped.length}: ${summariseSkipped(result.skipped)}`);
    return { runDir: out, checkpoint, config, loaded: result.loaded, skipped: result.skipped, sha256, entry: weights.entry };
  } finally {
    built.net.dispose();
  }
}

/** `base_model.fc.weight, base_model.fc.bias and 36 num_batches_tracked`. */
function summariseSkipped(keys: readonly string[]): string {
  const counters = keys.filter((k) => k.endsWith('.num_batches_tracked')).length;
  const named = keys.filter((k) => !k.endsWith('.num_batches_tracked'));
  const parts = [...named, ...(counters ? [`${counters} num_batches_tracked`] : [])];
  return parts.length ? parts.join(', ') : 'none';
}
