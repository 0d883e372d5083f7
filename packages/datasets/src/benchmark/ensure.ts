/**
 * The default data of an experiment run without a dataset: the embedded benchmark,
 * generated once per (seed, profile, format) and preprocessed with its exact landmarks,
 * both steps resumable and skipped when already done.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readFFpp } from '../readers/ffpp.js';
import { sidecarDetector } from '../preprocess/detector.js';
import { preprocess, type PreprocessSummary } from '../preprocess/preprocess.js';
import type { Dataset } from '../types.js';
import { BENCHMARK_PROFILES, BENCHMARK_VERSION, generateBenchmark } from './generate.js';

/** Options of {@link ensureBenchmark}. */
export interface EnsureBenchmarkOptions {
  /** Folder for the generated data (`<dir>/data`) and the caches (`<dir>/cache-ffpp`, `<dir>/cache-cross`). */
  dir: string;
  /** Seed (default 0). */
  seed?: number;
  /** Size preset (default `mini`). */
  profile?: 'tiny' | 'mini';
  /** Video format (default `mp4`). */
  format?: 'mp4' | 'frames';
  /** Frames per video for preprocessing (default: all of the profile's frames). */
  frames?: number;
  /** Progress on stderr (default false). */
  progress?: boolean;
}

/** The ready-to-load benchmark. */
export interface EnsuredBenchmark {
  /** In-domain dataset (train/val/test). */
  ffpp: Dataset;
  /** Cross-dataset part (split `cross`). */
  cross: Dataset;
  /** Preprocessing cache of the in-domain part (for `FrameLoader`). */
  ffppCache: string;
  /** Preprocessing cache of the cross part. */
  crossCache: string;
  /** Whether the data was generated in this call. */
  generated: boolean;
  /** Preprocessing summaries. */
  summaries: [PreprocessSummary, PreprocessSummary];
}

/** Generates (if needed) and preprocesses (resuming) the embedded benchmark. */
export async function ensureBenchmark(options: EnsureBenchmarkOptions): Promise<EnsuredBenchmark> {
  const seed = options.seed ?? 0;
  const profile = options.profile ?? 'mini';
  const format = options.format ?? 'mp4';
  const data = join(options.dir, 'data');
  const metaPath = join(data, 'benchmark.json');
  let generated = false;
  let meta: { v?: number; seed?: number; profile?: unknown; format?: string } | undefined;
  try {
    meta = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, 'utf8')) as typeof meta) : undefined;
  } catch {
    meta = undefined;
  }
  const same = meta && meta.v === BENCHMARK_VERSION && meta.seed === seed && meta.format === format && JSON.stringify(meta.profile) === JSON.stringify(BENCHMARK_PROFILES[profile]);
  if (!same) {
    await generateBenchmark({ out: data, seed, profile, format });
    generated = true;
  }
  const ffpp = readFFpp(join(data, 'ffpp'));
  const cross = readFFpp(join(data, 'cross'));
  const tag = `v${BENCHMARK_VERSION}-${profile}-s${seed}-${format}`;
  const ffppCache = join(options.dir, `cache-ffpp-${tag}`);
  const crossCache = join(options.dir, `cache-cross-${tag}`);
  if (generated) {
    // New data: earlier caches of this tag may hold frames of another generator version.
    rmSync(ffppCache, { recursive: true, force: true });
    rmSync(crossCache, { recursive: true, force: true });
  }
  const frames = options.frames ?? BENCHMARK_PROFILES[profile].frames;
  const common = { frames, detector: sidecarDetector(), progress: options.progress ?? false };
  const s1 = await preprocess(ffpp, { ...common, out: ffppCache });
  const s2 = await preprocess(cross, { ...common, out: crossCache });
  return { ffpp, cross, ffppCache, crossCache, generated, summaries: [s1, s2] };
}
