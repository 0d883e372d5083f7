/**
 * `@caddm/backbones`: tfjs backbones (ResNet-18/34/50 in torchvision
 * layout, EfficientNet-b0..b7 in efficientnet_pytorch layout, Xception in
 * timm/FF++ layout) that return their last feature map and its
 * global-average-pooled feature; a shape-only graph for parameter counts
 * without allocation; and PyTorch weight import/export through
 * `.safetensors`.
 *
 * ```ts
 * import { createBackbone, parseSafetensors } from '@caddm/backbones';
 * const b = createBackbone({ name: 'resnet34' });
 * b.loadStateDict(parseSafetensors(readFileSync('resnet34.safetensors')).tensors);
 * const { features, pooled } = b.apply(x); // [B,7,7,512], [B,512]
 * ```
 *
 * @packageDocumentation
 */
export {
  BACKBONE_NAMES,
  Backbone,
  buildBackbone,
  createBackbone,
  describeBackbone,
  resolveBackboneOptions,
  type BackboneDescription,
  type BackboneGraph,
  type BackboneName,
  type BackboneOptions,
  type BackboneOutputs,
  type ResolvedBackboneOptions,
} from './backbone.js';
export {
  BackboneConfigError,
  SafetensorsFormatError,
  TorchCheckpointError,
  UnsafePickleError,
  WeightImportError,
} from './errors.js';
export { ShapeGraph, type ShapeHandle } from './graph/shape-graph.js';
export { TfGraph, type TfGraphOptions } from './graph/tf-graph.js';
export { countParams, numel } from './graph/shapes.js';
export type {
  ActivationKind,
  BatchNormSpec,
  ConvSpec,
  DenseSpec,
  DepthwiseSpec,
  Graph,
  KernelInit,
  LayerSpec,
  MaxPoolSpec,
  Padding,
  SeparableSpec,
  WeightSpec,
} from './graph/types.js';
export { Scope, tfLayerName } from './naming.js';
export { roundFilters, roundRepeats, type EfficientNetName } from './efficientnet.js';
export type { ResNetName } from './resnet.js';
export {
  parseSafetensors,
  serializeSafetensors,
  toFloat32,
  type SafeTensor,
  type SafetensorsDtype,
  type SafetensorsFile,
} from './safetensors.js';
export {
  loadStateDict,
  stateDict,
  tfToTorch,
  torchToTf,
  type LayerLookup,
  type LoadStateDictOptions,
  type LoadStateDictResult,
  type StateDict,
  type StateDictOptions,
} from './state-dict.js';
export {
  describeWeightsFile,
  isLegacyTorchFile,
  parseTorchCheckpoint,
  parseWeights,
  STATE_DICT_ENTRIES,
  WEIGHT_FILE_EXTENSIONS,
  type TorchCheckpointOptions,
  type WeightsFile,
} from './torch-checkpoint.js';
export { readZip, type ZipArchive, type ZipEntry, type ZipLimits } from './torch-zip.js';
export { unpickle, PickleGlobal, isTensorRef, TORCH_STORAGE_DTYPES, type TorchTensorRef, type UnpickleOptions } from './unpickle.js';
export { FastBatchNormalization } from './graph/batch-norm-layer.js';
export { FastConv2D } from './graph/conv-layer.js';
