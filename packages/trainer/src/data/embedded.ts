import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  BENCHMARK_PROFILES,
  BENCHMARK_VERSION,
  faceApiDetector,
  formatPhotoReport,
  formatSummary,
  generateBenchmark,
  openDataset,
  preprocess,
  sidecarDetector,
  type PhotoUse,
  type PreprocessSummary,
} from '@caddm/datasets';
import { writeFileAtomic } from '@caddm/runlog';
import { cacheRoot } from './cache-root.js';

/** Options of {@link prepareEmbedded}. */
export interface EmbeddedOptions {
  /** Benchmark size: `tiny` (tests) or `mini` (experiments). */
  readonly profile: 'tiny' | 'mini';
  /** Seed of the generator (same seed, same bytes). */
  readonly seed: number;
  /** Real faces from an identity folder instead of procedural ones. */
  readonly faces?: string;
  /** With `faces`: a training benchmark (default) or an evaluation-only set (`eval`: everyone in test, and in cross). */
  readonly facesUse?: PhotoUse;
  /** Where generated data and caches live (default `embedded` in {@link cacheRoot}: `$CADDM_CACHE`, else `.cache`). */
  readonly root?: string;
  /** Frames cached per video (default: all the benchmark's frames). */
  readonly frames?: number;
  /** Progress bars (default true). */
  readonly progress?: boolean;
  /** Log sink for the preprocessing summaries (default stderr). */
  readonly log?: (message: string) => void;
}

/** Where the prepared embedded benchmark is. */
export interface EmbeddedData {
  /** Generated FF++-layout trees. */
  readonly ffppRoot: string;
  readonly crossRoot: string;
  /** The cross-dataset targets paired with their most similar identities (procedural faces only). */
  readonly crossSimilarRoot?: string;
  /** Preprocessing caches (frames, landmarks, manifest) of the in-domain tree and the cross-dataset tree. */
  readonly cache: string;
  readonly crossCache: string;
  /** Preprocessing cache of the similar-pairs cross tree, when there is one. */
  readonly crossSimilarCache?: string;
}

const DONE = 'done.json';

/**
 * Generates the embedded forgery benchmark (deterministic in its seed) and
 * preprocesses both of its trees, once: later calls with the same options
 * reuse what is on disk (a marker file is written only after each step
 * completed; an interrupted step resumes). Procedural faces carry their exact
 * landmarks (a sidecar file per video); real faces use face-api.
 */
export async function prepareEmbedded(o: EmbeddedOptions): Promise<EmbeddedData> {
  const use = o.facesUse ?? 'train';
  const tag = `v${BENCHMARK_VERSION}-${o.profile}-seed${o.seed}${o.faces ? `-faces-${resolve(o.faces).replace(/[^A-Za-z0-9]+/g, '_').slice(-40)}${use === 'eval' ? '-eval' : ''}` : ''}`;
  const base = resolve(o.root ?? join(cacheRoot(), 'embedded'), tag);
  const log = o.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  mkdirSync(base, { recursive: true });
  const genDir = join(base, 'data');
  let gen: { ffppRoot: string; crossRoot: string; crossSimilarRoot?: string };
  if (existsSync(join(genDir, DONE))) {
    gen = JSON.parse(readFileSync(join(genDir, DONE), 'utf8')) as typeof gen;
  } else {
    log(`generating the embedded benchmark (${tag}) in ${genDir}`);
    const r = await generateBenchmark({
      out: genDir,
      seed: o.seed,
      profile: o.profile,
      faces: o.faces ? { identityDir: o.faces, use, log } : 'procedural',
    });
    for (const s of r.skipped) log(`benchmark: skipped ${s.path}: ${s.reason}`);
    if (r.photoReport) log(formatPhotoReport(r.photoReport));
    gen = { ffppRoot: r.ffppRoot, crossRoot: r.crossRoot, crossSimilarRoot: r.crossSimilarRoot };
    writeFileAtomic(join(genDir, DONE), JSON.stringify(gen) + '\n');
  }
  const detector = sidecarDetector(o.faces ? faceApiDetector() : undefined);
  const prep = async (root: string, out: string): Promise<void> => {
    if (existsSync(join(out, DONE))) return;
    const s: PreprocessSummary = await preprocess(openDataset(root, { kind: 'ffpp' }), {
      out,
      frames: o.frames ?? BENCHMARK_PROFILES[o.profile].frames,
      detector,
      progress: o.progress ?? true,
    });
    // With a progress bar, preprocess() prints its own summary.
    if (o.progress === false) log(formatSummary(s));
    if (s.aborted) throw new Error(`preprocessing of ${root} stopped early`);
    writeFileAtomic(join(out, DONE), JSON.stringify({ processed: s.processed, frames: s.framesSaved }) + '\n');
  };
  const cache = join(base, 'cache');
  const crossCache = join(base, 'cache-cross');
  await prep(gen.ffppRoot, cache);
  await prep(gen.crossRoot, crossCache);
  const crossSimilarCache = gen.crossSimilarRoot ? join(base, 'cache-cross-similar') : undefined;
  if (gen.crossSimilarRoot) await prep(gen.crossSimilarRoot, crossSimilarCache!);
  return { ffppRoot: gen.ffppRoot, crossRoot: gen.crossRoot, crossSimilarRoot: gen.crossSimilarRoot, cache, crossCache, crossSimilarCache };
}
