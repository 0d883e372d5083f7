/**
 * `@caddm/backbones` for browsers (the `browser` export condition): the backbones,
 * graphs, layers, safetensors and state dicts, without the `torch.save` readers
 * (`parseWeights`, `parseTorchCheckpoint`, `readZip`), which inflate with `node:zlib`.
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
export { unpickle, PickleGlobal, isTensorRef, TORCH_STORAGE_DTYPES, type TorchTensorRef, type UnpickleOptions } from './unpickle.js';
export { FastBatchNormalization } from './graph/batch-norm-layer.js';
export { FastConv2D } from './graph/conv-layer.js';
