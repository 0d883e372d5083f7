import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadManifest, type ManifestVideo, type Split } from '@caddm/datasets';
import { writeFileAtomic } from '@caddm/runlog';

/** Genuine and fake video counts of one split of a view. */
export interface ViewCounts {
  readonly real: number;
  readonly fake: number;
}

/** What {@link writeCacheView} wrote. */
export interface CacheView {
  /** The view folder (a cache: pass it wherever a preprocessing cache goes). */
  readonly dir: string;
  /** Videos per split of the view. */
  readonly counts: Readonly<Partial<Record<Split, ViewCounts>>>;
}

/** Thrown when a view would hold no video, or its source has no manifest. */
export class CacheViewError extends Error {
  override readonly name = 'CacheViewError';
}

/**
 * Writes a view of a preprocessing cache: a folder holding only a
 * `manifest.jsonl` with the source videos `select` keeps, each under the
 * split `select` gives it, and frame paths pointing back into the source
 * (no frame is copied). The trainer's loader and evaluation read it like any
 * cache. This is how an experiment trains on one manipulation method (the
 * reals plus that method's fakes) or on part of a tree that has no `train`
 * split, without a dataset change. Rewritten on every call (deterministic
 * in the source manifest and `select`).
 *
 * @param source - the preprocessing cache (holding `manifest.jsonl`)
 * @param dir - where the view goes (created)
 * @param select - the split a source video gets in the view, or null to leave it out
 * @throws CacheViewError when the source has no video or the view would be empty
 */
export function writeCacheView(source: string, dir: string, select: (v: ManifestVideo) => Split | null): CacheView {
  const src = resolve(source);
  const out = resolve(dir);
  const { videos } = loadManifest(join(src, 'manifest.jsonl'));
  if (videos.size === 0) throw new CacheViewError(`no preprocessed video in ${src} (manifest.jsonl missing or empty)`);
  const rel = (file: string) => relative(out, join(src, file));
  const lines: string[] = [];
  const counts: Partial<Record<Split, { real: number; fake: number }>> = {};
  for (const v of [...videos.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const split = select(v);
    if (split == null) continue;
    const c = (counts[split] ??= { real: 0, fake: 0 });
    if (v.label === 1) c.fake++;
    else c.real++;
    const frames = v.frames.map((f) => ({ ...f, file: rel(f.file), ...(f.source ? { source: { ...f.source, file: rel(f.source.file) } } : {}) }));
    lines.push(JSON.stringify({ ...v, split, frames }));
  }
  if (lines.length === 0) throw new CacheViewError(`the view ${out} of ${src} would hold no video: the selection kept none of ${videos.size}`);
  mkdirSync(out, { recursive: true });
  writeFileAtomic(join(out, 'manifest.jsonl'), lines.join('\n') + '\n');
  return { dir: out, counts };
}

/** The video name of a manifest id (`ffpp/Deepfakes/000_003` -> `000_003`). */
export function videoName(v: ManifestVideo): string {
  return v.id.slice(v.id.lastIndexOf('/') + 1);
}

/**
 * Deals the `[target, source]` pairs of a split file into two
 * identity-disjoint parts, in the file's (seeded, shuffled) order. Pairs are
 * grouped by the persons they join (`identityOf`, default: each video is its
 * own person, as in FF++; the embedded benchmark v2 has two videos per person
 * and lists one pair per video); the first `round(groups * fraction)` groups
 * (at least one, at most all but one) go to `first`, the rest to `second`.
 * Returns the part of every video name: each real video (`000`) and each
 * fake of a pair (`000_003`, `003_000`).
 *
 * @throws CacheViewError with fewer than two groups, a fraction outside (0, 1),
 * or a person found in pairs of both parts
 */
export function dealPairs(
  pairs: ReadonlyArray<readonly [string, string]>,
  fraction: number,
  identityOf: (video: string) => string = (v) => v,
): Map<string, 'first' | 'second'> {
  if (!(fraction > 0 && fraction < 1)) throw new CacheViewError(`the fraction of pairs must be in (0, 1), got ${fraction}`);
  const groups = new Map<string, Array<readonly [string, string]>>();
  for (const pair of pairs) {
    const key = pair.map(identityOf).sort().join('|');
    groups.set(key, [...(groups.get(key) ?? []), pair]);
  }
  if (groups.size < 2) throw new CacheViewError(`need at least two identity pairs to split them in two parts, got ${groups.size}`);
  const n = Math.min(groups.size - 1, Math.max(1, Math.round(groups.size * fraction)));
  const part = new Map<string, 'first' | 'second'>();
  const personPart = new Map<string, 'first' | 'second'>();
  [...groups.values()].forEach((group, i) => {
    const p = i < n ? 'first' : 'second';
    for (const [a, b] of group) {
      for (const person of [identityOf(a), identityOf(b)]) {
        if ((personPart.get(person) ?? p) !== p) throw new CacheViewError(`person ${person} is paired in both parts of the split file; its pairs must join the same two persons`);
        personPart.set(person, p);
      }
      for (const name of [a, b, `${a}_${b}`, `${b}_${a}`]) part.set(name, p);
    }
  });
  return part;
}
