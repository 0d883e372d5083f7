/**
 * Joins the shards of a sharded `preprocess` run (`<out>/shards/<i>-of-<n>/`)
 * into one cache at `<out>`: the frames move into `<out>/frames/`, and the
 * manifest lists every video in the order a single-process run writes it
 * (genuine videos by id, then fakes by id), so the merged cache is the one a
 * single process would have made.
 *
 * @packageDocumentation
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatasetError } from '../errors.js';
import { writeFileAtomic } from '../io/read-image.js';
import type { PreprocessSummary } from '../preprocess/preprocess.js';
import { parseShardDirName, shardDir, type Shard } from './shard.js';

/** What {@link mergePreprocessShards} did. */
export interface CacheMergeResult {
  readonly out: string;
  readonly shards: number;
  readonly videos: number;
  readonly manifest: string;
}

/** The shards found under `<out>/shards`, by index, all of one count; throws when counts are mixed or none is there. */
export function listShards(out: string, what: string): { count: number; dirs: Map<number, string> } {
  const root = join(out, 'shards');
  const found = existsSync(root) ? readdirSync(root).map((n) => ({ n, s: parseShardDirName(n) })).filter((x): x is { n: string; s: Shard } => x.s != null) : [];
  if (found.length === 0) throw new DatasetError(`${out}: no shards to merge (expected ${what} folders shards/<i>-of-<n>); run each shard with --shard I/N --out ${out} first`, out);
  const counts = [...new Set(found.map((x) => x.s.count))];
  if (counts.length > 1) throw new DatasetError(`${root}: shards of different counts (${counts.map((c) => `of-${c}`).join(', ')}); keep the shards of one run only`, root);
  return { count: counts[0], dirs: new Map(found.map((x) => [x.s.index, join(root, x.n)])) };
}

/** Moves `src` into `dst`, folder by folder; two files of the same path are a conflict. */
function moveTree(src: string, dst: string): void {
  if (!existsSync(dst)) {
    renameSync(src, dst);
    return;
  }
  if (!statSync(src).isDirectory() || !statSync(dst).isDirectory()) throw new DatasetError(`cannot merge ${src}: ${dst} exists already (two shards wrote the same frame?)`, src);
  for (const name of readdirSync(src)) moveTree(join(src, name), join(dst, name));
  rmSync(src, { recursive: true, force: true });
}

/**
 * Merges `<out>/shards/*` into the cache `<out>`, then removes the shards.
 *
 * @throws DatasetError (one line) listing the shards that are missing or
 * unfinished, or naming the setting in which two shards differ; or when `<out>`
 * already holds a manifest
 */
export function mergePreprocessShards(outDir: string): CacheMergeResult {
  const out = resolve(outDir);
  const { count, dirs } = listShards(out, 'preprocess');
  const missing: string[] = [];
  const unfinished: string[] = [];
  const summaries: PreprocessSummary[] = [];
  for (let i = 0; i < count; i++) {
    const dir = dirs.get(i);
    if (dir == null) {
      missing.push(String(i));
      continue;
    }
    const file = join(dir, 'summary.json');
    const s = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PreprocessSummary) : undefined;
    if (!s || s.aborted || s.processed + s.resumed !== s.entries) unfinished.push(String(i));
    else summaries.push(s);
  }
  if (missing.length || unfinished.length) {
    const parts = [missing.length ? `missing shard(s) ${missing.join(', ')}` : '', unfinished.length ? `unfinished shard(s) ${unfinished.join(', ')}` : ''].filter(Boolean);
    throw new DatasetError(`${out}: cannot merge ${count} shards: ${parts.join('; ')}; run those indices again (--shard I/${count}), then merge`, out);
  }
  const first = JSON.stringify(summaries[0].settings);
  summaries.forEach((s, i) => {
    if (JSON.stringify(s.settings) !== first) {
      const diff = Object.keys(s.settings).filter((k) => JSON.stringify((s.settings as unknown as Record<string, unknown>)[k]) !== JSON.stringify((summaries[0].settings as unknown as Record<string, unknown>)[k]));
      throw new DatasetError(`${out}: shard ${i} was made with other settings than shard 0 (${diff.join(', ')}); run every shard with the same options`, out);
    }
  });
  const manifest = join(out, 'manifest.jsonl');
  if (existsSync(manifest)) throw new DatasetError(`${out}: already holds a manifest.jsonl; merge into a new --out, or remove it`, out);
  const lines: Array<{ id: string; fake: boolean; line: string }> = [];
  for (let i = 0; i < count; i++) {
    const dir = shardDir(out, { index: i, count });
    for (const line of readFileSync(join(dir, 'manifest.jsonl'), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const rec = JSON.parse(line) as { id: string; sourceId?: string };
      lines.push({ id: rec.id, fake: rec.sourceId !== undefined, line });
    }
  }
  // A single process writes genuine videos by id, then fakes by id (preprocess's selectEntries).
  lines.sort((a, b) => (a.fake !== b.fake ? (a.fake ? 1 : -1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 0; i < count; i++) {
    const frames = join(shardDir(out, { index: i, count }), 'frames');
    if (existsSync(frames)) moveTree(frames, join(out, 'frames'));
  }
  writeFileAtomic(manifest, lines.map((l) => l.line).join('\n') + (lines.length ? '\n' : ''));
  const total = (k: 'processed' | 'resumed' | 'framesSaved') => summaries.reduce((a, s) => a + s[k], 0);
  const merged: PreprocessSummary = {
    ...summaries[0],
    out,
    manifest,
    processed: total('processed'),
    resumed: total('resumed'),
    framesSaved: total('framesSaved'),
    repaired: summaries.some((s) => s.repaired),
    entries: summaries.reduce((a, s) => a + s.entries, 0),
    failed: summaries.flatMap((s) => s.failed),
    noFace: summaries.flatMap((s) => s.noFace),
    missingSources: summaries.flatMap((s) => s.missingSources),
    missingFrames: summaries.flatMap((s) => s.missingFrames),
  };
  delete (merged as { shard?: Shard }).shard;
  writeFileAtomic(join(out, 'summary.json'), JSON.stringify({ ...merged, mergedShards: count }, null, 2) + '\n');
  rmSync(join(out, 'shards'), { recursive: true, force: true });
  return { out, shards: count, videos: lines.length, manifest };
}
