/**
 * `@caddm/adm` for browsers (the `browser` export condition): the models, without
 * the file IO of `io.ts` (`saveModel`, `loadModel`, state-dict files). In a page,
 * load a saved folder with `tf.loadLayersModel(url)` and wrap it with
 * {@link wrapLayersModel}.
 *
 * @packageDocumentation
 */
export {
  ADM_INPUT_SIZE,
  ANCHORS_PER_CELL,
  CADDM_PRESETS,
  NUM_CLASSES,
  anchorsPerCell,
  featureMapSizes,
  numAnchors,
  resolveCaddmConfig,
  validInputSizes,
  type CaddmOptions,
  type CaddmPreset,
  type ResolvedCaddmConfig,
} from './config.js';
export { CaddmConfigError } from './errors.js';
export { buildAdm, type AdmGraph } from './adm-graph.js';
export {
  ADM_PREFIX,
  BACKBONE_PREFIX,
  FC_PATH,
  buildBaseline,
  buildCaddm,
  buildCaddmHead,
  type CaddmHeads,
} from './caddm-graph.js';
export {
  BaselineModel,
  CaddmModel,
  DeepfakeModel,
  attachAdm,
  createBaseline,
  createCaddm,
  describeCaddm,
  type ApplyOptions,
  type AttachAdmOptions,
  type CaddmDescription,
  type CaddmOutputs,
  type ModelInfo,
  type ModelKind,
} from './model.js';
export { modelMetadata, wrapLayersModel, type SavedModelMetadata } from './wrap.js';
