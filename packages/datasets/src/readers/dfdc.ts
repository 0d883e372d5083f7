/**
 * DFDC reader.
 *
 * Layout: one or more `dfdc_train_part_N/` folders (or the root itself), each with
 * `metadata.json` mapping `file.mp4 -> { label: 'FAKE' | 'REAL', original?: 'src.mp4', split? }`
 * and the videos beside it. The public test set's `labels.csv` (`filename,label` with
 * 1 = fake) is read too when a folder has one instead of `metadata.json`.
 * Names are unique across parts, so ids are `dfdc/fake/<name>` and `dfdc/real/<name>`.
 */
import { readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { DatasetRootError, SplitFileError } from '../errors.js';
import type { Dataset, Label, Skip, Split, VideoEntry } from '../types.js';
import { checkRoot, isDir, isFile, listDir } from './fs-util.js';

/** One parsed label record. */
export interface DfdcRecord {
  /** Video file name (`aaqaifqrwn.mp4`). */
  file: string;
  /** 0 real, 1 fake. */
  label: Label;
  /** File name of the real video a fake was made from. */
  original?: string;
  /** Split named by the metadata (`train`), or `test` for `labels.csv`. */
  split?: Split;
}

/**
 * Parses a DFDC `metadata.json`.
 * @throws SplitFileError when unreadable, not a JSON object, or a record lacks a FAKE/REAL label
 */
export function readDfdcMetadata(path: string): DfdcRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new SplitFileError(`cannot read DFDC metadata ${path}: ${(e as Error).message}`, path);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SplitFileError(`DFDC metadata ${path} must be a JSON object mapping file -> {label, original}`, path);
  }
  const out: DfdcRecord[] = [];
  for (const [file, rec] of Object.entries(data as Record<string, unknown>)) {
    const r = rec as { label?: unknown; original?: unknown; split?: unknown } | null;
    if (r === null || typeof r !== 'object' || (r.label !== 'FAKE' && r.label !== 'REAL')) {
      throw new SplitFileError(`DFDC metadata ${path}: ${file} needs label "FAKE" or "REAL", got ${JSON.stringify(r?.label)}`, path);
    }
    const d: DfdcRecord = { file, label: r.label === 'FAKE' ? 1 : 0 };
    if (typeof r.original === 'string' && r.original.length > 0) d.original = r.original;
    if (r.split === 'train' || r.split === 'val' || r.split === 'test') d.split = r.split;
    out.push(d);
  }
  return out;
}

/**
 * Parses the DFDC test set's `labels.csv` (`filename,label`, 1 = fake).
 * @throws SplitFileError on an unreadable file or a malformed row
 */
export function readDfdcLabelsCsv(path: string): DfdcRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SplitFileError(`cannot read DFDC labels ${path}: ${(e as Error).message}`, path);
  }
  const out: DfdcRecord[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || (i === 0 && /filename/i.test(t))) return;
    const m = /^([^,]+),\s*([01](?:\.0+)?)$/.exec(t);
    if (!m) throw new SplitFileError(`${path}:${i + 1}: expected "filename,0|1", got ${JSON.stringify(t)}`, path);
    out.push({ file: m[1], label: Number(m[2]) >= 1 ? 1 : 0, split: 'test' });
  });
  return out;
}

/** Options of {@link readDFDC}. */
export interface DfdcOptions {
  /** Dataset short name used in ids (default `dfdc`). */
  name?: string;
}

/**
 * Reads a DFDC tree (the root, or parts `dfdc_train_part_N/` below it).
 * @throws DatasetRootError when no folder has `metadata.json` or `labels.csv`
 * @throws SplitFileError when a metadata file is malformed
 */
export function readDFDC(root: string, options: DfdcOptions = {}): Dataset {
  const abs = checkRoot(root, 'DFDC');
  const name = options.name ?? 'dfdc';
  const parts = [abs, ...listDir(abs).map((n) => join(abs, n)).filter(isDir)].filter(
    (d) => isFile(join(d, 'metadata.json')) || isFile(join(d, 'labels.csv')),
  );
  if (parts.length === 0) {
    throw new DatasetRootError(`${abs} is not a DFDC root: no metadata.json or labels.csv in it or in its sub-folders`, abs);
  }
  const skipped: Skip[] = [];
  const warnings: Skip[] = [];
  const entries: VideoEntry[] = [];
  const byName = new Map<string, VideoEntry>();
  const originals = new Map<VideoEntry, string>();
  for (const dir of parts) {
    const meta = join(dir, 'metadata.json');
    const records = isFile(meta) ? readDfdcMetadata(meta) : readDfdcLabelsCsv(join(dir, 'labels.csv'));
    const listed = new Set<string>();
    for (const r of records) {
      listed.add(r.file);
      const path = join(dir, r.file);
      if (!isFile(path)) {
        skipped.push({ path, reason: `listed in ${basename(isFile(meta) ? meta : join(dir, 'labels.csv'))} but missing` });
        continue;
      }
      const stem = basename(r.file, extname(r.file));
      const method = r.label === 1 ? 'fake' : 'real';
      const e: VideoEntry = { id: `${name}/${method}/${stem}`, dataset: name, method, label: r.label, path, format: 'video' };
      if (r.split) e.split = r.split;
      if (byName.has(r.file)) {
        skipped.push({ path, id: e.id, reason: `duplicate video name; already read from ${byName.get(r.file)!.path}` });
        continue;
      }
      byName.set(r.file, e);
      if (r.original) originals.set(e, r.original);
      entries.push(e);
    }
    for (const n of listDir(dir)) {
      if (/\.(mp4|avi|mov|mkv|webm)$/i.test(n) && !listed.has(n)) skipped.push({ path: join(dir, n), reason: 'video not in the folder\'s metadata (no label)' });
    }
  }
  for (const [e, orig] of originals) {
    const src = byName.get(orig);
    if (src && src.label === 0) e.sourceId = src.id;
    else warnings.push({ path: e.path, id: e.id, reason: `source video ${orig} ${src ? 'is not labelled REAL' : 'not found in any part'}` });
  }
  if (entries.length === 0) throw new DatasetRootError(`no labelled DFDC video found under ${abs}`, abs);
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { name, root: abs, entries, skipped, warnings };
}
