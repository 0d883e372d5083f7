/**
 * Identity folders: `<root>/<identity>/<image>` (LFW's layout), for the identity
 * probe and the real-photo variant of the embedded benchmark. Every image is a
 * genuine entry (`format: 'image'`) carrying its identity label.
 */
import { basename, extname, join } from 'node:path';
import { DatasetOptionError, DatasetRootError } from '../errors.js';
import type { Dataset, Skip, VideoEntry } from '../types.js';
import { checkRoot, isDir, isImageName, listDir } from './fs-util.js';

/** Options of {@link readIdentityFolders}. */
export interface IdentityOptions {
  /** Dataset short name used in ids (default: the root folder's name, e.g. `lfw`). */
  name?: string;
  /** Keep identities with at least this many images (default 1); fewer are reported in `skipped`. */
  minImages?: number;
  /** Keep at most this many images per identity (the first by name); default all. */
  maxImages?: number;
  /** Keep at most this many identities (the first by name); default all. */
  maxIdentities?: number;
}

/**
 * Reads `<root>/<identity>/<image>` folders.
 * @throws DatasetRootError when the root is missing or holds no identity folder with images
 */
export function readIdentityFolders(root: string, options: IdentityOptions = {}): Dataset {
  const abs = checkRoot(root, 'identity folder');
  const name = options.name ?? basename(abs);
  const minImages = options.minImages ?? 1;
  const maxImages = options.maxImages ?? Infinity;
  const maxIds = options.maxIdentities ?? Infinity;
  if (!(minImages >= 1) || !(maxImages >= 1) || !(maxIds >= 1)) {
    throw new DatasetOptionError(`minImages, maxImages and maxIdentities must be >= 1, got ${minImages}, ${maxImages}, ${maxIds}`);
  }
  const skipped: Skip[] = [];
  const entries: VideoEntry[] = [];
  let ids = 0;
  for (const ident of listDir(abs)) {
    const dir = join(abs, ident);
    if (ident.startsWith('.')) continue;
    if (!isDir(dir)) {
      skipped.push({ path: dir, reason: 'not an identity folder (expected <identity>/<image>)' });
      continue;
    }
    const files = listDir(dir);
    const images = files.filter((n) => isImageName(n) && !n.startsWith('.'));
    for (const n of files) if (!images.includes(n) && !n.startsWith('.')) skipped.push({ path: join(dir, n), reason: 'not an image file' });
    if (images.length < minImages) {
      skipped.push({ path: dir, reason: `identity has ${images.length} image(s), fewer than minImages ${minImages}` });
      continue;
    }
    if (ids >= maxIds) break;
    ids++;
    for (const n of images.slice(0, Math.min(images.length, maxImages))) {
      entries.push({
        id: `${name}/${ident}/${basename(n, extname(n))}`,
        dataset: name,
        method: 'original',
        label: 0,
        path: join(dir, n),
        format: 'image',
        identity: ident,
      });
    }
  }
  if (entries.length === 0) throw new DatasetRootError(`no <identity>/<image> folder with images found in ${abs}`, abs);
  return { name, root: abs, entries, skipped, warnings: [] };
}
