import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatSummary, openDataset, preprocess } from '@caddm/datasets';
import { writeFileAtomic } from '@caddm/runlog';
import { loadConfig, parseOverrides, resolveConfig, type CaddmConfig } from '../config/index.js';
import { prepareEmbedded } from '../data/embedded.js';
import { evaluateCache, trainJob } from '../job.js';
import { backend, collect, nonNegativeInt, positiveInt } from './common.js';
import { fmtAuc } from './eval.js';

interface TrainCliOptions {
  config?: string;
  profile?: string;
  set: string[];
  runDir?: string;
  data?: string;
  cache?: string;
  faces?: string;
  resume: boolean;
  maxSteps?: number;
  workers: number;
  progress: boolean;
}

/** `caddm train`: train CADDM (or an ablation) with checkpoints that survive a crash. */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description(
      "Train CADDM (or, with --set ablation.*, an ablation of Table 2) on the embedded benchmark (default: generated on first use), a preprocessed cache, or a dataset root. Checkpoints (weights, optimiser, data position) are written atomically; running the same command again resumes from the last good one. At the end the model is evaluated on the test split (and the held-out cross-dataset split of the embedded benchmark); metrics.json goes into the run directory.",
    )
    .option('-c, --config <file>', "YAML config with the reference's sections (crop_face, adm_det, sliding_win, det_loss, dataset, model, train) plus mfs and ablation")
    .option('-p, --profile <name>', 'start from a profile: mini (this CPU), paper, paper-released (default: the config\'s own, else mini)')
    .option('--set <key=value>', 'override one config value, e.g. --set train.batch_size=8 --set ablation.adm=false (repeatable)', collect, [])
    .option('-r, --run-dir <dir>', 'run directory (default: runs/<profile>-<dataset>)')
    .option('-d, --data <root>', 'dataset root (FF++, Celeb-DF, DFDC or a generated benchmark); preprocessed into dataset.cache first')
    .option('--cache <dir>', "a cache already written by 'caddm preprocess' (skips preprocessing)")
    .option('--faces <dir>', 'embedded benchmark only: real faces from an identity folder (<identity>/<image>) instead of procedural ones')
    .option('--no-resume', 'start over even if the run directory has checkpoints')
    .option('--max-steps <n>', 'stop after this many steps (smoke runs)', positiveInt('--max-steps'))
    .option('--workers <n>', 'worker threads building batches (0: in-process)', nonNegativeInt('--workers'), 0)
    .option('--no-progress', 'no progress bar')
    .action(async (o: TrainCliOptions) => {
      const overrides = parseOverrides(o.set);
      const profile = o.profile ?? (o.config ? undefined : 'mini');
      const config: CaddmConfig = o.config ? loadConfig(o.config, { profile, overrides }) : resolveConfig({}, { profile, overrides });
      await backend();
      let cache: string;
      let crossCache: string | undefined;
      if (o.cache) cache = resolve(o.cache);
      else if (o.data || config.dataset.name !== 'embedded') {
        const root = o.data ?? config.dataset.root ?? (config.dataset.img_path as string);
        cache = resolve(config.dataset.cache, basename(resolve(root)));
        const summary = await preprocess(openDataset(root, { compression: config.dataset.compression }), {
          out: cache,
          frames: config.dataset.train_frames,
          forehead: config.crop_face.forehead,
          progress: o.progress,
        });
        if (!o.progress) process.stderr.write(formatSummary(summary));
      } else {
        const e = await prepareEmbedded({
          profile: config.dataset.embedded_profile,
          seed: config.train.seed,
          faces: o.faces ?? config.dataset.faces,
          progress: o.progress,
        });
        cache = e.cache;
        crossCache = e.crossCache;
      }
      const runDir = resolve(o.runDir ?? join('runs', `${config.profile ?? 'custom'}-${o.data || o.cache ? basename(cache) : 'embedded'}`));
      if (!o.resume && existsSync(join(runDir, 'checkpoints'))) process.stderr.write(`--no-resume: starting over in ${runDir}\n`);
      const { summary, built } = await trainJob({ config, cache, runDir, resume: o.resume, maxSteps: o.maxSteps, workers: o.workers, progress: o.progress });
      try {
        const test = await evaluateCache(built, config, cache, 'test');
        const cross = crossCache ? await evaluateCache(built, config, crossCache) : undefined;
        const metrics = {
          steps: summary.steps,
          checkpoint: summary.checkpoint,
          test: { frames: test.frames, videos: test.videos, frameAuc: test.frameAuc, videoAuc: test.videoAuc, videoAucCi95: test.videoAucCi95, videoEer: test.videoEer, videoAp: test.videoAp },
          cross: cross && { frames: cross.frames, videos: cross.videos, frameAuc: cross.frameAuc, videoAuc: cross.videoAuc, videoAucCi95: cross.videoAucCi95, videoEer: cross.videoEer, videoAp: cross.videoAp },
        };
        writeFileAtomic(join(runDir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
        const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
        process.stdout.write(
          `trained ${summary.steps} step(s); test video AUC ${fmtAuc(test.videoAuc, test.videoAucCi95)} (frame ${f(test.frameAuc)})` +
            (cross ? `; cross-dataset video AUC ${fmtAuc(cross.videoAuc, cross.videoAucCi95)} (frame ${f(cross.frameAuc)})` : '') +
            `\nrun: ${runDir}\n`,
        );
      } finally {
        built.net.dispose();
      }
    });
}
