import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { saveModel } from '@caddm/adm';
import { writeFileAtomic } from '@caddm/runlog';
import { loadRun } from '../run.js';
import { WEB_MODEL_FILES, WEB_MODEL_FORMAT, type WebModelInfo } from './format.js';

/** Options of {@link exportWebModel}. */
export interface ExportWebOptions {
  /** Text shown beside the model in the web app (default: the run's backbone and input size). */
  readonly description?: string;
  /** Bytes per weight shard (default 4 MiB, as the tfjs converter). */
  readonly shardBytes?: number;
  /** Where to say which checkpoint was taken. */
  readonly warn?: (line: string) => void;
}

/** What {@link exportWebModel} wrote. */
export interface ExportWebResult {
  readonly outDir: string;
  readonly files: readonly string[];
  readonly bytes: number;
  readonly info: WebModelInfo;
}

/**
 * Writes a run (or one of its checkpoints) as a web model folder: the tfjs
 * layers model (`model.json` + shards), the run's `config.json` and
 * `export.json` (source checkpoint with its SHA-256, the run's metrics).
 * The folder loads in the web app and in `caddm detect --run`.
 * Old shards in `outDir` are removed first, so a re-export leaves no stale file.
 */
export async function exportWebModel(runPath: string, outDir: string, options: ExportWebOptions = {}): Promise<ExportWebResult> {
  const run = loadRun(runPath, options.warn);
  try {
    mkdirSync(outDir, { recursive: true });
    for (const f of readdirSync(outDir)) if (/^group1-shard\d+of\d+\.bin$/.test(f)) rmSync(join(outDir, f));
    const files = await saveModel(run.model, outDir, options.shardBytes != null ? { shardBytes: options.shardBytes } : {});
    const { pretrained: _unused, ...model } = run.config.model;
    writeFileAtomic(join(outDir, WEB_MODEL_FILES.config), JSON.stringify({ ...run.config, model }, null, 2) + '\n');
    const metricsFile = join(run.runDir, 'metrics.json');
    let metrics: Record<string, unknown> | null = null;
    if (existsSync(metricsFile)) {
      try {
        // The results, not the run's local paths (the source checkpoint is named below).
        const { checkpoint: _path, ...results } = JSON.parse(readFileSync(metricsFile, 'utf8')) as Record<string, unknown>;
        metrics = results;
      } catch {
        options.warn?.(`${metricsFile}: not valid JSON; exported without metrics`);
      }
    }
    const c = run.config;
    const info: WebModelInfo = {
      format: WEB_MODEL_FORMAT,
      source: {
        run: run.runDir,
        checkpoint: run.checkpoint,
        step: run.step,
        sha256: createHash('sha256').update(readFileSync(join(run.checkpoint, 'model.safetensors'))).digest('hex'),
      },
      metrics,
      description:
        options.description ??
        `${c.ablation.adm ? 'CADDM' : 'binary baseline'}, ${c.model.backbone} at width ${c.model.width}, ${c.crop_face.output_size} px, step ${run.step + 1}`,
    };
    writeFileAtomic(join(outDir, WEB_MODEL_FILES.info), JSON.stringify(info, null, 2) + '\n');
    const all = [...files, WEB_MODEL_FILES.config, WEB_MODEL_FILES.info];
    const bytes = all.reduce((a, f) => a + readFileSync(join(outDir, f)).length, 0);
    return { outDir, files: all, bytes, info };
  } finally {
    run.net.dispose();
  }
}
