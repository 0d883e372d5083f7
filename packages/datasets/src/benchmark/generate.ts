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
import { createRng, resize, warpAffine, wrapImage, type ImageU8, type Rng } from '@caddm/image';
import { requireFfmpegTools } from '@caddm/ffmpeg';
import { DatasetOptionError, DatasetError } from '../errors.js';
import { readImageFile, writeFileAtomic, writePngFile } from '../io/read-image.js';
import { readIdentityFolders } from '../readers/identity.js';
import type { LandmarkDetector } from '../preprocess/detector.js';
import type { LandmarkSidecar } from '../preprocess/detector.js';
import { encodeMp4Batch } from '../video/encode.js';
import { identityVector, sampleIdentity, type Expression, type Identity, type Pose } from './face-model.js';
import { CROSS_METHODS, TRAIN_METHODS, type FrameData, type Manipulation } from './methods.js';
import { makeCanvas, type Canvas } from './raster.js';
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
  /** Faces: procedural (default), or photos from an `<identity>/<image>` folder with a landmark detector. */
  faces?: 'procedural' | { identityDir: string; detector: LandmarkDetector };
  /** In-domain methods (default: Deepfakes, Face2Face, FaceSwap, NeuralTextures). */
  methods?: readonly Manipulation[];
  /** Held-out methods (default: HQSwap). */
  crossMethods?: readonly Manipulation[];
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
}

/** A real "video": clean frames, landmarks, and the camera noise shared with its fakes. @internal */
export interface RealVideo {
  name: string;
  frames: FrameData[];
  noise: Float32Array[];
}

/** A person of the benchmark: its name, procedural parameters (if any) and real videos. @internal */
export interface Person {
  key: string;
  params?: Identity;
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

/** A photo of one identity turned into a short video with small motion. */
async function photoVideo(seed: number, name: string, path: string, detector: LandmarkDetector, p: BenchmarkProfile): Promise<RealVideo | string> {
  const rng = createRng(subSeed(seed, `photo:${basename(path)}`));
  const img = await readImageFile(path);
  const S = p.size;
  // Landmarks are found on the full-size photo, then scaled with it to the frame size.
  const faces = await detector.detect(img, { entry: { id: name, dataset: 'photos', method: 'original', label: 0, path, format: 'image' }, frameIndex: 0 });
  if (faces.length === 0) return `no face found in ${path}`;
  const small = resize(img, S, S, { interpolation: 'area' }) as ImageU8;
  const sx = S / img.shape[1];
  const sy = S / img.shape[0];
  const lm0 = faces[0].landmarks.map((v, i) => (i % 2 ? (v + 0.5) * sy - 0.5 : (v + 0.5) * sx - 0.5));
  const sigma = rng.uniform(1.5, 3.5);
  const frames: FrameData[] = [];
  const noise: Float32Array[] = [];
  for (let t = 0; t < p.frames; t++) {
    const a = (rng.uniform(-2, 2) * Math.PI) / 180;
    const s = 1 + rng.uniform(-0.02, 0.02);
    const tx = rng.uniform(-1.5, 1.5);
    const ty = rng.uniform(-1.5, 1.5);
    const c = S / 2;
    const m = [s * Math.cos(a), -s * Math.sin(a), 0, s * Math.sin(a), s * Math.cos(a), 0];
    m[2] = c - m[0] * c - m[1] * c + tx;
    m[5] = c - m[3] * c - m[4] * c + ty;
    const warped = warpAffine(small, m, S, S, { border: 'replicate' });
    const canvas = makeCanvas(S, S);
    canvas.data.set(warped.data);
    const lm = new Float32Array(136);
    for (let i = 0; i < 68; i++) {
      lm[2 * i] = m[0] * lm0[2 * i] + m[1] * lm0[2 * i + 1] + m[2];
      lm[2 * i + 1] = m[3] * lm0[2 * i] + m[4] * lm0[2 * i + 1] + m[5];
    }
    frames.push({ canvas, landmarks: lm });
    noise.push(rng.fillNormal(new Float32Array(S * S * 3), 0, sigma));
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
  const p = typeof options.profile === 'object' ? options.profile : BENCHMARK_PROFILES[options.profile ?? 'tiny'];
  if (!p) throw new DatasetOptionError(`unknown benchmark profile ${JSON.stringify(options.profile)} (tiny, mini)`);
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
  const skipped: Array<{ path: string; reason: string }> = [];
  const V = p.videosPerIdentity;
  const nIn = p.identities.train + p.identities.val + p.identities.test;
  const crossFirst = Math.max(500, Math.ceil((nIn * V) / 100) * 100);

  // Identity sources: procedural indices, or people of an identity folder (a photo per video).
  const photos = options.faces && options.faces !== 'procedural' ? options.faces : undefined;
  let photoPeople: Array<{ identity: string; paths: string[] }> = [];
  if (photos) {
    const ds = readIdentityFolders(photos.identityDir);
    const byId = new Map<string, string[]>();
    for (const e of ds.entries) byId.set(e.identity!, [...(byId.get(e.identity!) ?? []), e.path]);
    photoPeople = createRng(subSeed(seed, 'photos')).shuffle([...byId].filter(([, ps]) => ps.length >= V).map(([identity, paths]) => ({ identity, paths })));
  }
  let photoCursor = 0;
  const makePerson = async (index: number, firstVideo: number): Promise<Person> => {
    const names = Array.from({ length: V }, (_, k) => String(firstVideo + k).padStart(3, '0'));
    if (!photos) return proceduralPerson(seed, index, names, p);
    while (photoCursor < photoPeople.length) {
      const person = photoPeople[photoCursor++];
      const videos: RealVideo[] = [];
      for (const path of person.paths) {
        if (videos.length === V) break;
        const v = await photoVideo(seed, names[videos.length], path, photos.detector, p);
        if (typeof v === 'string') skipped.push({ path, reason: v });
        else videos.push(v);
      }
      if (videos.length === V) return { key: person.identity, videos };
      skipped.push({ path: join(photos.identityDir, person.identity), reason: `fewer than ${V} photos with a detected face` });
    }
    throw new DatasetError(
      `not enough usable people in ${photos.identityDir}: need ${nIn + p.crossIdentities} with ${V} photos each in which a face is found, found ${photoCursor - skipped.filter((x) => !x.reason.startsWith('no face')).length}`,
    );
  };

  let videos = 0;
  const writeReals = (root: string, people: readonly Person[], pending: Pending[]): void => {
    const origDir = join(root, 'original_sequences/youtube/c23');
    const ids: Record<string, string> = {};
    for (const person of people) {
      for (const r of person.videos) {
        pending.push({ frames: r.frames.map((f, t) => quantize(f.canvas, r.noise[t])), path: join(origDir, 'videos', r.name) });
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
    for (const m of ms) {
      const dir = join(root, 'manipulated_sequences', m.name, 'c23');
      for (const [a, b] of videoPairs) {
        for (const [ti, di] of [[a, b], [b, a]]) {
          const T = byName.get(ti)!;
          const D = byName.get(di)!;
          const name = `${T.name}_${D.name}`;
          const rng = createRng(subSeed(seed, `${m.name}:${name}`));
          const fake = T.frames.map((f, t) => m.apply(f, D.frames[t % D.frames.length], rng));
          pending.push({ frames: fake.map((f, t) => quantize(f.canvas, T.noise[t])), path: join(dir, 'videos', name) });
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
  const vectorsOf = (people: readonly Person[]): Float64Array[] => people.map((q) => (q.params ? identityVector(q.params) : new Float64Array(0)));

  // In-domain part: identities dealt to splits in order, paired at random within each split.
  const people: Person[] = [];
  for (let i = 0; i < nIn; i++) people.push(await makePerson(i, i * V));
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

  // Cross part: new identities; the same targets under random and most-similar pairing.
  const crossPeople: Person[] = [];
  for (let i = 0; i < p.crossIdentities; i++) crossPeople.push(await makePerson(10000 + i, crossFirst + i * V));
  const similarPossible = crossPeople.every((q) => q.params);
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
  writeFileSync(
    join(options.out, 'benchmark.json'),
    JSON.stringify({
      v: BENCHMARK_VERSION, seed, profile: p, format, faces: photos ? 'photos' : 'procedural',
      methods: methods.map((m) => ({ name: m.name, description: m.description })),
      crossMethods: crossMethods.map((m) => ({ name: m.name, description: m.description })),
      crossPairings: pairingInfo,
      crossPairDistance: pairDistance,
    }, null, 2) + '\n',
  );
  return { ffppRoot, crossRoot, crossSimilarRoot: similarPossible ? crossSimilarRoot : undefined, videos, skipped };
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
