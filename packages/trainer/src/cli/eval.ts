import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseShard, type Split } from '@caddm/datasets';
import { cacheSplits, EvalDataError, manifestEvalFrames } from '../data/eval-frames.js';
import { writeEvalResults } from '../eval-output.js';
import { writeEvalShard } from '../eval-shards.js';
import { loadRun } from '../run.js';
import { scoreFrames, summariseScores } from '../train/evaluate.js';
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
    .option('--shard <i/n>', "score only shard I of N of the videos (or auto, auto/N: from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX) into <out>/shards/; then 'caddm merge <out>'")
    .action(async (o: { run: string; cache: string; split?: string; frames?: number; out?: string; batch: number; shard?: string }) => {
      if (o.split != null && !['train', 'val', 'test', 'cross'].includes(o.split)) throw new CliError(`--split must be train, val, test or cross, got '${o.split}'`);
      const shard = o.shard != null ? parseShard(o.shard) : undefined;
      await backend();
      const run = loadRun(o.run);
      try {
        const skips: Array<{ id: string; line: string }> = [];
        const frames = manifestEvalFrames(o.cache, run.config, {
          split: o.split as Split | undefined,
          frames: o.frames,
          shard,
          onSkip: (id, why) => skips.push({ id, line: `${id}: ${why}` }),
        });
        const out = resolve(o.out ?? join(run.runDir, `eval-${resolve(o.cache).split('/').pop()}${o.split ? `-${o.split}` : ''}`));
        const provenance = { run: run.runDir, checkpoint: run.checkpoint, step: run.step, cache: resolve(o.cache), split: o.split ?? 'all' };
        if (shard) {
          const scored = await scoreFrames(run.net, frames, o.batch);
          const file = writeEvalShard(out, shard, { ...provenance, frames: o.frames ?? run.config.dataset.test_frames }, scored, skips);
          process.stdout.write(`shard ${shard.index} of ${shard.count}: ${scored.scores.length} frames of ${new Set(scored.ids).size} videos scored into ${file}\nwhen every shard is done: caddm merge ${out}\n`);
          return;
        }
        const scored = await scoreFrames(run.net, frames, o.batch);
        if (scored.scores.length === 0) {
          const counts = cacheSplits(o.cache);
          const videos = o.split != null ? (counts.get(o.split) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0);
          throw new EvalDataError(`${resolve(o.cache)}: no frame to score${o.split ? ` in split '${o.split}'` : ''} (${videos} video(s), none with a frame that has a face); see the preprocess summary of this cache`);
        }
        const r = summariseScores(scored.scores, scored.labels, scored.ids);
        await writeEvalResults(out, r, { ...provenance, skipped: skips.map((s) => s.line) });
        for (const s of skips) process.stderr.write(`skipped ${s.line}\n`);
        process.stdout.write(
          `frames ${r.frames}, videos ${r.videos}: frame AUC ${fmt(r.frameAuc)}, video AUC ${fmtAuc(r.videoAuc, r.videoAucCi95)}, video EER ${fmt(r.videoEer)}, video AP ${fmt(r.videoAp)}\nresults: ${out}\n`,
        );
      } finally {
        run.net.dispose();
      }
    });
}

/** One metric for the console. */
export function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : 'n/a (one class)';
}

/** An AUC with its 95% interval when there is one, e.g. `0.7475 [0.7168, 0.7782]`. */
export function fmtAuc(x: number, ci: readonly [number, number] | null): string {
  return ci == null || !Number.isFinite(x) ? fmt(x) : `${fmt(x)} [${ci[0].toFixed(4)}, ${ci[1].toFixed(4)}]`;
}

