/**
 * Preprocessing: decode N frames per video at equal intervals, find the face and its
 * landmarks in EVERY frame (the reference's bug 5 gave every frame the last frame's
 * landmarks), locate each fake frame's source frame (the same index in the source video,
 * the indices computed from the SOURCE video's length, and checked to exist on disk), and
 * cache frames as PNG plus a JSONL manifest that a later run resumes.
 *
 * Nothing is dropped silently (the reference's bug 6): frames without a face stay in the
 * manifest with `landmarks: null`, fakes whose source frame is missing carry
 * `source: null` and the reason, undecodable videos get a `failed` record, and the
 * summary lists each with its file.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resize, type ImageU8 } from '@caddm/image';
import { withForehead } from '@caddm/face';
import { Progress } from '@caddm/runlog';
import { findFfmpegTools, type FfmpegTools } from '@caddm/ffmpeg';
import { DatasetOptionError } from '../errors.js';
import { writeFileAtomic, writePngFile } from '../io/read-image.js';
import type { Dataset, Skip, Split, VideoEntry } from '../types.js';
import { decodeAllFramesBatch, decodeMediaFrames, probeMedia, sampleFrameIndices, type DecodedFrames } from '../video/decode.js';
import { readMp4Info } from '../video/mp4.js';
import { faceApiDetector, landmarkArea, type LandmarkDetector } from './detector.js';
import { MANIFEST_VERSION, appendManifest, loadManifest, type ManifestFrame, type ManifestVideo } from './manifest.js';
import { inShard, shardDir, type Shard } from '../shard/shard.js';

/** Options of {@link preprocess}. */
export interface PreprocessOptions {
  /** Output folder (frames under `frames/`, `manifest.jsonl`, `summary.json`). */
  out: string;
  /** Frames per video at equal intervals (default 32, as the paper). */
  frames?: number;
  /** Landmark detector (default: face-api through `@caddm/face`). */
  detector?: LandmarkDetector;
  /** Store 81 points: the 68 plus `@caddm/face`'s estimated 13-point forehead arc (default false). */
  forehead?: boolean;
  /** Only entries of this split (fakes' sources are added whatever their split). */
  split?: Split;
  /** Only these entries (by id); their sources are added. */
  ids?: readonly string[];
  /** Downscale frames so the longer side is at most this many pixels (landmarks scaled alike). */
  maxSide?: number;
  /** Redo videos whose earlier record is `failed` (default false). */
  retryFailed?: boolean;
  /** Progress bar on stderr (default true), or a stream to draw on. */
  progress?: boolean | NodeJS.WritableStream;
  /** Stop after the current video when aborted (the manifest stays consistent). */
  signal?: AbortSignal;
  /** ffmpeg tools (default: found on the system). */
  tools?: FfmpegTools;
  /**
   * Process only this shard of the videos, into `<out>/shards/<i>-of-<n>` (merge the
   * shards with {@link mergePreprocessShards}). A fake goes with the genuine video it
   * was made from (the partition hashes the source's id), as its source frames are needed.
   */
  shard?: Shard;
}

/** The settings a run's frames and manifest depend on (shards merge only when theirs agree). */
export interface PreprocessSettings {
  dataset: string;
  root: string;
  frames: number;
  forehead: boolean;
  maxSide: number | null;
  split: Split | null;
  ids: number | null;
  detector: string;
}

/** A frame problem reported in the summary. */
export interface FrameIssue {
  /** Video id. */
  id: string;
  /** Input file. */
  path: string;
  /** Frame indices concerned. */
  frames: number[];
  /** Details. */
  reason: string;
}

/** What a run did. */
export interface PreprocessSummary {
  /** Output folder. */
  out: string;
  /** Manifest path. */
  manifest: string;
  /** Videos processed in this run. */
  processed: number;
  /** Videos already done by an earlier run (skipped). */
  resumed: number;
  /** Whether a partial manifest line from an interrupted run was repaired. */
  repaired: boolean;
  /** Whether the run stopped early (signal). */
  aborted: boolean;
  /** Frames saved in this run. */
  framesSaved: number;
  /** Videos that could not be decoded at all. */
  failed: Skip[];
  /** Frames without a detected face. */
  noFace: FrameIssue[];
  /** Fake frames whose source frame is missing. */
  missingSources: FrameIssue[];
  /** Requested frames that could not be decoded. */
  missingFrames: FrameIssue[];
  /** Inputs the dataset reader left out (a badly named fake, a listed video that is missing, ...), as it gave them. */
  readerSkipped: Skip[];
  /** The dataset reader's warnings (a fake whose source video is missing, a video in no split, ...). */
  readerWarnings: Skip[];
  /** Videos this run was asked for (its shard's part when sharded). */
  entries: number;
  /** What the run's output depends on. */
  settings: PreprocessSettings;
  /** The shard this run processed, when sharded. */
  shard?: Shard;
}

/** Videos per batched decode. */
const BATCH = 48;

/** Short, small MP4s are decoded in batches (process start-up would dominate). */
function batchable(e: VideoEntry): boolean {
  if (e.format !== 'video' || !/\.(mp4|mov|m4v)$/i.test(e.path)) return false;
  const info = readMp4Info(e.path);
  return !!info && info.frameCount <= 64 && info.width * info.height <= 320 * 320;
}

function pad(i: number): string {
  return String(i).padStart(6, '0');
}

/**
 * Orders entries so that every real video comes before the fakes that use it, and adds
 * the sources of the selected fakes.
 */
function selectEntries(ds: Dataset, opts: PreprocessOptions): VideoEntry[] {
  const byId = new Map(ds.entries.map((e) => [e.id, e]));
  let chosen = ds.entries.filter((e) => opts.split === undefined || e.split === opts.split);
  if (opts.ids) {
    const want = new Set(opts.ids);
    for (const id of want) if (!byId.has(id)) throw new DatasetOptionError(`preprocess: id ${id} is not in dataset ${ds.name}`);
    chosen = chosen.filter((e) => want.has(e.id));
  }
  const set = new Set(chosen.map((e) => e.id));
  for (const e of [...chosen]) {
    if (e.sourceId && !set.has(e.sourceId) && byId.has(e.sourceId)) {
      set.add(e.sourceId);
      chosen.push(byId.get(e.sourceId)!);
    }
  }
  const reals = chosen.filter((e) => e.sourceId === undefined).sort((a, b) => (a.id < b.id ? -1 : 1));
  const fakes = chosen.filter((e) => e.sourceId !== undefined).sort((a, b) => (a.id < b.id ? -1 : 1));
  return [...reals, ...fakes];
}

/**
 * Preprocesses a dataset into `options.out`, resuming an earlier run there.
 * @returns the run's summary (also written to `<out>/summary.json`)
 */
export async function preprocess(ds: Dataset, options: PreprocessOptions): Promise<PreprocessSummary> {
  const nFrames = options.frames ?? 32;
  if (!Number.isInteger(nFrames) || nFrames <= 0) throw new DatasetOptionError(`frames must be a positive integer, got ${nFrames}`);
  if (options.maxSide !== undefined && !(Number.isInteger(options.maxSide) && options.maxSide >= 16)) {
    throw new DatasetOptionError(`maxSide must be an integer >= 16, got ${options.maxSide}`);
  }
  const shard = options.shard;
  const out = shard ? shardDir(resolve(options.out), shard) : resolve(options.out);
  const manifestPath = join(out, 'manifest.jsonl');
  const detector = options.detector ?? faceApiDetector();
  const tools = options.tools ?? findFfmpegTools();
  const { videos: done, repaired } = loadManifest(manifestPath);
  const entries = selectEntries(ds, options).filter((e) => !shard || inShard(e.sourceId ?? e.id, shard));
  const settings: PreprocessSettings = {
    dataset: ds.name,
    root: ds.root,
    frames: nFrames,
    forehead: options.forehead ?? false,
    maxSide: options.maxSide ?? null,
    split: options.split ?? null,
    ids: options.ids ? options.ids.length : null,
    detector: detector.name,
  };
  const summary: PreprocessSummary = {
    out, manifest: manifestPath, processed: 0, resumed: 0, repaired, aborted: false, framesSaved: 0,
    failed: [], noFace: [], missingSources: [], missingFrames: [],
    readerSkipped: [...ds.skipped], readerWarnings: [...ds.warnings],
    entries: entries.length, settings, ...(shard ? { shard } : {}),
  };
  mkdirSync(out, { recursive: true });
  const stream = options.progress === false ? undefined : options.progress === true || options.progress === undefined ? process.stderr : options.progress;
  const bar = stream ? new Progress({ total: entries.length, label: `preprocess ${ds.name}`, stream: stream as NodeJS.WritableStream & { isTTY?: boolean } }) : undefined;

  const cache = new Map<string, ImageU8[]>();
  const isDone = (e: VideoEntry): boolean => {
    const prev = done.get(e.id);
    return !!prev && (prev.status === 'ok' || !options.retryFailed);
  };
  for (let ei = 0; ei < entries.length; ei++) {
    const entry = entries[ei];
    if (options.signal?.aborted) {
      summary.aborted = true;
      break;
    }
    const prev = done.get(entry.id);
    if (prev && (prev.status === 'ok' || !options.retryFailed)) {
      summary.resumed++;
      collectIssues(prev, entry, summary);
      bar?.tick(1);
      continue;
    }
    if (tools && !cache.has(entry.id) && batchable(entry)) {
      // Many short videos: decode a run of them with one ffmpeg process.
      const batch = [entry];
      for (let j = ei + 1; j < entries.length && batch.length < BATCH; j++) {
        if (batchable(entries[j]) && !isDone(entries[j])) batch.push(entries[j]);
      }
      if (batch.length > 1) {
        const all = await decodeAllFramesBatch(batch.map((e) => e.path), tools);
        if (all) batch.forEach((e, k) => cache.set(e.id, all[k]));
      }
    }
    const cached = cache.get(entry.id);
    cache.delete(entry.id);
    const rec = await processVideo(entry, { ...options, frames: nFrames }, out, detector, tools, done, cached);
    appendManifest(manifestPath, rec);
    done.set(rec.id, rec);
    summary.processed++;
    summary.framesSaved += rec.frames.length;
    collectIssues(rec, entry, summary);
    bar?.tick(1, { failed: summary.failed.length, noFace: summary.noFace.length });
  }
  bar?.done();
  writeFileAtomic(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  if (stream) stream.write(formatSummary(summary));
  return summary;
}

function collectIssues(rec: ManifestVideo, entry: VideoEntry, s: PreprocessSummary): void {
  if (rec.status === 'failed') {
    s.failed.push({ path: entry.path, id: entry.id, reason: rec.reason ?? 'failed' });
    return;
  }
  const noFace = rec.frames.filter((f) => f.landmarks === null).map((f) => f.index);
  if (noFace.length) s.noFace.push({ id: rec.id, path: entry.path, frames: noFace, reason: `no face in ${noFace.length} of ${rec.frames.length} frames` });
  const noSrc = rec.frames.filter((f) => rec.label === 1 && f.source === null);
  if (noSrc.length) s.missingSources.push({ id: rec.id, path: entry.path, frames: noSrc.map((f) => f.index), reason: noSrc[0].sourceMissing ?? 'source frame missing' });
  if (rec.missingFrames?.length) s.missingFrames.push({ id: rec.id, path: entry.path, frames: rec.missingFrames, reason: 'frames could not be decoded' });
}

async function processVideo(
  entry: VideoEntry,
  opts: PreprocessOptions & { frames: number },
  out: string,
  detector: LandmarkDetector,
  tools: FfmpegTools | undefined,
  done: Map<string, ManifestVideo>,
  cached?: ImageU8[],
): Promise<ManifestVideo> {
  const base: ManifestVideo = {
    v: MANIFEST_VERSION, id: entry.id, dataset: entry.dataset, method: entry.method, label: entry.label, input: entry.path,
    status: 'ok', frameCount: 0, width: 0, height: 0, scale: 1, detector: detector.name, points: opts.forehead ? 81 : 68, frames: [],
  };
  if (entry.split) base.split = entry.split;
  if (entry.sourceId) base.sourceId = entry.sourceId;
  if (entry.identity) base.identity = entry.identity;
  const fail = (reason: string): ManifestVideo => ({ ...base, status: 'failed', reason });
  if (!existsSync(entry.path)) return fail(`input missing: ${entry.path}`);
  if (entry.format === 'video' && !tools) return fail('ffmpeg not found (apt-get install -y ffmpeg)');

  let frameCount: number;
  try {
    frameCount = cached ? cached.length : (await probeMedia(entry.path, entry.format, tools)).frameCount;
  } catch (e) {
    return fail((e as Error).message);
  }
  base.frameCount = frameCount;

  // Frame indices: a fake uses its source's indices (computed from the SOURCE's length),
  // so that every fake frame has the same-index source frame.
  const src = entry.sourceId ? done.get(entry.sourceId) : undefined;
  const srcOk = src && src.status === 'ok' ? src : undefined;
  const indices = sampleFrameIndices(srcOk ? srcOk.frameCount : frameCount, opts.frames);
  const srcFrames = new Map((srcOk?.frames ?? []).map((f) => [f.index, f]));

  let decoded: DecodedFrames;
  if (cached) {
    const frames = new Map<number, ImageU8>();
    const missing: number[] = [];
    for (const i of indices) {
      if (i < cached.length) frames.set(i, cached[i]);
      else missing.push(i);
    }
    decoded = missing.length ? { frames, missing, error: `the video has ${cached.length} frames` } : { frames, missing };
  } else {
    try {
      decoded = await decodeMediaFrames(entry.path, entry.format, indices, tools);
    } catch (e) {
      return fail((e as Error).message);
    }
  }
  if (decoded.missing.length) base.missingFrames = decoded.missing;

  // A run killed while writing this video may have left frames or half-written temporary files:
  // the video starts from an empty folder, so a resumed cache holds what a fresh one would.
  rmSync(join(out, 'frames', entry.id), { recursive: true, force: true });
  for (const index of indices) {
    let img = decoded.frames.get(index);
    if (!img) continue;
    let scale = 1;
    if (opts.maxSide !== undefined) {
      const [h, w] = img.shape;
      if (Math.max(h, w) > opts.maxSide) {
        scale = opts.maxSide / Math.max(h, w);
        img = resize(img, Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale)), { interpolation: 'area' }) as ImageU8;
      }
    }
    base.scale = scale;
    base.height = img.shape[0];
    base.width = img.shape[1];
    const file = `frames/${entry.id}/${pad(index)}.png`;
    writePngFile(join(out, file), img);
    const frame: ManifestFrame = { index, file, landmarks: null };
    const faces = await detector.detect(img, { entry, frameIndex: index });
    if (faces.length > 0) {
      // The reference keeps the face with the largest landmark box.
      let best = faces[0];
      for (const f of faces) if (landmarkArea(f.landmarks) > landmarkArea(best.landmarks)) best = f;
      const lm = opts.forehead ? withForehead(best.landmarks) : best.landmarks;
      frame.landmarks = Array.from(lm, (v) => Math.round(v * 100) / 100);
      frame.score = Math.round(best.score * 1e4) / 1e4;
    }
    if (entry.label === 1) {
      if (!entry.sourceId) {
        frame.source = null;
        frame.sourceMissing = 'the dataset names no source video for this fake';
      } else if (!src) {
        frame.source = null;
        frame.sourceMissing = `source video ${entry.sourceId} was not preprocessed`;
      } else if (!srcOk) {
        frame.source = null;
        frame.sourceMissing = `source video ${entry.sourceId} failed: ${src.reason ?? ''}`;
      } else {
        const sf = srcFrames.get(index);
        if (!sf) {
          frame.source = null;
          frame.sourceMissing = `frame ${index} of source ${entry.sourceId} was not decoded`;
        } else if (!existsSync(join(out, sf.file))) {
          frame.source = null;
          frame.sourceMissing = `source frame file ${sf.file} is missing`;
        } else {
          frame.source = { id: srcOk.id, index, file: sf.file };
        }
      }
    }
    base.frames.push(frame);
  }
  return base;
}

/** A human-readable summary (counts, then up to 10 files per problem). */
export function formatSummary(s: PreprocessSummary): string {
  const lines: string[] = [];
  lines.push(
    `preprocess${s.shard ? ` (shard ${s.shard.index} of ${s.shard.count}: ${s.entries} video(s))` : ''}: ${s.processed} video(s) processed, ${s.resumed} already done${s.aborted ? ', STOPPED EARLY' : ''}; ${s.framesSaved} frame(s) saved; manifest ${s.manifest}`,
  );
  if (s.repaired) lines.push('  repaired the manifest: dropped a partial last line left by an interrupted run');
  const list = (title: string, items: Array<{ path: string; reason: string; frames?: number[] }>): void => {
    if (!items.length) return;
    lines.push(`  ${title}: ${items.length}`);
    for (const it of items.slice(0, 10)) lines.push(`    ${it.path}: ${it.reason}${it.frames ? ` (frames ${it.frames.slice(0, 8).join(', ')}${it.frames.length > 8 ? ', ...' : ''})` : ''}`);
    if (items.length > 10) lines.push(`    ... and ${items.length - 10} more (see summary.json)`);
  };
  list('inputs the dataset reader left out', s.readerSkipped ?? []);
  list('dataset warnings', s.readerWarnings ?? []);
  list('videos that failed', s.failed);
  list('videos with frames where no face was found', s.noFace);
  list('fakes with missing source frames', s.missingSources);
  list('videos with undecodable frames', s.missingFrames);
  return lines.join('\n') + '\n';
}
