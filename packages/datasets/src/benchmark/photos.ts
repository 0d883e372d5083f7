/**
 * Real faces for the embedded benchmark: the people of an identity folder
 * (`<identity>/<image>`, LFW's layout), every usable photo of each, turned into
 * the benchmark's "videos" (a person's photos in turn, with the small motion and
 * camera noise of the procedural videos), with the split sizes a folder allows
 * and the identity descriptors that pair people by resemblance.
 */
import { detectFaces, type DetectOptions } from '@caddm/face-detect';
import { createRng, resize, warpAffine, type ImageU8 } from '@caddm/image';
import { DatasetError } from '../errors.js';
import { readImageFile } from '../io/read-image.js';
import { readIdentityFolders } from '../readers/identity.js';
import type { FrameData } from './methods.js';
import { makeCanvas } from './raster.js';

/** One face found in a photo. */
export interface PhotoFace {
  /** 68 landmarks, flat `[x, y] x 68`, in the photo's pixels. */
  readonly landmarks68: Float32Array;
  /** Identity descriptor (face-api's 128-D); absent when the analyzer gives none. */
  readonly descriptor?: Float32Array;
}

/** Finds faces (best first) with their landmarks and identity descriptors; injectable for tests. */
export interface PhotoFaceAnalyzer {
  /** Recorded in benchmark.json. */
  readonly name: string;
  analyse(image: ImageU8): Promise<PhotoFace[]>;
}

/** face-api's detector (default tiny), 68 landmarks and 128-D descriptors (`@caddm/face-detect`). */
export function faceApiAnalyzer(options: Omit<DetectOptions, 'descriptors'> = {}): PhotoFaceAnalyzer {
  return {
    name: `face-api/${options.detector ?? 'tiny'}${options.minScore != null ? `@${options.minScore}` : ''}+recognition`,
    analyse: async (image) => (await detectFaces(image, { ...options, descriptors: true })).map((f) => ({ landmarks68: f.landmarks68, descriptor: f.descriptor })),
  };
}

/** A usable photo: a face was found in it. */
export interface UsablePhoto {
  readonly path: string;
  /** The face's landmarks in the photo's pixels. */
  readonly landmarks68: Float32Array;
  readonly descriptor?: Float32Array;
}

/** A person of the folder with every usable photo. */
export interface PhotoPerson {
  readonly identity: string;
  readonly photos: readonly UsablePhoto[];
  /** Mean of the photos' descriptors (when every photo has one), in face-api's units (same person: below about 0.6). */
  readonly descriptor?: Float64Array;
}

/** What {@link loadPhotoPeople} found. */
export interface PhotoPeople {
  /** People with at least `minPhotos` usable photos, in folder order. */
  readonly people: PhotoPerson[];
  /** Photos read, and photos with a face. */
  readonly photos: number;
  readonly usable: number;
  /** Photos and people left out, with why. */
  readonly skipped: Array<{ path: string; reason: string }>;
}

/** Options of {@link loadPhotoPeople}. */
export interface LoadPhotoPeopleOptions {
  /** Photos with a face a person needs to count (default 2: one per video). */
  readonly minPhotos?: number;
  /** Called after each photo (for a progress line). */
  readonly onPhoto?: (done: number, total: number) => void;
}

/** The mean of vectors (undefined when any is missing). */
function meanVector(vs: ReadonlyArray<Float32Array | undefined>): Float64Array | undefined {
  if (vs.length === 0 || vs.some((v) => v == null)) return undefined;
  const out = new Float64Array((vs[0] as Float32Array).length);
  for (const v of vs as Float32Array[]) for (let i = 0; i < out.length; i++) out[i] += v[i] / vs.length;
  return out;
}

/**
 * Reads every photo of every person and keeps those in which `analyzer` finds a
 * face (the best one's landmarks and descriptor).
 * @throws DatasetRootError when `dir` is not an identity folder
 */
export async function loadPhotoPeople(dir: string, analyzer: PhotoFaceAnalyzer, options: LoadPhotoPeopleOptions = {}): Promise<PhotoPeople> {
  const minPhotos = options.minPhotos ?? 2;
  const ds = readIdentityFolders(dir);
  const skipped = ds.skipped.map((s) => ({ path: s.path, reason: s.reason }));
  const byId = new Map<string, string[]>();
  for (const e of ds.entries) byId.set(e.identity as string, [...(byId.get(e.identity as string) ?? []), e.path]);
  const people: PhotoPerson[] = [];
  let done = 0;
  let usable = 0;
  for (const [identity, paths] of byId) {
    const photos: UsablePhoto[] = [];
    for (const path of paths) {
      try {
        const faces = await analyzer.analyse(await readImageFile(path));
        if (faces.length === 0) skipped.push({ path, reason: 'no face found' });
        else photos.push({ path, landmarks68: faces[0].landmarks68, ...(faces[0].descriptor ? { descriptor: faces[0].descriptor } : {}) });
      } catch (e) {
        skipped.push({ path, reason: `cannot read this photo (${(e as Error).message.split('\n')[0]})` });
      }
      options.onPhoto?.(++done, ds.entries.length);
    }
    usable += photos.length;
    if (photos.length >= minPhotos) {
      const descriptor = meanVector(photos.map((p) => p.descriptor));
      people.push({ identity, photos, ...(descriptor ? { descriptor } : {}) });
    } else if (paths.length > 0) {
      skipped.push({ path: identity, reason: `${photos.length} photo(s) with a face, fewer than the ${minPhotos} a person needs` });
    }
  }
  return { people, photos: ds.entries.length, usable, skipped };
}

/**
 * What a real-face benchmark is for: `train` deals people to person-disjoint
 * train/val/test/cross splits; `eval` (an evaluation-only set) puts everyone in the
 * test split (the four in-domain methods) and the same people in the cross part
 * (the held-out method, random and most-similar donors).
 */
export type PhotoUse = 'train' | 'eval';

/** People a real-face benchmark needs (each with at least 2 photos in which a face is found). */
export const MIN_PHOTO_PEOPLE: Readonly<Record<PhotoUse, number>> = { train: 60, eval: 10 };

/** How many people go to each split. */
export interface PhotoSplitSizes {
  readonly train: number;
  readonly val: number;
  readonly test: number;
  readonly cross: number;
}

const even = (x: number) => 2 * Math.floor(x / 2);

/**
 * Split sizes (even, person-disjoint) for `n` usable people: `train` (a training
 * benchmark) gives about 20% each to test and cross, 6% (at least 4) to val, the rest
 * to train; `eval` gives everyone to test, and the same people to cross.
 * @throws DatasetError naming the folder, what it has and what is missing
 */
export function photoSplitSizes(n: number, use: PhotoUse, dir: string, detail = ''): PhotoSplitSizes {
  const need = MIN_PHOTO_PEOPLE[use];
  if (n < need) {
    throw new DatasetError(
      `${dir}: ${n} people with at least 2 photos in which a face is found${detail}; ${use === 'train' ? 'a training benchmark' : 'an evaluation set'} needs at least ${need}` +
        (use === 'train' ? ` (and 150 or more to train well); with fewer, evaluate only (caddm eval --faces DIR)` : `; add people or photos (6 or more photos of each of about 40 people give useful intervals)`),
    );
  }
  if (use === 'eval') return { train: 0, val: 0, test: even(n), cross: even(n) };
  const test = even(Math.round(0.2 * n));
  const cross = test;
  const val = Math.max(4, even(Math.round(0.06 * n)));
  return { train: even(n - test - cross - val), val, test, cross };
}

/** Frames of a real-face video: the frame size and count. */
export interface PhotoVideoShape {
  readonly size: number;
  readonly frames: number;
}

/**
 * One "video" of a person from some of its photos: the photos in turn (each held
 * for an equal run of frames), each frame with a small random rotation, scale and
 * shift (the procedural videos' motion), resized to `size` x `size`; the landmarks
 * follow. Camera noise is drawn per frame from `seed`.
 */
export async function photoVideo(seed: number, name: string, photos: readonly UsablePhoto[], shape: PhotoVideoShape): Promise<{ name: string; frames: FrameData[]; noise: Float32Array[] }> {
  const rng = createRng(seed);
  const S = shape.size;
  const scaled: Array<{ small: ImageU8; lm: Float32Array }> = [];
  for (const p of photos) {
    const img = await readImageFile(p.path);
    const small = resize(img, S, S, { interpolation: 'area' }) as ImageU8;
    const sx = S / img.shape[1];
    const sy = S / img.shape[0];
    scaled.push({ small, lm: p.landmarks68.map((v, i) => (i % 2 ? (v + 0.5) * sy - 0.5 : (v + 0.5) * sx - 0.5)) });
  }
  const sigma = rng.uniform(1.5, 3.5);
  const frames: FrameData[] = [];
  const noise: Float32Array[] = [];
  for (let t = 0; t < shape.frames; t++) {
    const { small, lm: lm0 } = scaled[Math.min(scaled.length - 1, Math.floor((t * scaled.length) / shape.frames))];
    const a = (rng.uniform(-2, 2) * Math.PI) / 180;
    const s = 1 + rng.uniform(-0.02, 0.02);
    const c = S / 2;
    const m = [s * Math.cos(a), -s * Math.sin(a), 0, s * Math.sin(a), s * Math.cos(a), 0];
    m[2] = c - m[0] * c - m[1] * c + rng.uniform(-1.5, 1.5);
    m[5] = c - m[3] * c - m[4] * c + rng.uniform(-1.5, 1.5);
    const canvas = makeCanvas(S, S);
    canvas.data.set(warpAffine(small, m, S, S, { border: 'replicate' }).data);
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

/** A person's photos dealt to `videos` videos in turn (photo k to video k mod videos). */
export function dealPhotos(person: PhotoPerson, videos: number): UsablePhoto[][] {
  const out: UsablePhoto[][] = Array.from({ length: videos }, () => []);
  person.photos.forEach((p, k) => out[k % videos].push(p));
  return out;
}

/** The Euclidean distance of two descriptors. */
export function descriptorDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += (a[i] - b[i]) ** 2;
  return Math.sqrt(d);
}
