/**
 * `@caddm/face-detect` for browsers (the `browser` export condition): the same
 * detection as in Node, with face-api's ESM build (`face-api.esm-nobundle.js`,
 * which imports the page's `@tensorflow/tfjs` rather than bundling its own) and
 * weights fetched from the page's own origin: `modelDir` is the URL of a folder
 * holding `tiny_face_detector_model*`, `face_landmark_68_model*` (and
 * `ssd_mobilenetv1_model*` for `detector: 'ssd'`), copied from the package's
 * `model/` folder. Pick a tfjs backend (`tf.setBackend`) before the first call.
 *
 * @packageDocumentation
 */
import { FaceModelError } from '@caddm/face';
import { checkSharedEngine, faceDetector, type FaceApi } from './core.js';

export type { DetectOptions, DetectLandmarksOptions, DetectedFace, DetectorKind, FaceDetector } from './core.js';

const detector = faceDetector({
  importApi: async () => {
    let mod: { default?: FaceApi } & Partial<FaceApi>;
    try {
      mod = (await import('@vladmandic/face-api/dist/face-api.esm-nobundle.js')) as unknown as typeof mod;
    } catch (e) {
      throw new FaceModelError(`cannot load face-api's browser build: ${e instanceof Error ? e.message : String(e)}`);
    }
    return checkSharedEngine((mod.default ?? mod) as FaceApi);
  },
  defaultModelDir: () => 'models/face-api/',
  loadNet: (net, url) => (net.loadFromUri as (u: string) => Promise<void>).call(net, url),
});

/** {@inheritDoc FaceDetector.loadFaceModels} */
export const loadFaceModels = detector.loadFaceModels;
/** {@inheritDoc FaceDetector.detectFaces} */
export const detectFaces = detector.detectFaces;
/** {@inheritDoc FaceDetector.detectLandmarks} */
export const detectLandmarks = detector.detectLandmarks;
