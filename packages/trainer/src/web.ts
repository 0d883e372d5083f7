/**
 * `@caddm/trainer/web`: the inference half of the trainer, free of Node
 * built-ins, for browsers (the web app in `apps/web`) and any bundle. It
 * scores faces exactly as `caddm detect` does: the same alignment, input
 * normalisation, network, artifact boxes and report rounding, with a model
 * loaded from a web model folder (`caddm export --web`).
 *
 * ```ts
 * import { checkWebConfig, netFromWebModel, detectImage, faceReport } from '@caddm/trainer/web';
 * const config = checkWebConfig(await (await fetch('demo/config.json')).json(), 'demo/config.json');
 * const net = netFromWebModel(config, modelJson, shards, 'demo');
 * const faces = await detectImage({ ...net, config }, image, 'photo.png');
 * ```
 *
 * @packageDocumentation
 */
export type { CaddmConfig } from './config/index.js';
export { toNetInput, IMAGENET_MEAN, IMAGENET_STD, type InputNorm } from './input.js';
export { anchorConfigOf, modelOptionsOf, buildNetWith, type BuiltNet } from './model-core.js';
export { artifactBoxes, anchorProbabilities, type ArtifactBox, type ArtifactBoxOptions } from './detect/artifact.js';
export {
  detectImage,
  scoreAligned,
  NoFaceError,
  type AlignedScore,
  type DetectImageOptions,
  type FaceResult,
  type ScoringModel,
} from './detect/detect.js';
export { faceReport, videoReport, roundReport, NO_FACE, type FaceReport, type ImageReport, type VideoReport } from './detect/report.js';
export {
  checkWebConfig,
  netFromWebModel,
  webModelShards,
  WebModelError,
  WEB_MODEL_FILES,
  WEB_MODEL_FORMAT,
  type WebModelInfo,
  type WebModelJson,
} from './web-model/format.js';
