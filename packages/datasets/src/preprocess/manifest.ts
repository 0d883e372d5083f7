/**
 * The preprocessing manifest: one JSON line per video, appended only after every frame
 * image of that video is on disk under its final name. A run killed mid-way leaves at
 * most one partial last line, which {@link loadManifest} drops (and cuts from the file, so
 * later appends start on a fresh line); that video is then redone.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { ManifestError } from '../errors.js';
import type { Label, Split } from '../types.js';

/** Manifest format version. */
export const MANIFEST_VERSION = 1;

/** Where the source (pixel-aligned real) frame of a fake frame is. */
export interface SourceFrameRef {
  /** Source video id. */
  id: string;
  /** Frame index in the source video (the same index as the fake frame). */
  index: number;
  /** PNG path relative to the output folder. */
  file: string;
}

/** One cached frame. */
export interface ManifestFrame {
  /** Frame index in the video. */
  index: number;
  /** PNG path relative to the output folder. */
  file: string;
  /** Flat landmarks (68 or 81 points) in the saved image's pixels, or null when no face was found. */
  landmarks: number[] | null;
  /** Detector score of the kept face. */
  score?: number;
  /** For a fake: its source frame, or null when missing (see `sourceMissing`). */
  source?: SourceFrameRef | null;
  /** Why the source frame is missing. */
  sourceMissing?: string;
}

/** One manifest line: a processed (or failed) video. */
export interface ManifestVideo {
  /** Format version. */
  v: number;
  /** Video id. */
  id: string;
  /** Dataset name. */
  dataset: string;
  /** Method. */
  method: string;
  /** 0 real, 1 fake. */
  label: Label;
  /** Split. */
  split?: Split;
  /** Source video id of a fake. */
  sourceId?: string;
  /** Identity label. */
  identity?: string;
  /** Input path. */
  input: string;
  /** `ok`, or `failed` with a reason (the video could not be decoded at all). */
  status: 'ok' | 'failed';
  /** Failure reason. */
  reason?: string;
  /** Frame count of the video. */
  frameCount: number;
  /** Saved frame size. */
  width: number;
  /** Saved frame size. */
  height: number;
  /** Scale applied to the decoded frames before saving (1 = full size). */
  scale: number;
  /** Landmark detector name. */
  detector: string;
  /** Points per landmark set (68, or 81 with the forehead). */
  points: number;
  /** Cached frames, by index. */
  frames: ManifestFrame[];
  /** Requested frames that could not be decoded. */
  missingFrames?: number[];
}

function validate(v: unknown, file: string, line: number): ManifestVideo {
  const r = v as Partial<ManifestVideo> | null;
  if (!r || typeof r !== 'object' || typeof r.id !== 'string' || (r.status !== 'ok' && r.status !== 'failed') || !Array.isArray(r.frames)) {
    throw new ManifestError(`${file}:${line}: not a manifest record (needs id, status, frames)`, file);
  }
  if (r.v !== MANIFEST_VERSION) throw new ManifestError(`${file}:${line}: manifest version ${String(r.v)}, expected ${MANIFEST_VERSION}; use a new output folder`, file);
  // A cache holds PNG frames at relative paths (a view points back into its source cache with ../);
  // anything else is not a frame this code wrote, and is never opened.
  for (const f of r.frames as Array<{ file?: unknown; source?: { file?: unknown } | null }>) {
    for (const p of [f?.file, f?.source?.file]) {
      if (p === undefined) continue;
      if (typeof p !== 'string' || !p.endsWith('.png') || isAbsolute(p) || p.includes('\0')) {
        throw new ManifestError(`${file}:${line}: frame file ${JSON.stringify(p)} of ${r.id} is not a relative .png path, so not a cached frame; the manifest is damaged or crafted: preprocess into a new folder`, file);
      }
    }
  }
  return r as ManifestVideo;
}

/** Result of {@link loadManifest}. */
export interface LoadedManifest {
  /** Latest record of each video id (a retried video's later line wins). */
  videos: Map<string, ManifestVideo>;
  /** True when a partial last line (an interrupted write) was dropped. */
  repaired: boolean;
}

/**
 * Reads a manifest, dropping and cutting a partial last line.
 * @throws ManifestError on a malformed line before the last one
 */
export function loadManifest(file: string): LoadedManifest {
  const videos = new Map<string, ManifestVideo>();
  if (!existsSync(file)) return { videos, repaired: false };
  const text = readFileSync(file, 'utf8');
  let end = text.length;
  let repaired = false;
  if (end > 0 && !text.endsWith('\n')) {
    // The last write was cut short: cut it off.
    end = text.lastIndexOf('\n') + 1;
    truncateSync(file, Buffer.byteLength(text.slice(0, end)));
    repaired = true;
  }
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  lines.forEach((l, i) => {
    if (l.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch (e) {
      throw new ManifestError(`${file}:${i + 1}: not valid JSON (${(e as Error).message})`, file);
    }
    const r = validate(v, file, i + 1);
    videos.set(r.id, r);
  });
  return { videos, repaired };
}

/** Appends one record as a single write, flushed to disk. */
export function appendManifest(file: string, record: ManifestVideo): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, JSON.stringify(record) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
