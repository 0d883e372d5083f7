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
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRng, resize, warpAffine, wrapImage, type ImageU8 } from '@caddm/image';
import { requireFfmpegTools } from '@caddm/ffmpeg';
import { DatasetOptionError, DatasetError } from '../errors.js';
import { readImageFile, writeFileAtomic, writePngFile } from '../io/read-image.js';
import { readIdentityFolders } from '../readers/identity.js';
import type { LandmarkDetector } from '../preprocess/detector.js';
import type { LandmarkSidecar } from '../preprocess/detector.js';
import { encodeMp4Batch } from '../video/encode.js';
import { sampleIdentity, type Expression, type Pose } from './face-model.js';
import { CROSS_METHODS, TRAIN_METHODS, type FrameData, type Manipulation } from './methods.js';
import { makeCanvas, type Canvas } from './raster.js';
import { renderFace, sampleScene } from './render.js';

/** Size presets. */
export interface BenchmarkProfile {
  /** Frame side in pixels (even). */
  size: number;
  /** Frames per video. */
  frames: number;
  /** Identity pairs per split of the in-domain part. */
  pairs: { train: number; val: number; test: number };
  /** Identity pairs of the cross-dataset part. */
  crossPairs: number;
}

/** `tiny` for tests (seconds), `mini` for experiments (minutes). */
export const BENCHMARK_PROFILES: Readonly<Record<'tiny' | 'mini', BenchmarkProfile>> = {
  tiny: { size: 64, frames: 4, pairs: { train: 2, val: 1, test: 1 }, crossPairs: 2 },
  mini: { size: 128, frames: 8, pairs: { train: 24, val: 4, test: 4 }, crossPairs: 8 },
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
  /** The cross-dataset FF++ tree. */
  crossRoot: string;
  /** Videos written. */
  videos: number;
  /** Identities that could not be used (photos without a detected face), with reasons. */
  skipped: Array<{ path: string; reason: string }>;
}

/** A real "video": clean frames, landmarks, and the camera noise shared with its fakes. */
interface RealVideo {
  name: string;
  frames: FrameData[];
  noise: Float32Array[];
}

/** Seed of a named sub-stream (order-independent generation). */
function subSeed(seed: number, tag: string): number {
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

/** Procedural video of one identity. */
function proceduralVideo(seed: number, index: number, name: string, p: BenchmarkProfile): RealVideo {
  const rng = createRng(subSeed(seed, `identity:${index}`));
  const id = sampleIdentity(rng, index);
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
    frames.push({ canvas: r.canvas, landmarks: r.landmarks });
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
 * Generates the benchmark. Deterministic: the same options and seed give the same bytes
 * (mp4 bytes on the same ffmpeg build).
 */
export async function generateBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const seed = options.seed ?? 0;
  const p = typeof options.profile === 'object' ? options.profile : BENCHMARK_PROFILES[options.profile ?? 'tiny'];
  if (!p) throw new DatasetOptionError(`unknown benchmark profile ${JSON.stringify(options.profile)} (tiny, mini)`);
  if (p.size % 2 || p.size < 32 || p.frames < 1) throw new DatasetOptionError(`benchmark size must be even and >= 32 and frames >= 1, got ${p.size}, ${p.frames}`);
  const format = options.format ?? 'mp4';
  if (format === 'mp4') requireFfmpegTools();
  const methods = options.methods ?? TRAIN_METHODS;
  const crossMethods = options.crossMethods ?? CROSS_METHODS;
  const ffppRoot = join(options.out, 'ffpp');
  const crossRoot = join(options.out, 'cross');
  // Only ever replace an earlier benchmark, never someone's dataset.
  if ((existsSync(ffppRoot) || existsSync(crossRoot)) && !existsSync(join(options.out, 'benchmark.json'))) {
    throw new DatasetOptionError(`refusing to overwrite ${ffppRoot} / ${crossRoot}: ${options.out} holds no benchmark.json from an earlier generateBenchmark run`);
  }
  rmSync(ffppRoot, { recursive: true, force: true });
  rmSync(crossRoot, { recursive: true, force: true });
  const skipped: Array<{ path: string; reason: string }> = [];

  const nIn = 2 * (p.pairs.train + p.pairs.val + p.pairs.test);
  const nCross = 2 * p.crossPairs;
  // Identity sources: procedural indices, or photos (one per identity folder).
  let photoList: Array<{ path: string; identity: string }> = [];
  if (options.faces && options.faces !== 'procedural') {
    const ds = readIdentityFolders(options.faces.identityDir);
    const byId = new Map<string, string>();
    for (const e of ds.entries) if (!byId.has(e.identity!)) byId.set(e.identity!, e.path);
    photoList = createRng(subSeed(seed, 'photos')).shuffle([...byId].map(([identity, path]) => ({ identity, path })));
  }
  let photoCursor = 0;
  const makeReal = async (index: number, name: string): Promise<RealVideo> => {
    if (!options.faces || options.faces === 'procedural') return proceduralVideo(seed, index, name, p);
    const det = options.faces.detector;
    while (photoCursor < photoList.length) {
      const ph = photoList[photoCursor++];
      const v = await photoVideo(seed, name, ph.path, det, p);
      if (typeof v !== 'string') return v;
      skipped.push({ path: ph.path, reason: v });
    }
    throw new DatasetError(`not enough usable identities in ${options.faces.identityDir}: need ${nIn + nCross}, found faces in ${photoCursor - skipped.length}`);
  };

  let videos = 0;
  const writePart = async (root: string, first: number, count: number, ms: readonly Manipulation[], splits: Record<string, number>): Promise<void> => {
    const names = Array.from({ length: count }, (_, i) => String(first + i).padStart(3, '0'));
    const reals: RealVideo[] = [];
    for (let i = 0; i < count; i++) reals.push(await makeReal(first + i, names[i]));
    // Pairs: identities shuffled by the seed, consecutive ones paired; pairs dealt to splits in order.
    const order = createRng(subSeed(seed, `pairs:${root.endsWith('cross') ? 'cross' : 'ffpp'}`)).shuffle([...Array(count).keys()]);
    const pairs: Array<[number, number]> = [];
    for (let k = 0; k + 1 < order.length; k += 2) pairs.push([order[k], order[k + 1]]);
    const pending: Pending[] = [];
    const origDir = join(root, 'original_sequences/youtube/c23');
    for (const r of reals) {
      pending.push({ frames: r.frames.map((f, t) => quantize(f.canvas, r.noise[t])), path: join(origDir, 'videos', r.name) });
      writeFileAtomic(join(origDir, 'landmarks', `${r.name}.json`), sidecar(r.frames));
    }
    for (const m of ms) {
      const dir = join(root, 'manipulated_sequences', m.name, 'c23');
      for (const [a, b] of pairs) {
        for (const [ti, di] of [[a, b], [b, a]]) {
          const T = reals[ti];
          const D = reals[di];
          const name = `${T.name}_${D.name}`;
          const rng = createRng(subSeed(seed, `${m.name}:${name}`));
          const fake = T.frames.map((f, t) => m.apply(f, D.frames[t % D.frames.length], rng));
          pending.push({ frames: fake.map((f, t) => quantize(f.canvas, T.noise[t])), path: join(dir, 'videos', name) });
          writeFileAtomic(join(dir, 'landmarks', `${name}.json`), sidecar(fake));
        }
      }
    }
    // Splits: FF++ style lists of [target, source] pairs.
    let k = 0;
    mkdirSync(join(root, 'splits'), { recursive: true });
    for (const [split, n] of Object.entries(splits)) {
      const list = pairs.slice(k, k + n).map(([a, b]) => [reals[a].name, reals[b].name]);
      k += n;
      writeFileSync(join(root, 'splits', `${split}.json`), JSON.stringify(list) + '\n');
    }
    if (format === 'frames') {
      for (const v of pending) v.frames.forEach((f, t) => writePngFile(join(v.path, `${String(t).padStart(4, '0')}.png`), f));
    } else {
      await encodeMp4Batch(pending.map((v) => v.frames), pending.map((v) => `${v.path}.mp4`), { fps: 25, crf: 23 });
    }
    videos += pending.length;
  };

  await writePart(ffppRoot, 0, nIn, methods, { train: p.pairs.train, val: p.pairs.val, test: p.pairs.test });
  await writePart(crossRoot, 500, nCross, crossMethods, { cross: p.crossPairs });
  writeFileSync(
    join(options.out, 'benchmark.json'),
    JSON.stringify({
      v: 1, seed, profile: p, format, faces: !options.faces || options.faces === 'procedural' ? 'procedural' : 'photos',
      methods: methods.map((m) => ({ name: m.name, description: m.description })),
      crossMethods: crossMethods.map((m) => ({ name: m.name, description: m.description })),
    }, null, 2) + '\n',
  );
  return { ffppRoot, crossRoot, videos, skipped };
}

