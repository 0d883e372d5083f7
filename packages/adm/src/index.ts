/**
 * `@caddm/adm`: the Artifact Detection Module and the full CADDM model
 * (paper Sec. 4.1, Fig. 3; reference `backbones/adm.py`, `caddm.py`), the
 * binary-classifier baseline, the plug-in form of the ADM, parameter
 * counts without allocation, and save/load.
 *
 * ```ts
 * import { createCaddm, saveModel, loadModel } from '@caddm/adm';
 * const m = createCaddm({ backbone: 'resnet34', inputSize: 224 });
 * const { loc, conf, logits } = m.apply(x, { training: true }); // [B,168,4] [B,168,2] [B,2]
 * const pFake = m.predict(x);                                    // [B]
 * await saveModel(m, 'runs/ckpt');                               // model.json + shards
 * ```
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
export {
  loadModel,
  modelMetadata,
  readStateDict,
  type ReadStateDictOptions,
  saveModel,
  wrapLayersModel,
  writeStateDict,
  type SaveModelOptions,
  type SavedModelMetadata,
} from './io.js';
