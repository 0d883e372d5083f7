/**
 * 68-point landmark detection with `@vladmandic/face-api` (MIT), running on the
 * shared tfjs instance of `@caddm/tf`.
 *
 * face-api's `dist/face-api.node-wasm.js` build `require`s `@tensorflow/tfjs`
 * (4.22) instead of bundling its own copy, so it shares the engine, kernels and
 * backend that `@caddm/tf` set up (checked at load time). Its model weights ship
 * inside the npm package (`model/`) and are read from disk, never fetched.
 *
 * Detectors: `tiny` (Tiny Face Detector, default: ~80 ms per 250x250 photo on
 * tfjs-wasm, ~1.5 s on the pure-JS cpu backend) or `ssd` (SSD MobileNet v1, more
 * robust to small and profile faces: ~300 ms on wasm, ~10 s on cpu). Landmarks
 * come from face-api's full 68-point net (`faceLandmark68Net`), in the iBUG/dlib
 * order of the reference's first 68 points; there is no forehead: see
 * `foreheadArc` in `@caddm/face`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { imageSize, type Image } from '@caddm/image';
import { initBackend, tf } from '@caddm/tf';
import { FaceArgumentError, FaceModelError, NoFaceFoundError } from '@caddm/face';

/** Which face detector finds the boxes the landmark net runs on. */
export type DetectorKind = 'tiny' | 'ssd';

/** Options of {@link detectFaces}. */
export interface DetectOptions {
  /** Face detector (default `tiny`). */
  detector?: DetectorKind;
  /** Minimum detection score in `[0, 1]` (default 0.5). */
  minScore?: number;
  /** Tiny detector input size, a multiple of 32 (default 416; smaller is faster, misses small faces). */
  inputSize?: number;
  /** Folder holding face-api's weight files (default: the installed package's `model/`). */
  modelDir?: string;
}

/** One detected face. */
export interface DetectedFace {
  /** Detection box in pixels (x = column). */
  box: { x: number; y: number; width: number; height: number };
  /** Detector confidence in `[0, 1]`. */
  score: number;
  /** 68 landmarks, flat `[x0, y0, ..., x67, y67]` in pixels of the input image. */
  landmarks68: Float32Array;
}

// The slice of face-api's API used here (its own .d.ts pulls in tfjs-core types we do not need).
interface FaceApiNet {
  isLoaded: boolean;
  loadFromDisk(dir: string): Promise<void>;
}
interface FaceApiResult {
  detection: { score: number; box: { x: number; y: number; width: number; height: number } };
  landmarks: { positions: Array<{ x: number; y: number }> };
}
interface FaceApi {
  tf: { engine(): unknown };
  nets: { tinyFaceDetector: FaceApiNet; ssdMobilenetv1: FaceApiNet; faceLandmark68Net: FaceApiNet };
  TinyFaceDetectorOptions: new (o: { inputSize: number; scoreThreshold: number }) => unknown;
  SsdMobilenetv1Options: new (o: { minConfidence: number }) => unknown;
  detectAllFaces(input: unknown, options: unknown): { withFaceLandmarks(): Promise<FaceApiResult[]> };
}

const FACE_API_BUILD = '@vladmandic/face-api/dist/face-api.node-wasm.js';

/** The `model/` folder of the installed `@vladmandic/face-api` package. */
export function faceModelDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

let api: Promise<FaceApi> | undefined;
const loading = new Map<string, Promise<void>>();

async function faceApi(): Promise<FaceApi> {
  if (api == null) {
    api = (async () => {
      await initBackend();
      let mod: { default?: FaceApi } & Partial<FaceApi>;
      try {
        mod = (await import(FACE_API_BUILD)) as typeof mod;
      } catch (e) {
        throw new FaceModelError(`cannot load ${FACE_API_BUILD}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const fa = (mod.default ?? mod) as FaceApi;
      if (fa.tf?.engine() !== tf.engine()) {
        throw new FaceModelError(
          'face-api resolved a different @tensorflow/tfjs than @caddm/tf; install @tensorflow/tfjs 4.22 once (pnpm hoisting) so they share one engine',
        );
      }
      return fa;
    })();
    api.catch(() => {
      api = undefined;
    });
  }
  return api;
}

async function loadNet(fa: FaceApi, name: keyof FaceApi['nets'], dir: string): Promise<void> {
  const key = `${name}@${dir}`;
  let p = loading.get(key);
  if (p == null) {
    p = fa.nets[name].isLoaded ? Promise.resolve() : fa.nets[name].loadFromDisk(dir);
    p.catch(() => loading.delete(key));
    loading.set(key, p);
  }
  try {
    await p;
  } catch (e) {
    throw new FaceModelError(`cannot load face-api model ${name} from ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Loads face-api (once per process) and the weights of the chosen detector and the
 * 68-point landmark net from disk. Called by {@link detectFaces}; call it up front
 * to keep model loading out of timings.
 * @throws FaceModelError when face-api or its weights cannot be loaded
 */
export async function loadFaceModels(options: Pick<DetectOptions, 'detector' | 'modelDir'> = {}): Promise<void> {
  const fa = await faceApi();
  const dir = options.modelDir ?? faceModelDir();
  const detector = options.detector ?? 'tiny';
  await loadNet(fa, detector === 'ssd' ? 'ssdMobilenetv1' : 'tinyFaceDetector', dir);
  await loadNet(fa, 'faceLandmark68Net', dir);
}

/** Converts an HWC image (1, 3 or 4 channels; uint8 scale) to an int32 RGB tensor. */
function toTensor(image: Image): ReturnType<typeof tf.tensor3d> {
  const { height, width, channels } = imageSize(image);
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new FaceArgumentError(`detectFaces needs a 1, 3 or 4 channel image, got ${channels} channels`);
  }
  const rgb = new Int32Array(height * width * 3);
  let o = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 3) {
      for (let k = 0; k < 3; k++) {
        const v = image.get(y, x, channels === 1 ? 0 : k);
        rgb[o + k] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
    }
  }
  return tf.tensor3d(rgb, [height, width, 3], 'int32');
}

/**
 * Detects faces and their 68 landmarks, best score first.
 * @param image - HWC RGB image on the 0..255 scale (uint8 or float; gray and RGBA accepted)
 * @returns every face scoring at least `minScore` (possibly none)
 * @throws FaceArgumentError on bad options; FaceModelError when models cannot load
 */
export async function detectFaces(image: Image, options: DetectOptions = {}): Promise<DetectedFace[]> {
  const detector = options.detector ?? 'tiny';
  const minScore = options.minScore ?? 0.5;
  const inputSize = options.inputSize ?? 416;
  if (detector !== 'tiny' && detector !== 'ssd') {
    throw new FaceArgumentError(`detector must be 'tiny' or 'ssd', got ${JSON.stringify(detector)}`);
  }
  if (!(minScore >= 0 && minScore <= 1)) throw new FaceArgumentError(`minScore must be in [0, 1], got ${minScore}`);
  if (!Number.isInteger(inputSize) || inputSize <= 0 || inputSize % 32 !== 0) {
    throw new FaceArgumentError(`inputSize must be a positive multiple of 32, got ${inputSize}`);
  }
  await loadFaceModels({ detector, modelDir: options.modelDir });
  const fa = await faceApi();
  const opts =
    detector === 'ssd'
      ? new fa.SsdMobilenetv1Options({ minConfidence: minScore })
      : new fa.TinyFaceDetectorOptions({ inputSize, scoreThreshold: minScore });
  const input = toTensor(image);
  let results: FaceApiResult[];
  try {
    results = await fa.detectAllFaces(input, opts).withFaceLandmarks();
  } finally {
    input.dispose();
  }
  return results
    .map((r) => {
      const lm = new Float32Array(136);
      r.landmarks.positions.forEach((p, i) => {
        lm[2 * i] = p.x;
        lm[2 * i + 1] = p.y;
      });
      const b = r.detection.box;
      return { box: { x: b.x, y: b.y, width: b.width, height: b.height }, score: r.detection.score, landmarks68: lm };
    })
    .sort((a, b) => b.score - a.score);
}

/** Options of {@link detectLandmarks}. */
export interface DetectLandmarksOptions extends DetectOptions {
  /** File name or label of the image, named in {@link NoFaceFoundError}. */
  source?: string;
  /** Which face to keep when there are several: `score` (default) or `largest` box. */
  pick?: 'score' | 'largest';
}

/**
 * The 68 landmarks of the best face in an image.
 * @throws NoFaceFoundError naming `options.source` when no face scores `minScore`
 */
export async function detectLandmarks(image: Image, options: DetectLandmarksOptions = {}): Promise<Float32Array> {
  const faces = await detectFaces(image, options);
  if (faces.length === 0) {
    throw new NoFaceFoundError(
      options.source ?? '<image>',
      `detector ${options.detector ?? 'tiny'}, minScore ${options.minScore ?? 0.5}`,
    );
  }
  if (options.pick === 'largest') {
    faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  }
  return faces[0].landmarks68;
}
