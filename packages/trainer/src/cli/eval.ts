import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { clusterBootstrapAuc } from '@caddm/metrics';
import { benchmarkPeople, parseShard, type Split } from '@caddm/datasets';
import { prepareEmbedded } from '../data/embedded.js';
import type { EvalResult } from '../train/evaluate.js';
import { cacheSplits, EvalDataError, manifestEvalFrames } from '../data/eval-frames.js';
import { writeEvalResults } from '../eval-output.js';
import { writeEvalShard } from '../eval-shards.js';
import { loadRun } from '../run.js';
import { scoreFrames, summariseScores } from '../train/evaluate.js';
import { CliError, backend, nonNegativeInt, positiveInt } from './common.js';

/** `caddm eval`: frame/video AUC, EER, AP, ROC plot and per-video scores of a trained run. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description(
      'Evaluate a trained run on a preprocessed cache (from `caddm preprocess`): frames per video at equal intervals, aligned without jitter; writes metrics.json (frame AUC, video AUC, video EER, video AP), videos.csv (per-video mean P(fake)), roc.svg/png.',
    )
    .requiredOption('-r, --run <dir>', "run directory written by 'caddm train' (or one of its checkpoints)")
    .option('-c, --cache <dir>', "preprocessed cache written by 'caddm preprocess'")
    .option(
      '--faces <dir>',
      'instead of --cache: a folder of people (<identity>/<image>, e.g. LFW; 10 people with 2+ photos in which a face is found at least, about 40 with 6+ photos for useful intervals): ' +
        'builds a held-out real-face set from every usable photo (cached), fakes by the four in-domain methods (--split test, the default) or by the held-out method with random and most-similar donors (--split cross), and adds the identity-cluster bootstrap interval',
    )
    .option('--seed <n>', 'with --faces: seed of the generated set', nonNegativeInt('--seed'), 0)
    .option('--split <split>', 'only this split: train, val, test, cross (default: all cached videos; with --faces: test)')
    .option('--frames <n>', 'frames per video (default: the run config\'s dataset.test_frames; the paper: 32)', positiveInt('--frames'))
    .option('-o, --out <dir>', 'where to write results (default: <run>/eval-<cache name>)')
    .option('--batch <n>', 'frames per forward pass', positiveInt('--batch'), 32)
    .option('--shard <i/n>', "score only shard I of N of the videos (or auto, auto/N: from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX) into <out>/shards/; then 'caddm merge <out>'")
    .action(async (o: { run: string; cache?: string; faces?: string; seed: number; split?: string; frames?: number; out?: string; batch: number; shard?: string }) => {
      if (o.split != null && !['train', 'val', 'test', 'cross'].includes(o.split)) throw new CliError(`--split must be train, val, test or cross, got '${o.split}'`);
      if ((o.cache == null) === (o.faces == null)) throw new CliError('give either --cache DIR (a preprocessed cache) or --faces DIR (a folder of people), not both or neither');
      if (o.faces != null && o.split != null && o.split !== 'test' && o.split !== 'cross') throw new CliError(`with --faces, --split must be test or cross, got '${o.split}'`);
      const shard = o.shard != null ? parseShard(o.shard) : undefined;
      await backend();
      const run = loadRun(o.run);
      try {
        let faces: FacesSet | undefined;
        if (o.faces != null) {
          faces = await facesSet(o.faces, o.seed, (o.split ?? 'test') as 'test' | 'cross');
          o.cache = faces.cache;
          o.split = faces.split;
          o.out ??= join(run.runDir, `eval-faces-${basename(resolve(o.faces))}-${faces.split}`);
        }
        const cacheDir = o.cache as string;
        const skips: Array<{ id: string; line: string }> = [];
        const frames = manifestEvalFrames(cacheDir, run.config, {
          split: o.split as Split | undefined,
          frames: o.frames,
          shard,
          onSkip: (id, why) => skips.push({ id, line: `${id}: ${why}` }),
        });
        const out = resolve(o.out ?? join(run.runDir, `eval-${resolve(cacheDir).split('/').pop()}${o.split ? `-${o.split}` : ''}`));
        const provenance = { run: run.runDir, checkpoint: run.checkpoint, step: run.step, cache: resolve(cacheDir), split: o.split ?? 'all' };
        if (shard) {
          const scored = await scoreFrames(run.net, frames, o.batch);
          const file = writeEvalShard(out, shard, { ...provenance, frames: o.frames ?? run.config.dataset.test_frames }, scored, skips);
          process.stdout.write(`shard ${shard.index} of ${shard.count}: ${scored.scores.length} frames of ${new Set(scored.ids).size} videos scored into ${file}\nwhen every shard is done: caddm merge ${out}\n`);
          return;
        }
        const scored = await scoreFrames(run.net, frames, o.batch);
        if (scored.scores.length === 0) {
          const counts = cacheSplits(cacheDir);
          const videos = o.split != null ? (counts.get(o.split) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0);
          throw new EvalDataError(`${resolve(cacheDir)}: no frame to score${o.split ? ` in split '${o.split}'` : ''} (${videos} video(s), none with a frame that has a face); see the preprocess summary of this cache`);
        }
        const r = summariseScores(scored.scores, scored.labels, scored.ids);
        const extra = faces ? facesExtra(faces, r) : undefined;
        await writeEvalResults(out, r, { ...provenance, skipped: skips.map((s) => s.line), ...(extra ? { extra } : {}) });
        for (const s of skips) process.stderr.write(`skipped ${s.line}\n`);
        process.stdout.write(
          `frames ${r.frames}, videos ${r.videos}: frame AUC ${fmt(r.frameAuc)}, video AUC ${fmtAuc(r.videoAuc, r.videoAucCi95)}, video EER ${fmt(r.videoEer)}, video AP ${fmt(r.videoAp)}\n` +
            (extra ? `real-face set: ${extra.realVideos} real and ${extra.fakeVideos} fake videos of ${extra.identities} people; video AUC ${fmtAuc(r.videoAuc, extra.videoAucIdentityCi95 as [number, number] | null)} (identity-cluster bootstrap, 95%)\n` : '') +
            `results: ${out}\n`,
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


/** A real-face evaluation set built from a folder of people. */
interface FacesSet {
  readonly dir: string;
  readonly cache: string;
  readonly split: 'test' | 'cross';
  /** The person of a video of the set (its tree's identities.json; a fake is its target's). */
  readonly personOf: (videoId: string) => string | undefined;
  /** benchmark.json's photo report. */
  readonly report: Record<string, unknown> | undefined;
}

/** Builds (once, cached) the evaluation-only benchmark of a folder of people and preprocesses it. */
async function facesSet(dir: string, seed: number, split: 'test' | 'cross'): Promise<FacesSet> {
  if (!existsSync(dir)) throw new CliError(`${dir}: no such folder; give a folder of people (<identity>/<image>)`);
  const data = await prepareEmbedded({ profile: 'mini', seed, faces: dir, facesUse: 'eval', progress: process.stderr.isTTY === true });
  const root = split === 'test' ? data.ffppRoot : data.crossRoot;
  const bench = JSON.parse(readFileSync(join(dirname(data.ffppRoot), 'benchmark.json'), 'utf8')) as { photos?: Record<string, unknown> };
  return { dir: resolve(dir), cache: split === 'test' ? data.cache : data.crossCache, split, personOf: benchmarkPeople([root]), report: bench.photos };
}

/** The real-face set's counts and the identity-cluster bootstrap interval of the video AUC (a fake counts as its target's). */
function facesExtra(f: FacesSet, r: EvalResult): Record<string, unknown> {
  const personOf = (id: string): string => {
    const p = f.personOf(id);
    if (p == null) throw new EvalDataError(`${f.cache}: video '${id}' has no person in identities.json; delete the cached set and run again`);
    return p;
  };
  const labels = r.perVideo.map((v) => v.label);
  const clusters = r.perVideo.map((v) => personOf(v.id));
  const both = labels.includes(0) && labels.includes(1);
  const boot = both ? clusterBootstrapAuc(labels, r.perVideo.map((v) => v.score), clusters, { reps: 2000, seed: 0, level: 0.95 }) : undefined;
  return {
    faces: { dir: f.dir, split: f.split, ...(f.report ?? {}) },
    realVideos: labels.filter((l) => l === 0).length,
    fakeVideos: labels.filter((l) => l === 1).length,
    identities: new Set(clusters).size,
    videoAucIdentityCi95: boot && Number.isFinite(boot.lo) ? [boot.lo, boot.hi] : null,
    identityBootstrap: boot ? { reps: boot.reps, valid: boot.valid, level: boot.level, test: 'identity cluster bootstrap' } : null,
  };
}
