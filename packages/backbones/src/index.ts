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
export * from './browser.js';
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
