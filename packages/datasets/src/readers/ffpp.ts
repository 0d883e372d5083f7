/**
 * FaceForensics++ reader.
 *
 * Layout (the official download script's):
 * `original_sequences/youtube/{raw,c23,c40}/videos/000.mp4`,
 * `manipulated_sequences/<Method>/{raw,c23,c40}/videos/000_003.mp4`, and the official
 * split files `splits/{train,val,test}.json` (lists of `[target, source]` pairs).
 * A fake `000_003` is target video 000 with the face (or expressions) of 003; its
 * pixel-aligned source is the original `000`. A `videos/` folder may also hold
 * frames folders (`000/` with images) instead of mp4 files.
 */
import { join } from 'node:path';
import { DatasetOptionError, DatasetRootError } from '../errors.js';
import type { Dataset, Skip, Split, VideoEntry } from '../types.js';
import { checkRoot, isDir, listDir, listMedia, sidecarPath } from './fs-util.js';
import { readSplitFolder, type SplitAssignment } from './split-file.js';

/** The five manipulation methods of FF++ (c23 release). */
export const FFPP_METHODS: readonly string[] = ['Deepfakes', 'Face2Face', 'FaceSwap', 'NeuralTextures', 'FaceShifter'];

/** FF++ compression levels. */
export const FFPP_COMPRESSIONS: readonly string[] = ['raw', 'c23', 'c40'];

/** Options of {@link readFFpp}. */
export interface FfppOptions {
  /** Compression level folder (default `c23`). */
  compression?: string;
  /**
   * Methods to read. Default: every folder under `manipulated_sequences/` that has
   * `<compression>/videos`. A listed method whose folder is missing is reported in `skipped`.
   */
  methods?: readonly string[];
  /** Read the originals (default true). */
  originals?: boolean;
  /** Folder of the split files (default `<root>/splits`). */
  splitsDir?: string;
  /** Fail when no split file is found (default false: entries then have no split). */
  requireSplits?: boolean;
  /** Dataset short name used in ids (default `ffpp`). */
  name?: string;
}

const FAKE_NAME = /^(\d+)_(\d+)$/;

/**
 * Reads an FF++ tree.
 * @param root - the FF++ root (holding `original_sequences/` and/or `manipulated_sequences/`)
 * @throws DatasetRootError when the root is missing or has neither folder, or no video at all
 * @throws SplitFileError when a split file is malformed (or missing with `requireSplits`)
 */
export function readFFpp(root: string, options: FfppOptions = {}): Dataset {
  const abs = checkRoot(root, 'FF++');
  const name = options.name ?? 'ffpp';
  const comp = options.compression ?? 'c23';
  if (!FFPP_COMPRESSIONS.includes(comp)) {
    throw new DatasetOptionError(`FF++ compression must be one of ${FFPP_COMPRESSIONS.join(', ')}, got ${JSON.stringify(comp)}`);
  }
  const origRoot = join(abs, 'original_sequences');
  const manipRoot = join(abs, 'manipulated_sequences');
  if (!isDir(origRoot) && !isDir(manipRoot)) {
    throw new DatasetRootError(
      `${abs} is not an FF++ root: expected original_sequences/ or manipulated_sequences/ in it (found: ${listDir(abs).slice(0, 8).join(', ') || 'nothing'})`,
      abs,
    );
  }
  const skipped: Skip[] = [];
  const warnings: Skip[] = [];
  const entries: VideoEntry[] = [];

  const splitsDir = options.splitsDir ?? join(abs, 'splits');
  const splits: SplitAssignment | undefined = readSplitFolder(splitsDir);
  if (!splits && options.requireSplits) {
    throw new DatasetRootError(`no split file (train.json, val.json, test.json) in ${splitsDir}`, splitsDir);
  }

  // Originals.
  const originals = new Map<string, VideoEntry>();
  if (options.originals ?? true) {
    const dir = join(origRoot, 'youtube', comp, 'videos');
    if (!isDir(dir)) {
      skipped.push({ path: dir, reason: `originals folder missing for compression ${comp}` });
    } else {
      const { items, ignored } = listMedia(dir);
      for (const p of ignored) skipped.push({ path: p, reason: 'not a video file or frames folder' });
      for (const it of items) {
        const e: VideoEntry = {
          id: `${name}/original/${it.name}`,
          dataset: name,
          method: 'original',
          label: 0,
          path: it.path,
          format: it.format,
          compression: comp,
        };
        const sp = splits?.originals.get(it.name);
        if (sp) e.split = sp;
        const lm = sidecarPath(dir, it.name);
        if (lm) e.landmarksPath = lm;
        originals.set(it.name, e);
        entries.push(e);
      }
    }
  }

  // Manipulated sequences.
  const found = listDir(manipRoot).filter((m) => isDir(join(manipRoot, m, comp, 'videos')));
  const methods = options.methods ?? found;
  for (const method of methods) {
    if (typeof method !== 'string' || method.length === 0 || method.includes('/')) {
      throw new DatasetOptionError(`bad FF++ method name ${JSON.stringify(method)}`);
    }
    const dir = join(manipRoot, method, comp, 'videos');
    if (!isDir(dir)) {
      skipped.push({ path: dir, reason: `method folder ${method}/${comp}/videos missing` });
      continue;
    }
    const { items, ignored } = listMedia(dir);
    for (const p of ignored) skipped.push({ path: p, reason: 'not a video file or frames folder' });
    for (const it of items) {
      const m = FAKE_NAME.exec(it.name);
      if (!m) {
        skipped.push({ path: it.path, reason: `name ${it.name} is not <target>_<source> (e.g. 000_003); its source cannot be found` });
        continue;
      }
      const e: VideoEntry = {
        id: `${name}/${method}/${it.name}`,
        dataset: name,
        method,
        label: 1,
        path: it.path,
        format: it.format,
        compression: comp,
      };
      const src = originals.get(m[1]);
      if (src) e.sourceId = src.id;
      else if (options.originals ?? true) {
        warnings.push({ path: it.path, id: e.id, reason: `source video ${m[1]} not found in original_sequences/youtube/${comp}/videos` });
      }
      const sp = splits?.fakes.get(it.name);
      if (sp) e.split = sp;
      const lm = sidecarPath(dir, it.name);
      if (lm) e.landmarksPath = lm;
      entries.push(e);
    }
  }

  if (splits) checkSplitCoverage(splits, entries, originals, methods, abs, comp, skipped, warnings);
  if (entries.length === 0) {
    throw new DatasetRootError(
      `no FF++ video found under ${abs} for compression ${comp} (looked in original_sequences/youtube/${comp}/videos and manipulated_sequences/*/${comp}/videos)`,
      abs,
    );
  }
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { name, root: abs, entries, skipped, warnings };
}

/** Reports videos the split files list but the tree lacks, and videos in no split. */
function checkSplitCoverage(
  splits: SplitAssignment,
  entries: VideoEntry[],
  originals: Map<string, VideoEntry>,
  methods: readonly string[],
  root: string,
  comp: string,
  skipped: Skip[],
  warnings: Skip[],
): void {
  const present = new Set(entries.map((e) => e.id.slice(e.id.indexOf('/') + 1)));
  const fileOf = (sp: Split): string => splits.files[sp] ?? `${sp}.json`;
  if (originals.size > 0 || entries.some((e) => e.method === 'original')) {
    for (const [n, sp] of splits.originals) {
      if (!originals.has(n)) {
        skipped.push({ path: join(root, 'original_sequences/youtube', comp, 'videos', `${n}.mp4`), reason: `listed in ${fileOf(sp)} but missing` });
      }
    }
  }
  for (const method of methods) {
    if (!isDir(join(root, 'manipulated_sequences', method, comp, 'videos'))) continue;
    for (const [n, sp] of splits.fakes) {
      if (!present.has(`${method}/${n}`)) {
        skipped.push({ path: join(root, 'manipulated_sequences', method, comp, 'videos', `${n}.mp4`), reason: `listed in ${fileOf(sp)} but missing` });
      }
    }
  }
  for (const e of entries) {
    if (e.split === undefined) warnings.push({ path: e.path, id: e.id, reason: 'in no split file' });
  }
}
