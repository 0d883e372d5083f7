import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Split } from '@caddm/datasets';
import { rocChart, writeChart } from '@caddm/metrics';
import { writeFileAtomic } from '@caddm/runlog';
import { manifestEvalFrames } from '../data/eval-frames.js';
import { loadRun } from '../run.js';
import { evaluate } from '../train/evaluate.js';
import { CliError, backend, positiveInt } from './common.js';

/** `caddm eval`: frame/video AUC, EER, AP, ROC plot and per-video scores of a trained run. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description(
      'Evaluate a trained run on a preprocessed cache (from `caddm preprocess`): frames per video at equal intervals, aligned without jitter; writes metrics.json (frame AUC, video AUC, video EER, video AP), videos.csv (per-video mean P(fake)), roc.svg/png.',
    )
    .requiredOption('-r, --run <dir>', "run directory written by 'caddm train' (or one of its checkpoints)")
    .requiredOption('-c, --cache <dir>', "preprocessed cache written by 'caddm preprocess'")
    .option('--split <split>', 'only this split: train, val, test, cross (default: all cached videos)')
    .option('--frames <n>', 'frames per video (default: the run config\'s dataset.test_frames; the paper: 32)', positiveInt('--frames'))
    .option('-o, --out <dir>', 'where to write results (default: <run>/eval-<cache name>)')
    .option('--batch <n>', 'frames per forward pass', positiveInt('--batch'), 32)
    .action(async (o: { run: string; cache: string; split?: string; frames?: number; out?: string; batch: number }) => {
      if (o.split != null && !['train', 'val', 'test', 'cross'].includes(o.split)) throw new CliError(`--split must be train, val, test or cross, got '${o.split}'`);
      await backend();
      const run = loadRun(o.run);
      try {
        const skips: string[] = [];
        const frames = manifestEvalFrames(o.cache, run.config, {
          split: o.split as Split | undefined,
          frames: o.frames,
          onSkip: (id, why) => skips.push(`${id}: ${why}`),
        });
        const r = await evaluate(run.net, frames, o.batch);
        const out = resolve(o.out ?? join(run.runDir, `eval-${resolve(o.cache).split('/').pop()}${o.split ? `-${o.split}` : ''}`));
        mkdirSync(out, { recursive: true });
        const metrics = {
          run: run.runDir,
          checkpoint: run.checkpoint,
          step: run.step,
          cache: resolve(o.cache),
          split: o.split ?? 'all',
          frames: r.frames,
          videos: r.videos,
          frameAuc: r.frameAuc,
          videoAuc: r.videoAuc,
          videoEer: r.videoEer,
          videoAp: r.videoAp,
          skipped: skips,
        };
        writeFileAtomic(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
        writeFileAtomic(
          join(out, 'videos.csv'),
          'video,label,score,frames\n' + r.perVideo.map((v) => `${csv(v.id)},${v.label},${v.score},${v.frames}`).join('\n') + '\n',
        );
        if (Number.isFinite(r.frameAuc)) {
          const curves = [
            { name: 'frames', labels: r.frameLabels, scores: r.frameScores },
            { name: 'videos', labels: r.perVideo.map((v) => v.label), scores: r.perVideo.map((v) => v.score) },
          ];
          await writeChart(join(out, 'roc'), rocChart(curves, { title: `ROC: ${resolve(o.cache).split('/').pop()}` }));
        }
        for (const s of skips) process.stderr.write(`skipped ${s}\n`);
        process.stdout.write(
          `frames ${r.frames}, videos ${r.videos}: frame AUC ${fmt(r.frameAuc)}, video AUC ${fmt(r.videoAuc)}, video EER ${fmt(r.videoEer)}, video AP ${fmt(r.videoAp)}\nresults: ${out}\n`,
        );
      } finally {
        run.net.dispose();
      }
    });
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : 'n/a (one class)';
}

function csv(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
