/**
 * Sharded evaluation: each shard scores its part of a cache's videos and keeps
 * the frame scores (`<out>/shards/<i>-of-<n>/scores.json`); {@link mergeEvalShards}
 * joins them in the single-process frame order and computes the metrics from
 * the joined scores, never by averaging shards, so they equal a single-process
 * `caddm eval` exactly.
 *
 * @packageDocumentation
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listShards, loadManifest, shardDir, type Shard } from '@caddm/datasets';
import { writeFileAtomic } from '@caddm/runlog';
import { writeEvalResults, type EvalProvenance } from './eval-output.js';
import { summariseScores, type EvalResult, type FrameScores } from './train/evaluate.js';

/** The file one evaluation shard writes. */
export const EVAL_SHARD_FILE = 'scores.json';

/** What an evaluation shard ran with: shards merge only when these agree. */
export interface EvalShardSettings extends Omit<EvalProvenance, 'skipped'> {
  /** Frames per video asked for. */
  readonly frames: number;
}

interface EvalShardFile {
  readonly settings: EvalShardSettings;
  readonly shard: Shard;
  readonly ids: readonly string[];
  readonly labels: readonly number[];
  readonly scores: readonly number[];
  readonly skipped: ReadonlyArray<{ readonly id: string; readonly line: string }>;
}

/** A sharded evaluation that cannot be merged: the folder, what is missing or mixed, and what to do. */
export class EvalMergeError extends Error {
  override readonly name = 'EvalMergeError';
}

/** Writes one shard's frame scores (possibly none) and skips under `<out>/shards/<i>-of-<n>/`. */
export function writeEvalShard(out: string, shard: Shard, settings: EvalShardSettings, s: FrameScores, skipped: ReadonlyArray<{ id: string; line: string }>): string {
  const dir = shardDir(resolve(out), shard);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, EVAL_SHARD_FILE);
  const doc: EvalShardFile = { settings, shard, ids: s.ids, labels: Array.from(s.labels), scores: Array.from(s.scores), skipped };
  writeFileAtomic(file, JSON.stringify(doc) + '\n');
  return file;
}

/**
 * Joins the shards under `<out>/shards` into `metrics.json`, `videos.csv` and
 * the ROC plot in `<out>`, exactly as a single-process evaluation writes them
 * (videos in the cache manifest's order), then removes the shards.
 *
 * @throws EvalMergeError listing missing shards, or naming the setting in which
 * shards differ (run, checkpoint, cache, split, frames)
 */
export async function mergeEvalShards(outDir: string): Promise<{ out: string; shards: number; result: EvalResult }> {
  const out = resolve(outDir);
  const { count, dirs } = listShards(out, 'eval');
  const missing: number[] = [];
  const docs: EvalShardFile[] = [];
  for (let i = 0; i < count; i++) {
    const file = dirs.has(i) ? join(dirs.get(i)!, EVAL_SHARD_FILE) : undefined;
    if (file == null || !existsSync(file)) missing.push(i);
    else docs.push(JSON.parse(readFileSync(file, 'utf8')) as EvalShardFile);
  }
  if (missing.length) throw new EvalMergeError(`${out}: cannot merge ${count} evaluation shards: missing or unfinished shard(s) ${missing.join(', ')}; run those indices again (--shard I/${count}), then merge`);
  const first = docs[0].settings;
  for (const d of docs) {
    const diff = (Object.keys(first) as Array<keyof EvalShardSettings>).filter((k) => JSON.stringify(d.settings[k]) !== JSON.stringify(first[k]));
    if (diff.length) throw new EvalMergeError(`${out}: shard ${d.shard.index} was evaluated with another ${diff.join(', ')} than shard ${docs[0].shard.index}; run every shard with the same run, cache, split and frames`);
  }
  // The single-process order: the cache manifest's videos, each video's frames as its shard scored them.
  const byVideo = new Map<string, Array<{ label: number; score: number }>>();
  const skipsByVideo = new Map<string, string[]>();
  for (const d of docs) {
    d.ids.forEach((id, k) => {
      let l = byVideo.get(id);
      if (!l) byVideo.set(id, (l = []));
      l.push({ label: d.labels[k], score: d.scores[k] });
    });
    for (const s of d.skipped) skipsByVideo.set(s.id, [...(skipsByVideo.get(s.id) ?? []), s.line]);
  }
  const ids: string[] = [];
  const labels: number[] = [];
  const scores: number[] = [];
  const skipped: string[] = [];
  for (const id of loadManifest(join(first.cache, 'manifest.jsonl')).videos.keys()) {
    skipped.push(...(skipsByVideo.get(id) ?? []));
    for (const f of byVideo.get(id) ?? []) {
      ids.push(id);
      labels.push(f.label);
      scores.push(f.score);
    }
  }
  if (ids.length !== [...byVideo.values()].reduce((a, l) => a + l.length, 0)) {
    throw new EvalMergeError(`${out}: the shards scored videos that ${join(first.cache, 'manifest.jsonl')} does not list; was the cache changed after the shards ran?`);
  }
  if (ids.length === 0) throw new EvalMergeError(`${out}: the shards scored no frame; check the cache and the split`);
  const result = summariseScores(Float32Array.from(scores), Uint8Array.from(labels), ids);
  await writeEvalResults(out, result, { run: first.run, checkpoint: first.checkpoint, step: first.step, cache: first.cache, split: first.split, skipped });
  rmSync(join(out, 'shards'), { recursive: true, force: true });
  return { out, shards: count, result };
}
