/**
 * Opens any supported dataset root, recognising its layout.
 */
import { realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import { DatasetOptionError, DatasetRootError } from '../errors.js';
import type { Dataset } from '../types.js';
import { readCelebDF, type CelebDfOptions } from './celebdf.js';
import { readDFDC, type DfdcOptions } from './dfdc.js';
import { readFFpp, type FfppOptions } from './ffpp.js';
import { checkRoot, isDir, isFile, listDir } from './fs-util.js';
import { readIdentityFolders, type IdentityOptions } from './identity.js';

/** Layouts {@link openDataset} recognises. */
export type DatasetKind = 'ffpp' | 'celebdf' | 'dfdc' | 'identity';

/** Options of {@link openDataset}: the chosen reader's options plus an optional forced kind. */
export interface OpenOptions extends FfppOptions, CelebDfOptions, DfdcOptions, IdentityOptions {
  /** Force a layout instead of detecting it. */
  kind?: DatasetKind;
  /**
   * Read videos that lie outside the root through a symbolic link or a `..` in a
   * metadata file (default false: they are skipped, each with the reason).
   */
  followSymlinks?: boolean;
}

/**
 * Keeps a dataset's reads inside its root: an entry whose file resolves (through
 * symbolic links or `..`) to a place outside the root moves to `skipped`, naming
 * where it leads, unless `allowOutside`.
 */
export function confineToRoot(ds: Dataset, allowOutside = false): Dataset {
  if (allowOutside) return ds;
  const root = realpathSync(ds.root);
  const inside = (p: string): string | undefined => {
    let real: string;
    try {
      real = realpathSync(p);
    } catch {
      return undefined; // missing files are the readers' business
    }
    return real === root || real.startsWith(root + sep) ? undefined : real;
  };
  const skipped = [...ds.skipped];
  const entries = ds.entries.filter((e) => {
    const out = inside(e.path) ?? (e.landmarksPath ? inside(e.landmarksPath) : undefined);
    if (out === undefined) return true;
    skipped.push({ path: e.path, id: e.id, reason: `leads outside the dataset root, to ${out}; copy the file into the root, or pass --follow-symlinks to read it there` });
    return false;
  });
  return entries.length === ds.entries.length ? ds : { ...ds, entries, skipped };
}

/**
 * Detects a root's layout: `original_sequences/` or `manipulated_sequences/` -> FF++;
 * `Celeb-real/`, `Celeb-synthesis/` or `YouTube-real/` -> Celeb-DF; `metadata.json` in it
 * or a sub-folder -> DFDC; otherwise sub-folders of images -> identity folders.
 * @throws DatasetRootError when nothing matches
 */
export function detectDatasetKind(root: string): DatasetKind {
  const abs = checkRoot(root, 'dataset');
  if (isDir(join(abs, 'original_sequences')) || isDir(join(abs, 'manipulated_sequences'))) return 'ffpp';
  if (['Celeb-real', 'Celeb-synthesis', 'YouTube-real'].some((f) => isDir(join(abs, f)))) return 'celebdf';
  const subdirs = listDir(abs).filter((n) => !n.startsWith('.') && isDir(join(abs, n)));
  if (isFile(join(abs, 'metadata.json')) || subdirs.some((d) => isFile(join(abs, d, 'metadata.json')))) return 'dfdc';
  if (subdirs.length > 0) return 'identity';
  throw new DatasetRootError(
    `cannot recognise the dataset layout of ${abs}: expected FF++ (original_sequences/), Celeb-DF (Celeb-real/), DFDC (metadata.json) or <identity>/<image> folders`,
    abs,
  );
}

/**
 * Reads a dataset root with the reader for its layout, keeping its reads inside
 * the root ({@link confineToRoot}) unless `followSymlinks`.
 * @param root - dataset root
 * @param options - reader options; `kind` forces a layout
 */
export function openDataset(root: string, options: OpenOptions = {}): Dataset {
  return confineToRoot(readLayout(root, options), options.followSymlinks ?? false);
}

function readLayout(root: string, options: OpenOptions): Dataset {
  const kind = options.kind ?? detectDatasetKind(root);
  switch (kind) {
    case 'ffpp':
      return readFFpp(root, options);
    case 'celebdf':
      return readCelebDF(root, options);
    case 'dfdc':
      return readDFDC(root, options);
    case 'identity':
      return readIdentityFolders(root, options);
    default:
      throw new DatasetOptionError(`unknown dataset kind ${JSON.stringify(kind)} (ffpp, celebdf, dfdc, identity)`);
  }
}
