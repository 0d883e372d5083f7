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
import { initBackend } from '@caddm/tf';
import { FaceModelError } from '@caddm/face';
import { checkSharedEngine, faceDetector, type FaceApi } from './core.js';

export type { DetectOptions, DetectLandmarksOptions, DetectedFace, DetectorKind, FaceDetector } from './core.js';

const FACE_API_BUILD = '@vladmandic/face-api/dist/face-api.node-wasm.js';

/** The `model/` folder of the installed `@vladmandic/face-api` package. */
export function faceModelDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

const detector = faceDetector({
  importApi: async () => {
    await initBackend();
    let mod: { default?: FaceApi } & Partial<FaceApi>;
    try {
      mod = (await import(FACE_API_BUILD)) as typeof mod;
    } catch (e) {
      throw new FaceModelError(`cannot load ${FACE_API_BUILD}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return checkSharedEngine((mod.default ?? mod) as FaceApi);
  },
  defaultModelDir: faceModelDir,
  loadNet: (net, dir) => (net.loadFromDisk as (d: string) => Promise<void>).call(net, dir),
});

/** {@inheritDoc FaceDetector.loadFaceModels} */
export const loadFaceModels = detector.loadFaceModels;
/** {@inheritDoc FaceDetector.detectFaces} */
export const detectFaces = detector.detectFaces;
/** {@inheritDoc FaceDetector.detectLandmarks} */
export const detectLandmarks = detector.detectLandmarks;
