import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { rocChart, writeChart } from '@caddm/metrics';
import { writeFileAtomic } from '@caddm/runlog';
import type { EvalResult } from './train/evaluate.js';

/** Where an evaluation's numbers came from, written into its metrics.json. */
export interface EvalProvenance {
  readonly run: string;
  readonly checkpoint: string;
  readonly step: number;
  readonly cache: string;
  /** The split evaluated, or `all`. */
  readonly split: string;
  /** Videos and frames that could not be scored, one line each. */
  readonly skipped: readonly string[];
  /** More to record (e.g. the real-face set and its identity-cluster interval). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * Writes an evaluation's results into `out`: `metrics.json` (frame AUC, video
 * AUC, video EER, video AP, with the provenance), `videos.csv` (per-video mean
 * P(fake)) and `roc.svg`/`roc.png` (when both classes are there). The one
 * writer of `caddm eval` and of `caddm merge` on evaluation shards, so both
 * give the same files for the same scores.
 */
export async function writeEvalResults(out: string, r: EvalResult, p: EvalProvenance): Promise<void> {
  mkdirSync(out, { recursive: true });
  const metrics = {
    run: p.run,
    checkpoint: p.checkpoint,
    step: p.step,
    cache: p.cache,
    split: p.split,
    frames: r.frames,
    videos: r.videos,
    realVideos: r.perVideo.filter((v) => v.label === 0).length,
    fakeVideos: r.perVideo.filter((v) => v.label === 1).length,
    frameAuc: r.frameAuc,
    videoAuc: r.videoAuc,
    videoAucCi95: r.videoAucCi95,
    videoEer: r.videoEer,
    videoAp: r.videoAp,
    skipped: p.skipped,
    ...p.extra,
  };
  writeFileAtomic(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  writeFileAtomic(join(out, 'videos.csv'), 'video,label,score,frames\n' + r.perVideo.map((v) => `${csv(v.id)},${v.label},${v.score},${v.frames}`).join('\n') + '\n');
  if (Number.isFinite(r.frameAuc)) {
    const curves = [
      { name: 'frames', labels: r.frameLabels, scores: r.frameScores },
      { name: 'videos', labels: r.perVideo.map((v) => v.label), scores: r.perVideo.map((v) => v.score) },
    ];
    await writeChart(join(out, 'roc'), rocChart(curves, { title: `ROC: ${p.cache.split('/').pop()}` }));
  }
}

function csv(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
