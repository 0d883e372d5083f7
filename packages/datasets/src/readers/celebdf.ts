/**
 * Celeb-DF (v2) reader.
 *
 * Layout: `Celeb-real/id0_0000.mp4`, `Celeb-synthesis/id0_id1_0000.mp4` (video 0000 of
 * id0 with the face of id1), `YouTube-real/00000.mp4`, and `List_of_testing_videos.txt`
 * with lines `<label> <relpath>` where **1 = real** and 0 = fake (the opposite of this
 * package's labels). Listed videos form the `test` split, the others `train`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetRootError, SplitFileError } from '../errors.js';
import type { Dataset, Label, Skip, VideoEntry } from '../types.js';
import { checkRoot, isDir, isFile, listDir, listMedia } from './fs-util.js';

/** Celeb-DF folders and their labels. */
export const CELEBDF_FOLDERS: Readonly<Record<string, Label>> = { 'Celeb-real': 0, 'YouTube-real': 0, 'Celeb-synthesis': 1 };

/** The test list's file name. */
export const CELEBDF_TEST_LIST = 'List_of_testing_videos.txt';

/** Options of {@link readCelebDF}. */
export interface CelebDfOptions {
  /** Dataset short name used in ids (default `celebdf`). */
  name?: string;
  /** Path of the test list (default `<root>/List_of_testing_videos.txt`). */
  testList?: string;
}

const FAKE_NAME = /^(id\d+)_(id\d+)_(\d+)$/;

/**
 * Parses Celeb-DF's test list.
 * @returns map from relative path (`Celeb-real/id0_0000.mp4`) to this package's label (0 real, 1 fake)
 * @throws SplitFileError on an unreadable file or a malformed line (naming the line)
 */
export function readCelebDfTestList(path: string): Map<string, Label> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SplitFileError(`cannot read Celeb-DF test list ${path}: ${(e as Error).message}`, path);
  }
  const out = new Map<string, Label>();
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '') return;
    const m = /^([01])\s+(\S+)$/.exec(t);
    if (!m) throw new SplitFileError(`${path}:${i + 1}: expected "<1|0> <relpath>", got ${JSON.stringify(t)}`, path);
    out.set(m[2], m[1] === '1' ? 0 : 1);
  });
  return out;
}

/**
 * Reads a Celeb-DF v2 tree.
 * @throws DatasetRootError when the root is missing or holds none of the Celeb-DF folders
 * @throws SplitFileError when the test list is malformed
 */
export function readCelebDF(root: string, options: CelebDfOptions = {}): Dataset {
  const abs = checkRoot(root, 'Celeb-DF');
  const name = options.name ?? 'celebdf';
  const folders = Object.keys(CELEBDF_FOLDERS).filter((f) => isDir(join(abs, f)));
  if (folders.length === 0) {
    throw new DatasetRootError(
      `${abs} is not a Celeb-DF root: expected ${Object.keys(CELEBDF_FOLDERS).join(', ')} in it (found: ${listDir(abs).slice(0, 8).join(', ') || 'nothing'})`,
      abs,
    );
  }
  const listPath = options.testList ?? join(abs, CELEBDF_TEST_LIST);
  const skipped: Skip[] = [];
  const warnings: Skip[] = [];
  let testList: Map<string, Label> | undefined;
  if (isFile(listPath)) testList = readCelebDfTestList(listPath);
  else warnings.push({ path: listPath, reason: 'test list missing: every video is put in no split' });

  const entries: VideoEntry[] = [];
  const seen = new Set<string>();
  for (const folder of folders) {
    const { items, ignored } = listMedia(join(abs, folder));
    for (const p of ignored) skipped.push({ path: p, reason: 'not a video file or frames folder' });
    for (const it of items) {
      const label = CELEBDF_FOLDERS[folder];
      const e: VideoEntry = { id: `${name}/${folder}/${it.name}`, dataset: name, method: folder, label, path: it.path, format: it.format };
      if (label === 1) {
        const m = FAKE_NAME.exec(it.name);
        if (m) e.sourceId = `${name}/Celeb-real/${m[1]}_${m[3]}`;
        else warnings.push({ path: it.path, id: e.id, reason: `name ${it.name} is not <target>_<source>_<n>; no source` });
      }
      if (testList) {
        const rel = `${folder}/${it.name}${it.format === 'video' ? it.path.slice(it.path.lastIndexOf('.')) : ''}`;
        const listed = testList.get(rel);
        if (listed !== undefined) {
          if (listed !== label) {
            warnings.push({ path: it.path, id: e.id, reason: `${CELEBDF_TEST_LIST} labels it ${listed === 0 ? 'real' : 'fake'} but its folder says ${label === 0 ? 'real' : 'fake'}; the folder wins` });
          }
          e.split = 'test';
          seen.add(rel);
        } else e.split = 'train';
      }
      entries.push(e);
    }
  }
  if (testList) {
    for (const rel of testList.keys()) if (!seen.has(rel)) skipped.push({ path: join(abs, rel), reason: `listed in ${CELEBDF_TEST_LIST} but missing` });
  }
  const ids = new Set(entries.map((e) => e.id));
  for (const e of entries) {
    if (e.sourceId && !ids.has(e.sourceId)) {
      warnings.push({ path: e.path, id: e.id, reason: `source video ${e.sourceId} not found` });
      delete e.sourceId;
    }
  }
  if (entries.length === 0) throw new DatasetRootError(`no video found in the Celeb-DF folders of ${abs}`, abs);
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { name, root: abs, entries, skipped, warnings };
}
