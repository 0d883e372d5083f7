/**
 * The embedded forgery benchmark: a deterministic (seeded) FF++-layout dataset made of
 * procedural faces (or of the user's identity-folder photos), with four manipulation
 * methods for training and a held-out "cross-dataset" part with NEW identities and an
 * unseen method. Written as `<out>/ffpp` and `<out>/cross`, each an FF++ tree (c23)
 * with split files and exact-landmark sidecars, read by {@link readFFpp}.
 *
 * Honesty: real and fake videos of a target share the same scene, size, frame count,
 * camera noise (the same noise field is added after manipulation) and encoder settings;
 * names follow FF++ (`000`, `000_003`); nothing but the manipulation differs.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRng, wrapImage, type ImageU8, type Rng } from '@caddm/image';
import { requireFfmpegTools } from '@caddm/ffmpeg';
import { DatasetOptionError } from '../errors.js';
import { writeFileAtomic, writePngFile } from '../io/read-image.js';
import type { LandmarkSidecar } from '../preprocess/detector.js';
import { encodeMp4Batch } from '../video/encode.js';
import { identityVector, sampleIdentity, type Expression, type Identity, type Pose } from './face-model.js';
import { CROSS_METHODS, TRAIN_METHODS, type FrameData, type Manipulation } from './methods.js';
import { makeCanvas, type Canvas } from './raster.js';
import { dealPhotos, descriptorDistance, faceApiAnalyzer, loadPhotoPeople, photoSplitSizes, photoVideo, type PhotoFaceAnalyzer, type PhotoPerson, type PhotoUse } from './photos.js';
import { renderFace, sampleScene } from './render.js';

/** Version of the generator's design; part of cache tags, so data of another design is never reused. */
export const BENCHMARK_VERSION = 2;

/** Size presets. */
export interface BenchmarkProfile {
  /** Frame side in pixels (even). */
  size: number;
  /** Frames per video. */
  frames: number;
  /** Identities per split of the in-domain part (even: identities are paired within their split). */
  identities: { train: number; val: number; test: number };
  /** Identities of the cross-dataset part (even), all new. */
  crossIdentities: number;
  /** Real videos per identity, each in its own scene (background, lighting, camera noise, placement). */
  videosPerIdentity: number;
}

/**
 * `tiny` for tests (seconds); `mini` for experiments (minutes): 100 test identities
 * (200 real, 800 fake test videos) and 100 cross identities (200 real and 200 fake
 * videos under each pairing).
 */
export const BENCHMARK_PROFILES: Readonly<Record<'tiny' | 'mini', BenchmarkProfile>> = {
  tiny: { size: 64, frames: 4, identities: { train: 2, val: 2, test: 2 }, crossIdentities: 4, videosPerIdentity: 2 },
  mini: { size: 128, frames: 8, identities: { train: 100, val: 12, test: 100 }, crossIdentities: 100, videosPerIdentity: 2 },
};

/** Options of {@link generateBenchmark}. */
export interface BenchmarkOptions {
  /** Output folder. */
  out: string;
  /** Seed (default 0): the same seed gives the same bytes. */
  seed?: number;
  /** Size preset (default `tiny`), or explicit sizes. */
  profile?: 'tiny' | 'mini' | BenchmarkProfile;
  /** `mp4` videos (default when ffmpeg is available) or `frames` folders of PNGs. */
  format?: 'mp4' | 'frames';
  /** Faces: procedural (default), or the people of an `<identity>/<image>` folder ({@link PhotoFaces}). */
  faces?: 'procedural' | PhotoFaces;
  /** In-domain methods (default: Deepfakes, Face2Face, FaceSwap, NeuralTextures). */
  methods?: readonly Manipulation[];
  /** Held-out methods (default: HQSwap). */
  crossMethods?: readonly Manipulation[];
}

/** Real faces for {@link generateBenchmark}: every usable photo of every person of a folder. */
export interface PhotoFaces {
  /** `<identity>/<image>` folder (LFW's layout). */
  identityDir: string;
  /** Faces, landmarks and identity descriptors (default: face-api's, {@link faceApiAnalyzer}). */
  analyzer?: PhotoFaceAnalyzer;
  /** A training benchmark (default) or an evaluation-only set ({@link PhotoUse}). */
  use?: PhotoUse;
  /** Frame size (default {@link PHOTO_FRAME_SIZE}; the profile's when larger). */
  size?: number;
  /** Progress and warnings (default: none). */
  log?: (line: string) => void;
}

/** Frames of real-face videos are this large by default: the face detector finds faces in them. */
export const PHOTO_FRAME_SIZE = 256;

/** What the generator measured on real faces (also in benchmark.json). */
export interface PhotoReport {
  readonly dir: string;
  readonly analyzer: string;
  readonly use: PhotoUse;
  readonly frameSize: number;
  /** Photos read and photos with a face; people with at least two such photos. */
  readonly photos: number;
  readonly usablePhotos: number;
  readonly people: number;
  /** People per split. */
  readonly splits: { train: number; val: number; test: number; cross: number };
  /** The analyzer run again on the first frame of generated videos: how often it finds the face. */
  readonly faceFound: { frames: number; found: number; rate: number };
  /**
   * Per part (`ffpp`, `cross`, `cross-similar`) and method (`original` for the real videos):
   * first frames checked and those in which the face was found again; for fakes, the mean
   * descriptor distance to their donor's and their target's mean descriptor (a swap closer
   * to its donor carries the donor's identity).
   */
  readonly resemblance: Array<{ part: string; method: string; checked: number; found: number; toDonor: number | null; toTarget: number | null }>;
}

/** What was written. */
export interface BenchmarkResult {
  /** The in-domain FF++ tree. */
  ffppRoot: string;
  /** The cross-dataset FF++ tree: new identities, held-out method, random pairs. */
  crossRoot: string;
  /**
   * The same cross-dataset targets with each paired to its most similar identity
   * (nearest identity parameters); absent for photos, whose people carry no parameters.
   */
  crossSimilarRoot?: string;
  /** Videos written. */
  videos: number;
  /** Identities that could not be used (photos without a detected face), with reasons. */
  skipped: Array<{ path: string; reason: string }>;
  /** With real faces: what the generator measured. */
  photoReport?: PhotoReport;
}

/** A real "video": clean frames, landmarks, and the camera noise shared with its fakes. @internal */
export interface RealVideo {
  name: string;
  frames: FrameData[];
  noise: Float32Array[];
}

/** A person of the benchmark: its name, procedural parameters or identity descriptor (if any) and real videos. @internal */
export interface Person {
  key: string;
  params?: Identity;
  /** A photo person's mean identity descriptor. */
  descriptor?: Float64Array;
  videos: RealVideo[];
}

/** Seed of a named sub-stream (order-independent generation). @internal */
export function subSeed(seed: number, tag: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < tag.length; i++) {
    h = Math.imul(h ^ tag.charCodeAt(i), 16777619) >>> 0;
    h ^= h >>> 13;
  }
  return h >>> 0;
}

function quantize(c: Canvas, noise: Float32Array): ImageU8 {
  const out = new Uint8Array(c.w * c.h * 3);
  for (let i = 0; i < out.length; i++) {
    const v = Math.round(c.data[i] + noise[i]);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return wrapImage(out, c.h, c.w, 3);
}

/** Procedural person: one identity, each of its videos in its own scene. */
/** @internal */
export function proceduralPerson(seed: number, index: number, names: readonly string[], p: BenchmarkProfile): Person {
  const id = sampleIdentity(createRng(subSeed(seed, `identity:${index}`)), index);
  const videos = names.map((name, k) => proceduralVideo(createRng(subSeed(seed, `video:${index}:${k}`)), id, name, p));
  return { key: `p${String(index).padStart(4, '0')}`, params: id, videos };
}

/** One procedural video of an identity: scene, placement, motion and noise from `rng`. */
function proceduralVideo(rng: Rng, id: Identity, name: string, p: BenchmarkProfile): RealVideo {
  const S = p.size;
  const scene = sampleScene(rng, S, S);
  const base: Pose = {
    yaw: rng.uniform(-0.35, 0.35), pitch: rng.uniform(-0.12, 0.12), roll: rng.uniform(-0.12, 0.12),
    scale: S * rng.uniform(0.19, 0.24), cx: S * (0.5 + rng.uniform(-0.05, 0.05)), cy: S * (0.45 + rng.uniform(-0.04, 0.04)),
  };
  const talk = { a: rng.uniform(0.02, 0.12), w: rng.uniform(0.8, 2.2), ph: rng.uniform(0, 6.28) };
  const sway = { a: rng.uniform(0.02, 0.06), w: rng.uniform(0.2, 0.6), ph: rng.uniform(0, 6.28) };
  const smile = rng.uniform(-0.01, 0.05);
  const frames: FrameData[] = [];
  const noise: Float32Array[] = [];
  for (let t = 0; t < p.frames; t++) {
    const pose: Pose = {
      ...base,
      yaw: base.yaw + sway.a * Math.sin(sway.w * t + sway.ph),
      roll: base.roll + 0.5 * sway.a * Math.cos(sway.w * t + sway.ph),
      cx: base.cx + 0.6 * Math.sin(0.7 * t + sway.ph),
      cy: base.cy + 0.4 * Math.cos(0.5 * t),
    };
    const ex: Expression = {
      open: Math.max(0, talk.a * Math.sin(talk.w * t + talk.ph)),
      smile: smile + rng.uniform(-0.005, 0.005),
      brow: Math.max(0, rng.uniform(-0.02, 0.03)),
      blink: rng.bool(0.12) ? rng.uniform(0.6, 1) : 0,
      gazeX: rng.uniform(-0.015, 0.015),
    };
    const r = renderFace(id, ex, pose, scene);
    frames.push({ canvas: r.canvas, landmarks: r.landmarks, model: { identity: id, expression: ex, pose, scene } });
    noise.push(rng.fillNormal(new Float32Array(S * S * 3), 0, scene.noise));
  }
  return { name, frames, noise };
}

function sidecar(frames: FrameData[]): string {
  const s: LandmarkSidecar = { v: 1, frameCount: frames.length, frames: frames.map((f) => Array.from(f.landmarks, (v) => Math.round(v * 1000) / 1000)) };
  return JSON.stringify(s);
}

interface Pending {
  frames: ImageU8[];
  path: string;
}

/**
 * Pairs identities (indices into `people`): `random` pairs consecutive ones after a
 * seeded shuffle; `similar` pairs greedily by the nearest identity parameters (the
 * closest remaining two first), so each target's donor resembles it.
 */
export function pairIdentities(vectors: readonly Float64Array[], how: 'random' | 'similar', rng: Rng): Array<[number, number]> {
  const n = vectors.length;
  const pairs: Array<[number, number]> = [];
  if (how === 'random') {
    const order = rng.shuffle([...Array(n).keys()]);
    for (let k = 0; k + 1 < n; k += 2) pairs.push([order[k], order[k + 1]]);
    return pairs;
  }
  const cand: Array<[number, number, number]> = [];
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let d = 0;
      for (let j = 0; j < vectors[a].length; j++) d += (vectors[a][j] - vectors[b][j]) ** 2;
      cand.push([d, a, b]);
    }
  }
  cand.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  const used = new Uint8Array(n);
  for (const [, a, b] of cand) {
    if (used[a] || used[b]) continue;
    used[a] = used[b] = 1;
    pairs.push([a, b]);
  }
  return pairs;
}

/**
 * Generates the benchmark. Deterministic: the same options and seed give the same bytes
 * (mp4 bytes on the same ffmpeg build).
 *
 * Design (version 2): every identity has `videosPerIdentity` real videos, each in its own
 * scene, so identity is not scene. Train, val, test and cross identities are disjoint.
 * Identities are paired within their split; the k-th video of each gives one FF++ pair
 * `[a, b]` whose fakes are `a_b` (target a, donor b) and `b_a`. Face swaps show the
 * donor's inner face on the target's outer face; Face2Face and NeuralTextures keep the
 * target's identity. The cross part holds new identities and a held-out method under two
 * pairings of the same targets: random (`cross`) and most-similar (`cross-similar`).
 * Each tree's `identities.json` maps every real video to its person. A fake shares its
 * target video's camera noise, as a real fake shares its source footage's.
 */
export async function generateBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const seed = options.seed ?? 0;
  const base = typeof options.profile === 'object' ? options.profile : BENCHMARK_PROFILES[options.profile ?? 'tiny'];
  if (!base) throw new DatasetOptionError(`unknown benchmark profile ${JSON.stringify(options.profile)} (tiny, mini)`);
  // Identity sources: procedural, or the people of an identity folder, whose count sets the split sizes.
  const photos = options.faces && options.faces !== 'procedural' ? options.faces : undefined;
  const analyzer = photos ? (photos.analyzer ?? faceApiAnalyzer()) : undefined;
  const use: PhotoUse = photos?.use ?? 'train';
  let p = base;
  let photoPeople: PhotoPerson[] = [];
  let photoStats: { photos: number; usable: number } | undefined;
  const skipped: Array<{ path: string; reason: string }> = [];
  if (photos && analyzer) {
    const log = photos.log ?? (() => {});
    let last = 0;
    const loaded = await loadPhotoPeople(photos.identityDir, analyzer, {
      minPhotos: base.videosPerIdentity,
      onPhoto: (done, total) => {
        if (done === total || Date.now() - last > 5000) {
          last = Date.now();
          log(`faces: ${done}/${total} photos analysed`);
        }
      },
    });
    skipped.push(...loaded.skipped);
    photoStats = { photos: loaded.photos, usable: loaded.usable };
    const sizes = photoSplitSizes(loaded.people.length, use, photos.identityDir, ` (of ${byPeople(loaded.skipped, loaded.people.length)} with photos; ${loaded.usable} of ${loaded.photos} photos have a face)`);
    photoPeople = createRng(subSeed(seed, 'photos')).shuffle(loaded.people);
    p = {
      ...base,
      size: Math.max(base.size, photos.size ?? PHOTO_FRAME_SIZE),
      identities: { train: sizes.train, val: sizes.val, test: sizes.test },
      crossIdentities: sizes.cross,
    };
  }
  if (p.size % 2 || p.size < 32 || p.frames < 1) throw new DatasetOptionError(`benchmark size must be even and >= 32 and frames >= 1, got ${p.size}, ${p.frames}`);
  const counts = [p.identities.train, p.identities.val, p.identities.test, p.crossIdentities];
  if (counts.some((c) => !Number.isInteger(c) || c < 0 || c % 2) || !(Number.isInteger(p.videosPerIdentity) && p.videosPerIdentity >= 1)) {
    throw new DatasetOptionError(`benchmark identities per split must be even integers >= 0 and videosPerIdentity >= 1, got ${JSON.stringify(p)}`);
  }
  const format = options.format ?? 'mp4';
  if (format === 'mp4') requireFfmpegTools();
  const methods = options.methods ?? TRAIN_METHODS;
  const crossMethods = options.crossMethods ?? CROSS_METHODS;
  const ffppRoot = join(options.out, 'ffpp');
  const crossRoot = join(options.out, 'cross');
  const crossSimilarRoot = join(options.out, 'cross-similar');
  const roots = [ffppRoot, crossRoot, crossSimilarRoot];
  // Only ever replace an earlier benchmark, never someone's dataset.
  if (roots.some((r) => existsSync(r)) && !existsSync(join(options.out, 'benchmark.json'))) {
    throw new DatasetOptionError(`refusing to overwrite ${roots.join(' / ')}: ${options.out} holds no benchmark.json from an earlier generateBenchmark run`);
  }
  for (const r of roots) rmSync(r, { recursive: true, force: true });
  rmSync(join(options.out, 'benchmark.json'), { force: true });
  const V = p.videosPerIdentity;
  const nIn = p.identities.train + p.identities.val + p.identities.test;
  const crossFirst = Math.max(500, Math.ceil((nIn * V) / 100) * 100);

  let photoCursor = 0;
  const makePerson = async (index: number, firstVideo: number): Promise<Person> => {
    const names = Array.from({ length: V }, (_, k) => String(firstVideo + k).padStart(3, '0'));
    if (!photos) return proceduralPerson(seed, index, names, p);
    const person = photoPeople[photoCursor++];
    const dealt = dealPhotos(person, V);
    const videos: RealVideo[] = [];
    for (const [k, ps] of dealt.entries()) videos.push(await photoVideo(subSeed(seed, `photo:${person.identity}:${k}`), names[k], ps, { size: p.size, frames: p.frames }));
    return { key: person.identity, ...(person.descriptor ? { descriptor: person.descriptor } : {}), videos };
  };
  // First frames of generated videos, checked again by the analyzer (real faces only).
  const samples: Array<{ part: string; method: string; image: ImageU8; target: Person; donor?: Person }> = [];
  const sampled = new Map<string, number>();
  const sample = (part: string, method: string, image: ImageU8, target: Person, donor?: Person): void => {
    const key = `${part}/${method}`;
    if (!photos || (sampled.get(key) ?? 0) >= SAMPLES_PER_METHOD) return;
    sampled.set(key, (sampled.get(key) ?? 0) + 1);
    samples.push({ part, method, image, target, ...(donor ? { donor } : {}) });
  };

  let videos = 0;
  const writeReals = (root: string, people: readonly Person[], pending: Pending[]): void => {
    const origDir = join(root, 'original_sequences/youtube/c23');
    const ids: Record<string, string> = {};
    for (const person of people) {
      for (const r of person.videos) {
        const frames = r.frames.map((f, t) => quantize(f.canvas, r.noise[t]));
        pending.push({ frames, path: join(origDir, 'videos', r.name) });
        sample(basename(root), 'original', frames[0], person);
        writeFileAtomic(join(origDir, 'landmarks', `${r.name}.json`), sidecar(r.frames));
        ids[r.name] = person.key;
      }
    }
    writeFileAtomic(join(root, 'identities.json'), JSON.stringify({ v: 1, videos: ids }, null, 1) + '\n');
  };
  const writeFakes = (root: string, people: readonly Person[], ms: readonly Manipulation[], idPairs: ReadonlyArray<[number, number]>, pending: Pending[]): Array<[string, string]> => {
    const videoPairs: Array<[string, string]> = [];
    for (const [a, b] of idPairs) for (let k = 0; k < V; k++) videoPairs.push([people[a].videos[k].name, people[b].videos[k].name]);
    const byName = new Map(people.flatMap((q) => q.videos.map((v) => [v.name, v] as const)));
    const personOf = new Map(people.flatMap((q) => q.videos.map((v) => [v.name, q] as const)));
    for (const m of ms) {
      const dir = join(root, 'manipulated_sequences', m.name, 'c23');
      for (const [a, b] of videoPairs) {
        for (const [ti, di] of [[a, b], [b, a]]) {
          const T = byName.get(ti)!;
          const D = byName.get(di)!;
          const name = `${T.name}_${D.name}`;
          const rng = createRng(subSeed(seed, `${m.name}:${name}`));
          const fake = T.frames.map((f, t) => m.apply(f, D.frames[t % D.frames.length], rng));
          const frames = fake.map((f, t) => quantize(f.canvas, T.noise[t]));
          pending.push({ frames, path: join(dir, 'videos', name) });
          sample(basename(root), m.name, frames[0], personOf.get(ti)!, personOf.get(di)!);
          writeFileAtomic(join(dir, 'landmarks', `${name}.json`), sidecar(fake));
        }
      }
    }
    return videoPairs;
  };
  const writeSplits = (root: string, splits: Record<string, Array<[string, string]>>): void => {
    mkdirSync(join(root, 'splits'), { recursive: true });
    for (const [split, list] of Object.entries(splits)) writeFileSync(join(root, 'splits', `${split}.json`), JSON.stringify(list) + '\n');
  };
  const flush = async (pending: Pending[]): Promise<void> => {
    if (format === 'frames') {
      for (const v of pending) v.frames.forEach((f, t) => writePngFile(join(v.path, `${String(t).padStart(4, '0')}.png`), f));
    } else {
      await encodeMp4Batch(pending.map((v) => v.frames), pending.map((v) => `${v.path}.mp4`), { fps: 25, crf: 23 });
    }
    videos += pending.length;
  };
  const vectorsOf = (people: readonly Person[]): Float64Array[] => people.map((q) => (q.params ? identityVector(q.params) : (q.descriptor ?? new Float64Array(0))));

  // In-domain part: identities dealt to splits in order, paired at random within each split.
  const people: Person[] = [];
  // An evaluation-only set of photos names its videos from 5000, so that its names never meet
  // those of a procedural benchmark evaluated beside it (identity lookups go by video name).
  const firstName = photos && use === 'eval' ? 5000 : 0;
  for (let i = 0; i < nIn; i++) people.push(await makePerson(i, firstName + i * V));
  const pending: Pending[] = [];
  writeReals(ffppRoot, people, pending);
  const splitLists: Record<string, Array<[string, string]>> = {};
  let first = 0;
  for (const [split, n] of [['train', p.identities.train], ['val', p.identities.val], ['test', p.identities.test]] as const) {
    const group = people.slice(first, first + n);
    first += n;
    const pairs = pairIdentities(vectorsOf(group), 'random', createRng(subSeed(seed, `pairs:${split}`)));
    splitLists[split] = writeFakes(ffppRoot, group, methods, pairs, pending);
  }
  writeSplits(ffppRoot, splitLists);
  await flush(pending);

  // Cross part: new identities (an evaluation-only set of photos: the same people); the same
  // targets under random and most-similar pairing (by procedural parameters or face descriptors).
  const crossPeople: Person[] = [];
  if (use === 'eval' && photos) crossPeople.push(...people);
  else for (let i = 0; i < p.crossIdentities; i++) crossPeople.push(await makePerson(10000 + i, crossFirst + i * V));
  const similarPossible = crossPeople.length > 1 && crossPeople.every((q) => q.params || q.descriptor);
  const pairings: Array<{ root: string; how: 'random' | 'similar' }> = [{ root: crossRoot, how: 'random' }];
  if (similarPossible) pairings.push({ root: crossSimilarRoot, how: 'similar' });
  const pairingInfo: Record<string, Array<[string, string]>> = {};
  const pairDistance: Record<string, number> = {};
  for (const [k, { root, how }] of pairings.entries()) {
    const part: Pending[] = [];
    if (k === 0) writeReals(root, crossPeople, part);
    const pairs = pairIdentities(vectorsOf(crossPeople), how, createRng(subSeed(seed, 'pairs:cross')));
    pairingInfo[how] = pairs.map(([a, b]) => [crossPeople[a].key, crossPeople[b].key]);
    if (similarPossible) {
      const vs = vectorsOf(crossPeople);
      pairDistance[how] = pairs.reduce((sum, [a, b]) => sum + Math.sqrt(vs[a].reduce((q, v, j) => q + (v - vs[b][j]) ** 2, 0)), 0) / Math.max(1, pairs.length);
    }
    writeSplits(root, { cross: writeFakes(root, crossPeople, crossMethods, pairs, part) });
    await flush(part);
    if (k > 0) {
      // The same real videos, byte for byte: copied rather than encoded again.
      const from = join(crossRoot, 'original_sequences');
      copyTree(from, join(root, 'original_sequences'));
      writeFileAtomic(join(root, 'identities.json'), readFileText(join(crossRoot, 'identities.json')));
    }
  }
  let photoReport: PhotoReport | undefined;
  if (photos && analyzer && photoStats) {
    photoReport = await measurePhotos(samples, analyzer, {
      dir: photos.identityDir, analyzer: analyzer.name, use, frameSize: p.size, photos: photoStats.photos, usablePhotos: photoStats.usable,
      people: photoPeople.length,
      splits: { train: p.identities.train, val: p.identities.val, test: p.identities.test, cross: p.crossIdentities },
    });
    if (photoReport.faceFound.rate < 0.95) {
      (photos.log ?? (() => {}))(
        `warning: the face detector finds the face in only ${(100 * photoReport.faceFound.rate).toFixed(1)}% of ${photoReport.faceFound.frames} generated frames checked (want 95% or more); use larger frames (size) or photos with larger faces`,
      );
    }
  }
  writeFileSync(
    join(options.out, 'benchmark.json'),
    JSON.stringify({
      v: BENCHMARK_VERSION, seed, profile: p, format, faces: photos ? 'photos' : 'procedural',
      methods: methods.map((m) => ({ name: m.name, description: m.description })),
      crossMethods: crossMethods.map((m) => ({ name: m.name, description: m.description })),
      crossPairings: pairingInfo,
      crossPairDistance: pairDistance,
      ...(photoReport ? { photos: photoReport } : {}),
    }, null, 2) + '\n',
  );
  return { ffppRoot, crossRoot, crossSimilarRoot: similarPossible ? crossSimilarRoot : undefined, videos, skipped, ...(photoReport ? { photoReport } : {}) };
}

const SAMPLES_PER_METHOD = 60;

/** The real-face numbers a user should see: people, photos, splits, detection rate, whose identity the fakes carry. */
export function formatPhotoReport(r: PhotoReport): string {
  const lines = [
    `${r.people} people with 2+ photos in which a face is found (${r.usablePhotos} of ${r.photos} photos); splits: train ${r.splits.train}, val ${r.splits.val}, test ${r.splits.test}, cross ${r.splits.cross}${r.use === 'eval' ? ' (the same people)' : ''}; frames ${r.frameSize} px`,
    `face found again in ${r.faceFound.found} of ${r.faceFound.frames} generated frames checked (${(100 * r.faceFound.rate).toFixed(1)}%)`,
  ];
  if (r.resemblance.length) {
    lines.push('per part and method: face found again in first frames; for fakes, mean identity descriptor distance (face-api; same person below about 0.6)');
    for (const x of r.resemblance) {
      const d = x.toDonor != null && x.toTarget != null ? `; to the donor ${x.toDonor.toFixed(3)}, to the target ${x.toTarget.toFixed(3)}` : '';
      lines.push(`  ${x.part} ${x.method}: ${x.found}/${x.checked}${d}`);
    }
  }
  return lines.join('\n');
}


/** "N people" of a folder: those kept plus those skipped for too few photos. */
function byPeople(skipped: ReadonlyArray<{ reason: string }>, kept: number): number {
  return kept + skipped.filter((s) => /photo\(s\) with a face, fewer than/.test(s.reason)).length;
}

/** Runs the analyzer on sampled first frames: how often it finds the face, and whose identity the fakes carry. */
async function measurePhotos(
  samples: ReadonlyArray<{ part: string; method: string; image: ImageU8; target: Person; donor?: Person }>,
  analyzer: PhotoFaceAnalyzer,
  head: Omit<PhotoReport, 'faceFound' | 'resemblance'>,
): Promise<PhotoReport> {
  let found = 0;
  const rows = new Map<string, { part: string; method: string; checked: number; found: number; n: number; toDonor: number; toTarget: number }>();
  for (const s of samples) {
    const key = `${s.part}/${s.method}`;
    const r = rows.get(key) ?? { part: s.part, method: s.method, checked: 0, found: 0, n: 0, toDonor: 0, toTarget: 0 };
    rows.set(key, r);
    r.checked++;
    const faces = await analyzer.analyse(s.image);
    if (faces.length === 0) continue;
    found++;
    r.found++;
    const d = faces[0].descriptor;
    if (!d || !s.donor?.descriptor || !s.target.descriptor) continue;
    r.n++;
    r.toDonor += descriptorDistance(d, s.donor.descriptor);
    r.toTarget += descriptorDistance(d, s.target.descriptor);
  }
  return {
    ...head,
    faceFound: { frames: samples.length, found, rate: samples.length ? found / samples.length : 1 },
    resemblance: [...rows.values()].map(({ n, ...r }) => ({ ...r, toDonor: n ? r.toDonor / n : null, toTarget: n ? r.toTarget / n : null })),
  };
}

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) copyTree(join(from, e.name), join(to, e.name));
    else copyFileSync(join(from, e.name), join(to, e.name));
  }
}

function readFileText(path: string): string {
  return readFileSync(path, 'utf8');
}
