/**
 * The data model shared by every reader: a dataset is a list of {@link VideoEntry}
 * (a video file, a folder of frames, or a single photo) plus the list of inputs the
 * reader had to skip, each with its reason.
 */

/** Class label: 0 = genuine (real), 1 = manipulated (fake). */
export type Label = 0 | 1;

/** Dataset partitions. `cross` is the embedded benchmark's held-out cross-dataset split. */
export type Split = 'train' | 'val' | 'test' | 'cross';

/** The split names, in order. */
export const SPLITS: readonly Split[] = ['train', 'val', 'test', 'cross'];

/** How an entry's frames are stored. */
export type MediaFormat = 'video' | 'frames' | 'image';

/** One video (or frames folder, or photo) of a dataset. */
export interface VideoEntry {
  /**
   * Stable id, `<dataset>/<method>/<name>`, e.g. `ffpp/Deepfakes/000_003`,
   * `ffpp/original/000`, `celebdf/Celeb-synthesis/id0_id1_0000`, `dfdc/fake/aaqaifqrwn`.
   */
  id: string;
  /** Dataset short name: `ffpp`, `celebdf`, `dfdc`, or the identity folder's name. */
  dataset: string;
  /** Manipulation method (`original` for FF++ reals; the folder name elsewhere). */
  method: string;
  /** 0 real, 1 fake. */
  label: Label;
  /** Absolute path of the video file, frames folder or image. */
  path: string;
  /** How the frames are stored. */
  format: MediaFormat;
  /** For a fake: the id of the real video it was made from (its pixel-aligned source). */
  sourceId?: string;
  /** Partition, when the dataset defines one. */
  split?: Split;
  /** FF++ compression level (`raw`, `c23`, `c40`). */
  compression?: string;
  /** Identity label (identity folders; the embedded benchmark's real videos). */
  identity?: string;
  /** Optional sidecar JSON with exact per-frame landmarks (the embedded benchmark writes them). */
  landmarksPath?: string;
}

/** An input a reader or the preprocessing left out, and why. */
export interface Skip {
  /** The file or folder concerned. */
  path: string;
  /** Why it was skipped. */
  reason: string;
  /** The entry id, when one had been assigned. */
  id?: string;
}

/** A dataset as read from disk. */
export interface Dataset {
  /** Dataset short name (`ffpp`, `celebdf`, `dfdc`, identity folder name). */
  name: string;
  /** Absolute root folder. */
  root: string;
  /** Entries, sorted by id. */
  entries: VideoEntry[];
  /** Inputs that were skipped, each with a reason (never silently dropped). */
  skipped: Skip[];
  /** Problems that did not drop an entry (a fake whose source video is missing, a video in no split). */
  warnings: Skip[];
}

/**
 * Entries of one split (all entries when `split` is undefined).
 * @param ds - a dataset
 * @param split - partition to keep
 */
export function entriesOf(ds: Dataset, split?: Split): VideoEntry[] {
  return split === undefined ? ds.entries.slice() : ds.entries.filter((e) => e.split === split);
}

/** Index of entries by id. */
export function indexById(entries: readonly VideoEntry[]): Map<string, VideoEntry> {
  const m = new Map<string, VideoEntry>();
  for (const e of entries) m.set(e.id, e);
  return m;
}

/** Counts of entries per label and method, for summaries. */
export function countEntries(entries: readonly VideoEntry[]): { real: number; fake: number; byMethod: Record<string, number> } {
  const byMethod: Record<string, number> = {};
  let real = 0;
  let fake = 0;
  for (const e of entries) {
    byMethod[e.method] = (byMethod[e.method] ?? 0) + 1;
    if (e.label === 1) fake++;
    else real++;
  }
  return { real, fake, byMethod };
}
