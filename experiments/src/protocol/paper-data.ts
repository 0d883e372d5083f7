/**
 * The paper profile's data: FF++, Celeb-DF v2, DFDC and an identity folder
 * (LFW), each given with `--data name=path` as a preprocessing cache
 * (`caddm preprocess`) or as a raw dataset root, which is then preprocessed
 * (resumably) into `<cache>/paper/<name>`.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { detectDatasetKind, faceApiDetector, loadManifest, openDataset, preprocess, sidecarDetector, type DatasetKind, type Split } from '@caddm/datasets';
import { writeFileAtomic } from '@caddm/runlog';
import { deepMerge, resolveConfig, type CaddmConfig, type CaddmConfigInput } from '@caddm/trainer';
import type { ExperimentContext } from '../types.js';
import { cacheRoot, type CrossTest, type ExperimentData, type TrainData } from './data.js';
import { identityFolderCache } from './features.js';
import { weightsFileIn, withSets } from './train.js';

/** The `--data` keys of the paper profile: what each holds and the name the paper gives it. */
export const PAPER_DATA = {
  ffpp: {
    title: 'FF++',
    dataset: 'ffpp',
    what: "FaceForensics++ (c23): its root (original_sequences/, manipulated_sequences/ and the official splits/{train,val,test}.json), or a cache written by 'caddm preprocess --data <root> --out <dir>'",
  },
  celebdf: {
    title: 'Celeb-DF',
    dataset: 'celebdf',
    what: "Celeb-DF v2: its root (Celeb-real/, Celeb-synthesis/, YouTube-real/, List_of_testing_videos.txt), or a cache written by 'caddm preprocess --data <root> --out <dir> --split test'",
  },
  dfdc: {
    title: 'DFDC-V2',
    dataset: 'dfdc',
    what: "DFDC: its root (folders holding metadata.json, or the test set's labels.csv, beside their videos), or a cache written by 'caddm preprocess --data <root> --out <dir>'",
  },
  lfw: {
    title: 'LFW',
    dataset: undefined,
    what: "an identity folder of face photos (<identity>/<image>, e.g. LFW), or a cache written by 'caddm preprocess --data <folder> --out <dir> --frames 1' (--faces <folder> works too)",
  },
} as const;

/** A `--data` key of the paper profile. */
export type PaperDataKey = keyof typeof PAPER_DATA;

/** What an experiment needs in the paper profile. */
export interface PaperNeeds {
  /** The experiment's name, for messages. */
  readonly experiment: string;
  /** Cross-dataset test sets that must be given (reported in the order Celeb-DF, DFDC-V2). */
  readonly cross?: ReadonlyArray<'celebdf' | 'dfdc'>;
  /** Cross-dataset test sets used when given. */
  readonly optionalCross?: ReadonlyArray<'celebdf' | 'dfdc'>;
  /** An identity folder (`--data lfw=...` or `--faces`), preprocessed into this many identities x photos when raw. */
  readonly identity?: { readonly identities: number; readonly perIdentity: number };
  /** Cross datasets that are also trained on: a raw root is then preprocessed whole, not just its test split. */
  readonly trainOn?: ReadonlyArray<'dfdc'>;
  /** The experiment's per-model config overrides (before `--set`), to check that their ImageNet weights are there. */
  readonly models: readonly CaddmConfigInput[];
}

/** The training data of the paper profile. */
export interface PaperTrainData extends TrainData {
  readonly root: string;
  readonly dataset: 'ffpp' | 'celebdf' | 'dfdc';
}

/** Thrown when the paper profile's inputs are missing or unusable; the message lists every problem and what to supply. */
export class PaperInputError extends Error {
  override readonly name = 'PaperInputError';
  constructor(
    readonly experiment: string,
    /** One line per problem. */
    readonly problems: readonly string[],
  ) {
    super(`${experiment} --profile paper cannot run; supply:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The file a preprocessing cache always has. */
export const MANIFEST = 'manifest.jsonl';

/** What a `--data` path is: a preprocessing cache (it has `manifest.jsonl`) or a raw dataset root of a recognised layout. */
export type DataSource = { readonly kind: 'cache'; readonly path: string } | { readonly kind: 'raw'; readonly path: string; readonly layout: DatasetKind };

/**
 * Tells a preprocessing cache (its `manifest.jsonl`) from a raw dataset root
 * (FF++, Celeb-DF, DFDC or identity-folder layout).
 * @throws Error naming the `--data` key when the path is missing or neither
 */
export function detectDataSource(key: string, path: string): DataSource {
  const abs = resolve(path);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new Error(`--data ${key}=${path}: no such folder`);
  if (existsSync(join(abs, MANIFEST))) return { kind: 'cache', path: abs };
  try {
    return { kind: 'raw', path: abs, layout: detectDatasetKind(abs) };
  } catch (e) {
    throw new Error(`--data ${key}=${path} is neither a preprocessing cache (no ${MANIFEST}) nor a dataset root: ${(e as Error).message}`);
  }
}

/** The paper profile's config with the `--set` overrides (dataset root filled in), for preprocessing settings and checks. */
function paperBase(ctx: ExperimentContext, extra: CaddmConfigInput = {}): CaddmConfig {
  return resolveConfig(withSets(deepMerge({ dataset: { root: '<--data>' } }, extra as Record<string, unknown>), ctx.overrides), { profile: 'paper' });
}

/**
 * Everything missing or wrong in the paper profile's inputs, one line each:
 * every `--data` key the experiment needs and what it must hold, and the
 * ImageNet weights of every backbone it trains (`--weights`).
 */
export function paperInputProblems(ctx: ExperimentContext, needs: PaperNeeds): string[] {
  const problems: string[] = [];
  const want: PaperDataKey[] = ['ffpp', ...(needs.cross ?? [])];
  if (needs.identity) want.push('lfw');
  for (const k of [...want, ...(needs.optionalCross ?? [])]) {
    const path = k === 'lfw' ? (ctx.data.lfw ?? ctx.faces) : ctx.data[k];
    if (path == null) {
      if (!needs.optionalCross?.includes(k as 'celebdf')) problems.push(`--data ${k}=<path>: ${PAPER_DATA[k].what}`);
    } else if (!existsSync(path)) {
      problems.push(`--data ${k}=${path} does not exist; it must be ${PAPER_DATA[k].what}`);
    }
  }
  if (ctx.weights === 'none') return problems;
  const files = new Set<string>();
  const narrow = new Set<string>();
  for (const m of needs.models) {
    const c = paperBase(ctx, m);
    if (c.model.pretrained != null) continue;
    if (c.model.width !== 1) narrow.add(`${c.model.backbone} x${c.model.width}`);
    else files.add(c.model.backbone);
  }
  const how = "the files torchvision / efficientnet_pytorch / timm download load as they are, e.g. resnet34-b627a593.pth; see packages/backbones/README.md ('Getting ImageNet weights')";
  if (narrow.size > 0) {
    problems.push(`--weights none: ImageNet weights fit width 1 only, but ${[...narrow].join(', ')} is trained (from --set model.width), which trains from scratch`);
  }
  const need = [...files];
  const named = (backbones: readonly string[]) => backbones.map((b) => `${b}.safetensors`).join(', ');
  if (need.length > 0 && ctx.weights == null) {
    problems.push(`--weights <dir> holding the ImageNet weights ${named(need)} (or .pth; the paper initialises every backbone from ImageNet; ${how}), or --weights none to train from scratch (not the paper's setting)`);
  } else if (need.length > 0) {
    const miss = need.filter((b) => weightsFileIn(ctx.weights as string, b) === undefined);
    if (miss.length) problems.push(`${named(miss)} (or .pth) in --weights ${ctx.weights} (${how}), or --weights none to train from scratch`);
  }
  return problems;
}

/** Video counts of a cache per split (ok videos only), and whether it has any video. */
export function cacheSplits(cache: string): { total: number; splits: Partial<Record<Split | 'none', { fake: number; real: number }>> } {
  const { videos } = loadManifest(join(cache, MANIFEST));
  const splits: Partial<Record<Split | 'none', { fake: number; real: number }>> = {};
  let total = 0;
  for (const v of videos.values()) {
    if (v.status !== 'ok') continue;
    total++;
    const c = (splits[v.split ?? 'none'] ??= { fake: 0, real: 0 });
    if (v.label === 1) c.fake++;
    else c.real++;
  }
  return { total, splits };
}

/** The marker {@link preparePaperCache} keeps beside a cache it writes. */
interface PrepMarker {
  readonly root: string;
  readonly frames: number;
  /** `test`: only the test split was preprocessed; `all`: every video. */
  readonly splits: 'test' | 'all';
  readonly complete: boolean;
}

const MARKER = 'experiments-preprocess.json';

/**
 * Preprocesses a raw dataset root into `<cache>/paper/<key>` (resuming an
 * interrupted run; done once): `frames` frames per video at equal intervals,
 * 68 landmarks per frame (face-api; exact landmarks where the root has
 * sidecar files, as generated benchmarks do) plus the forehead arc when the
 * config asks for it, and the source frame of every fake. `splits: 'test'`
 * keeps only the test split when the dataset has one.
 * @throws Error when the folder already holds a cache of another root or frame count
 */
export async function preparePaperCache(ctx: ExperimentContext, key: PaperDataKey, root: string, splits: 'test' | 'all'): Promise<string> {
  const config = paperBase(ctx);
  const frames = Math.max(config.dataset.train_frames, config.dataset.test_frames);
  const out = join(cacheRoot(), 'paper', key);
  const markerPath = join(out, MARKER);
  if (existsSync(markerPath)) {
    const m = JSON.parse(readFileSync(markerPath, 'utf8')) as PrepMarker;
    if (m.root !== root || m.frames !== frames) {
      throw new Error(
        `${out} holds a cache of ${m.root} with ${m.frames} frames per video, but --data ${key}=${root} with ${frames} frames was asked for: remove ${out}, or pass that cache itself with --data ${key}=${out}`,
      );
    }
    if (m.complete && (m.splits === 'all' || m.splits === splits)) return out;
  }
  const ds = openDataset(root, { compression: config.dataset.compression });
  const split: Split | undefined = splits === 'test' && ds.entries.some((e) => e.split === 'test') ? 'test' : undefined;
  const marker: PrepMarker = { root, frames, splits: split ? 'test' : 'all', complete: false };
  mkdirSync(out, { recursive: true });
  writeFileAtomic(markerPath, JSON.stringify(marker) + '\n');
  ctx.log(`[paper] preprocessing ${PAPER_DATA[key].title} (${root}) into ${out}: ${frames} frames per video${split ? ', test split only' : ''} (interrupt and rerun to resume)`);
  const s = await preprocess(ds, { out, frames, split, forehead: config.crop_face.forehead, detector: sidecarDetector(faceApiDetector()), progress: true });
  if (s.aborted) throw new Error(`preprocessing of ${root} stopped early; rerun to resume`);
  writeFileAtomic(markerPath, JSON.stringify({ ...marker, complete: true }) + '\n');
  return out;
}

/** A `--data` path as a cache: itself when it is one, else its preprocessed copy. */
async function cacheOf(ctx: ExperimentContext, key: PaperDataKey, path: string, splits: 'test' | 'all'): Promise<string> {
  const src = detectDataSource(key, path);
  return src.kind === 'cache' ? src.path : preparePaperCache(ctx, key, src.path, splits);
}

/**
 * The paper-profile data of an experiment: FF++ for training and in-dataset
 * testing (its `test` split), Celeb-DF then DFDC-V2 as cross-dataset test
 * sets (their `test` split when they have one, else every video), and an
 * identity-folder cache when asked for. Checks every input first and throws
 * one {@link PaperInputError} listing all that is missing.
 */
export async function paperExperimentData(ctx: ExperimentContext, needs: PaperNeeds): Promise<ExperimentData<PaperTrainData>> {
  const problems = paperInputProblems(ctx, needs);
  if (problems.length) throw new PaperInputError(needs.experiment, problems);
  const ffpp = await cacheOf(ctx, 'ffpp', ctx.data.ffpp, 'all');
  const fs = cacheSplits(ffpp);
  const count = (c: { fake: number; real: number } | undefined) => (c ? `${c.fake} fake / ${c.real} genuine` : 'none');
  for (const s of ['train', 'test'] as const) {
    if (!fs.splits[s]?.fake || !fs.splits[s]?.real) {
      throw new Error(`--data ffpp=${ctx.data.ffpp}: the cache ${ffpp} has no genuine or no fake video in its '${s}' split (was it preprocessed with --split?)`);
    }
  }
  const cross: CrossTest[] = [];
  const from: string[] = [];
  for (const k of ['celebdf', 'dfdc'] as const) {
    const required = needs.cross?.includes(k) ?? false;
    if (!required && !(needs.optionalCross?.includes(k) && ctx.data[k] != null)) continue;
    const cache = await cacheOf(ctx, k, ctx.data[k], needs.trainOn?.includes(k as 'dfdc') ? 'all' : 'test');
    const { total, splits } = cacheSplits(cache);
    if (total === 0) throw new Error(`--data ${k}=${ctx.data[k]}: the cache ${cache} holds no usable video`);
    const test = splits.test;
    const split = test && test.fake + test.real > 0 ? ('test' as const) : undefined;
    cross.push({ name: PAPER_DATA[k].title, stands_for: PAPER_DATA[k].title, cache, ...(split ? { split } : {}) });
    from.push(`; ${PAPER_DATA[k].title} from ${ctx.data[k]} (${split ? `test split, ${count(test)}` : `every video, ${total}`} videos)`);
  }
  let identity: ExperimentData['identity'];
  if (needs.identity) {
    const path = ctx.data.lfw ?? (ctx.faces as string);
    const src = detectDataSource(ctx.data.lfw != null ? 'lfw' : 'faces', path);
    const s = needs.identity;
    const cache =
      src.kind === 'cache' ? src.path : await identityFolderCache(src.path, join(cacheRoot(), 'paper', `lfw-${s.identities}x${s.perIdentity}-${src.path.replace(/[^A-Za-z0-9]+/g, '_').slice(-40)}`), s);
    identity = { name: PAPER_DATA.lfw.title, cache };
  }
  return {
    train: { cache: ffpp, root: ctx.data.ffpp, dataset: 'ffpp', hasVal: (fs.splits.val?.fake ?? 0) + (fs.splits.val?.real ?? 0) > 0 },
    cross,
    identity,
    description:
      `FF++ from ${ctx.data.ffpp} (train ${count(fs.splits.train)}, test ${count(fs.splits.test)} videos)` +
      from.join('') +
      (identity ? `; ${identity.name} identity folder from ${ctx.data.lfw ?? ctx.faces}` : ''),
  };
}
