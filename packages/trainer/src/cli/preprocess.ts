import type { Command } from 'commander';
import { faceApiDetector, formatSummary, openDataset, parseShard, preprocess, sidecarDetector, type DatasetKind, type Split } from '@caddm/datasets';
import { CliError, backend, positiveInt } from './common.js';

/** `caddm preprocess`: frames + per-frame landmarks into a resumable cache. */
export function registerPreprocess(program: Command): void {
  program
    .command('preprocess')
    .description(
      'Decode N frames per video at equal intervals, detect 68 landmarks per frame (face-api; a generated benchmark\'s exact landmarks where it has them), locate each fake frame\'s source frame, and cache PNGs + a JSONL manifest. Re-running resumes where a killed run stopped. Prints what was skipped (no face, missing source) with file names.',
    )
    .requiredOption('-d, --data <root>', 'dataset root: FF++, Celeb-DF v2, DFDC, an identity folder, or a generated benchmark')
    .requiredOption('-o, --out <dir>', 'cache folder (frames/, manifest.jsonl, summary.json)')
    .option('--kind <kind>', 'force the layout: ffpp, celebdf, dfdc, identity (default: detected)')
    .option('--frames <n>', 'frames per video (the paper: 32)', positiveInt('--frames'), 32)
    .option('--split <split>', 'only this split: train, val, test, cross')
    .option('--compression <c>', 'FF++ compression: raw, c23, c40', 'c23')
    .option('--forehead', 'also store a 13-point forehead arc (81 points, like the reference\'s dlib model)', false)
    .option('--max-side <px>', 'downscale frames so the longer side is at most this', positiveInt('--max-side'))
    .option('--retry-failed', 'redo videos that failed before', false)
    .option('--follow-symlinks', 'also read videos that symbolic links (or ../ in metadata) place outside the dataset root; without it they are skipped, each named', false)
    .option('--shard <i/n>', "process only shard I of N of the videos (or auto, auto/N: from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX) into <out>/shards/; then 'caddm merge <out>'")
    .action(async (o: { data: string; out: string; kind?: string; frames: number; split?: string; compression: string; forehead: boolean; maxSide?: number; retryFailed: boolean; followSymlinks: boolean; shard?: string }) => {
      if (o.split != null && !['train', 'val', 'test', 'cross'].includes(o.split)) throw new CliError(`--split must be train, val, test or cross, got '${o.split}'`);
      const shard = o.shard != null ? parseShard(o.shard) : undefined;
      await backend();
      const ds = openDataset(o.data, { kind: o.kind as DatasetKind | undefined, compression: o.compression as 'c23', followSymlinks: o.followSymlinks });
      const ac = new AbortController();
      const stop = () => {
        process.stderr.write('\nstopping after the current video (the manifest stays consistent)...\n');
        ac.abort();
      };
      process.once('SIGINT', stop);
      try {
        const summary = await preprocess(ds, {
          out: o.out,
          frames: o.frames,
          split: o.split as Split | undefined,
          forehead: o.forehead,
          maxSide: o.maxSide,
          retryFailed: o.retryFailed,
          signal: ac.signal,
          shard,
          // Generated benchmarks carry exact landmarks beside each video; other videos go to face-api.
          detector: sidecarDetector(faceApiDetector()),
        });
        process.stdout.write(formatSummary(summary) + '\n');
        if (shard && !summary.aborted) process.stdout.write(`when every shard is done: caddm merge ${o.out}\n`);
      } finally {
        process.off('SIGINT', stop);
      }
    });
}
