/**
 * Small synchronous filesystem helpers shared by the readers.
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { DatasetRootError } from '../errors.js';

/** Video file extensions the readers accept. */
export const VIDEO_EXTENSIONS: readonly string[] = ['.mp4', '.avi', '.mov', '.mkv', '.webm'];

/** Image file extensions the readers accept (frames folders, identity folders). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.bmp', '.ppm'];

/** `stat` that returns undefined instead of throwing. */
export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** True when `path` is an existing directory. */
export function isDir(path: string): boolean {
  return statOrUndefined(path)?.isDirectory() ?? false;
}

/** True when `path` is an existing regular file. */
export function isFile(path: string): boolean {
  return statOrUndefined(path)?.isFile() ?? false;
}

/** Sorted entry names of a directory (empty when it cannot be read). */
export function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch {
    return [];
  }
}

/**
 * Resolves a dataset root and checks it is a directory.
 * @throws DatasetRootError naming the path when it is missing or not a folder
 */
export function checkRoot(root: string, what: string): string {
  if (typeof root !== 'string' || root.length === 0) {
    throw new DatasetRootError(`${what} root must be a non-empty path, got ${JSON.stringify(root)}`);
  }
  const abs = resolve(root);
  const st = statOrUndefined(abs);
  if (!st) throw new DatasetRootError(`${what} root ${abs} does not exist`, abs);
  if (!st.isDirectory()) throw new DatasetRootError(`${what} root ${abs} is not a folder`, abs);
  return abs;
}

/** True when the file name has a video extension. */
export function isVideoName(name: string): boolean {
  return VIDEO_EXTENSIONS.includes(extname(name).toLowerCase());
}

/** True when the file name has an image extension. */
export function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(name).toLowerCase());
}

/** Sorted image files of a frames folder (absolute paths). */
export function listFrameFiles(dir: string): string[] {
  return listDir(dir)
    .filter((n) => isImageName(n) && !n.startsWith('.'))
    .map((n) => join(dir, n));
}

/** A media item found in a `videos/` folder: a video file or a frames folder. */
export interface MediaItem {
  /** Name without extension. */
  name: string;
  /** Absolute path. */
  path: string;
  /** `video` for a file, `frames` for a folder of images. */
  format: 'video' | 'frames';
}

/**
 * Lists the videos of a folder: video files (`name.mp4`) and frames folders
 * (`name/` holding images). Other files are returned in `ignored`.
 */
export function listMedia(dir: string): { items: MediaItem[]; ignored: string[] } {
  const items: MediaItem[] = [];
  const ignored: string[] = [];
  for (const n of listDir(dir)) {
    if (n.startsWith('.')) continue;
    const p = join(dir, n);
    const st = statOrUndefined(p);
    if (!st) continue;
    if (st.isFile() && isVideoName(n)) {
      items.push({ name: n.slice(0, n.length - extname(n).length), path: p, format: 'video' });
    } else if (st.isDirectory() && listFrameFiles(p).length > 0) {
      items.push({ name: n, path: p, format: 'frames' });
    } else {
      ignored.push(p);
    }
  }
  return { items, ignored };
}

/**
 * The exact-landmark sidecar of a video, `<videos>/../landmarks/<name>.json`, when it exists
 * (the embedded benchmark writes one per video).
 */
export function sidecarPath(videosDir: string, name: string): string | undefined {
  const p = join(videosDir, '..', 'landmarks', `${name}.json`);
  return isFile(p) ? resolve(p) : undefined;
}
