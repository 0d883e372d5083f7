/**
 * What the Node and browser builds of `@caddm/face-detect` share: options,
 * results, the image-to-tensor step and the detection itself, given a loaded
 * face-api module ({@link FaceApiSource}). `detect.ts` loads face-api's
 * `node-wasm` build from disk; `browser.ts` its ESM build from the page.
 */
import { imageSize, type Image } from '@caddm/image';
import { tf } from '@caddm/tf';
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
  /** Also compute each face's 128-D identity descriptor (face-api's face recognition net, a ResNet-34 like dlib's). */
  descriptors?: boolean;
  /**
   * Where face-api's weight files are: a folder in Node (default: the installed
   * package's `model/`), the URL of a folder in a browser (default `models/face-api/`,
   * relative to the page).
   */
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
  /** The 128-D identity descriptor (Euclidean distance below about 0.6: the same person), with `descriptors: true`. */
  descriptor?: Float32Array;
}

// The slice of face-api's API used here (its own .d.ts pulls in tfjs-core types we do not need).
export interface FaceApiNet {
  isLoaded: boolean;
  /** Node builds. */
  loadFromDisk?(dir: string): Promise<void>;
  /** Browser builds. */
  loadFromUri?(url: string): Promise<void>;
}
export interface FaceApiResult {
  detection: { score: number; box: { x: number; y: number; width: number; height: number } };
  landmarks: { positions: Array<{ x: number; y: number }> };
  descriptor?: Float32Array;
}
export interface FaceApi {
  tf: { engine(): unknown };
  nets: { tinyFaceDetector: FaceApiNet; ssdMobilenetv1: FaceApiNet; faceLandmark68Net: FaceApiNet; faceRecognitionNet: FaceApiNet };
  TinyFaceDetectorOptions: new (o: { inputSize: number; scoreThreshold: number }) => unknown;
  SsdMobilenetv1Options: new (o: { minConfidence: number }) => unknown;
  detectAllFaces(input: unknown, options: unknown): { withFaceLandmarks(): Promise<FaceApiResult[]> & { withFaceDescriptors(): Promise<FaceApiResult[]> } };
}

/** Options of {@link detectLandmarks}. */
export interface DetectLandmarksOptions extends DetectOptions {
  /** File name or label of the image, named in {@link NoFaceFoundError}. */
  source?: string;
  /** Which face to keep when there are several: `score` (default) or `largest` box. */
  pick?: 'score' | 'largest';
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

/** How one build finds face-api and its weights. */
export interface FaceApiSource {
  /** Imports face-api (called once per process; retried after a failure). */
  importApi(): Promise<FaceApi>;
  /** The default {@link DetectOptions.modelDir}. */
  defaultModelDir(): string;
  /** Loads one net's weights from `modelDir`. */
  loadNet(net: FaceApiNet, modelDir: string): Promise<void>;
}

/** The functions a build exports, bound to its {@link FaceApiSource}. */
export interface FaceDetector {
  /**
   * Loads face-api (once per process) and the weights of the chosen detector and the
   * 68-point landmark net. Called by `detectFaces`; call it up front to keep model
   * loading out of timings.
   * @throws FaceModelError when face-api or its weights cannot be loaded
   */
  loadFaceModels(options?: Pick<DetectOptions, 'detector' | 'modelDir' | 'descriptors'>): Promise<void>;
  /**
   * Detects faces and their 68 landmarks, best score first.
   * @param image - HWC RGB image on the 0..255 scale (uint8 or float; gray and RGBA accepted)
   * @returns every face scoring at least `minScore` (possibly none)
   * @throws FaceArgumentError on bad options; FaceModelError when models cannot load
   */
  detectFaces(image: Image, options?: DetectOptions): Promise<DetectedFace[]>;
  /**
   * The 68 landmarks of the best face in an image.
   * @throws NoFaceFoundError naming `options.source` when no face scores `minScore`
   */
  detectLandmarks(image: Image, options?: DetectLandmarksOptions): Promise<Float32Array>;
}

/** Checks that face-api runs on the shared tfjs instance (one engine, one backend). */
export function checkSharedEngine(fa: FaceApi): FaceApi {
  if (fa.tf?.engine() !== tf.engine()) {
    throw new FaceModelError(
      'face-api resolved a different @tensorflow/tfjs than @caddm/tf; install @tensorflow/tfjs 4.22 once (pnpm hoisting) so they share one engine',
    );
  }
  return fa;
}

/** Binds detection to one way of loading face-api. */
export function faceDetector(source: FaceApiSource): FaceDetector {
  let api: Promise<FaceApi> | undefined;
  const loading = new Map<string, Promise<void>>();

  const faceApi = (): Promise<FaceApi> => {
    if (api == null) {
      api = source.importApi();
      api.catch(() => {
        api = undefined;
      });
    }
    return api;
  };

  const loadNet = async (fa: FaceApi, name: keyof FaceApi['nets'], dir: string): Promise<void> => {
    const key = `${name}@${dir}`;
    let p = loading.get(key);
    if (p == null) {
      p = fa.nets[name].isLoaded ? Promise.resolve() : source.loadNet(fa.nets[name], dir);
      p.catch(() => loading.delete(key));
      loading.set(key, p);
    }
    try {
      await p;
    } catch (e) {
      throw new FaceModelError(`cannot load face-api model ${name} from ${dir}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const loadFaceModels = async (options: Pick<DetectOptions, 'detector' | 'modelDir' | 'descriptors'> = {}): Promise<void> => {
    const fa = await faceApi();
    const dir = options.modelDir ?? source.defaultModelDir();
    const detector = options.detector ?? 'tiny';
    await loadNet(fa, detector === 'ssd' ? 'ssdMobilenetv1' : 'tinyFaceDetector', dir);
    await loadNet(fa, 'faceLandmark68Net', dir);
    if (options.descriptors) await loadNet(fa, 'faceRecognitionNet', dir);
  };

  /**
   * Detects faces and their 68 landmarks, best score first.
   * @param image - HWC RGB image on the 0..255 scale (uint8 or float; gray and RGBA accepted)
   * @returns every face scoring at least `minScore` (possibly none)
   * @throws FaceArgumentError on bad options; FaceModelError when models cannot load
   */
  const detectFaces = async (image: Image, options: DetectOptions = {}): Promise<DetectedFace[]> => {
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
    await loadFaceModels({ detector, modelDir: options.modelDir, descriptors: options.descriptors === true });
    const fa = await faceApi();
    const opts =
      detector === 'ssd'
        ? new fa.SsdMobilenetv1Options({ minConfidence: minScore })
        : new fa.TinyFaceDetectorOptions({ inputSize, scoreThreshold: minScore });
    const input = toTensor(image);
    let results: FaceApiResult[];
    try {
      const withLandmarks = fa.detectAllFaces(input, opts).withFaceLandmarks();
      results = await (options.descriptors ? withLandmarks.withFaceDescriptors() : withLandmarks);
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
        const face: DetectedFace = { box: { x: b.x, y: b.y, width: b.width, height: b.height }, score: r.detection.score, landmarks68: lm };
        if (r.descriptor) face.descriptor = Float32Array.from(r.descriptor);
        return face;
      })
      .sort((a, b) => b.score - a.score);
  };

  /**
   * The 68 landmarks of the best face in an image.
   * @throws NoFaceFoundError naming `options.source` when no face scores `minScore`
   */
  const detectLandmarks = async (image: Image, options: DetectLandmarksOptions = {}): Promise<Float32Array> => {
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
  };

  return { loadFaceModels, detectFaces, detectLandmarks };
}
