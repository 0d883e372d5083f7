/**
 * `@caddm/datasets`: readers for FF++, Celeb-DF v2, DFDC and identity folders; video
 * decoding with ffmpeg; preprocessing into a resumable frame cache; the embedded forgery
 * benchmark; the reference's augmentations; the training data loader.
 *
 * ```ts
 * import { openDataset, entriesOf } from '@caddm/datasets';
 * const ds = openDataset('/data/FaceForensics++', { compression: 'c23' });
 * const train = entriesOf(ds, 'train'); // VideoEntry[]: id, label, path, sourceId, ...
 * ```
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './types.js';
export { FFPP_METHODS, FFPP_COMPRESSIONS, readFFpp, type FfppOptions } from './readers/ffpp.js';
export { readSplitFile, readSplitFolder, type SplitPairs, type SplitAssignment } from './readers/split-file.js';
export { CELEBDF_FOLDERS, CELEBDF_TEST_LIST, readCelebDF, readCelebDfTestList, type CelebDfOptions } from './readers/celebdf.js';
export { readDFDC, readDfdcMetadata, readDfdcLabelsCsv, type DfdcOptions, type DfdcRecord } from './readers/dfdc.js';
export { readIdentityFolders, type IdentityOptions } from './readers/identity.js';
export { openDataset, confineToRoot, detectDatasetKind, type DatasetKind, type OpenOptions } from './readers/open.js';
export { VIDEO_EXTENSIONS, IMAGE_EXTENSIONS, listFrameFiles } from './readers/fs-util.js';
export { findFfmpegTools as findFfmpeg, requireFfmpegTools as requireFfmpeg, type FfmpegTools } from '@caddm/ffmpeg';
export {
  sampleFrameIndices,
  probeVideo,
  probeMedia,
  decodeVideoFrames,
  decodeMediaFrames,
  type VideoInfo,
  type DecodedFrames,
} from './video/decode.js';
export { encodeMp4, type EncodeOptions } from './video/encode.js';
export { encodePng, decodePng, PngFormatError } from './io/png.js';
export { readImageFile, writePngFile, writeFileAtomic } from './io/read-image.js';
export { encodeMp4Batch } from './video/encode.js';
export { readMp4Info, type Mp4Info } from './video/mp4.js';
export {
  faceApiDetector,
  sidecarDetector,
  landmarkArea,
  type LandmarkDetector,
  type FaceCandidate,
  type DetectContext,
  type LandmarkSidecar,
} from './preprocess/detector.js';
export {
  MANIFEST_VERSION,
  loadManifest,
  appendManifest,
  type ManifestVideo,
  type ManifestFrame,
  type SourceFrameRef,
  type LoadedManifest,
} from './preprocess/manifest.js';
export { preprocess, formatSummary, type PreprocessOptions, type PreprocessSummary, type PreprocessSettings, type FrameIssue } from './preprocess/preprocess.js';
export { stableHash, shardOf, inShard, shardDir, parseShard, parseShardDirName, type Shard } from './shard/shard.js';
export { mergePreprocessShards, listShards, type CacheMergeResult } from './shard/merge-cache.js';
export {
  generateBenchmark,
  pairIdentities,
  BENCHMARK_PROFILES,
  BENCHMARK_VERSION,
  PHOTO_FRAME_SIZE,
  formatPhotoReport,
  type BenchmarkOptions,
  type BenchmarkProfile,
  type BenchmarkResult,
  type PhotoFaces,
  type PhotoReport,
} from './benchmark/generate.js';
export {
  faceApiAnalyzer,
  loadPhotoPeople,
  photoSplitSizes,
  descriptorDistance,
  MIN_PHOTO_PEOPLE,
  type PhotoFace,
  type PhotoFaceAnalyzer,
  type PhotoPeople,
  type PhotoPerson,
  type PhotoSplitSizes,
  type PhotoUse,
  type UsablePhoto,
} from './benchmark/photos.js';
export { benchmarkPeople, targetVideoName } from './benchmark/identities.js';
export {
  TRAIN_METHODS,
  CROSS_METHODS,
  deepfakes,
  face2face,
  faceSwap,
  neuralTextures,
  hqSwap,
  type Manipulation,
  type FrameData,
} from './benchmark/methods.js';
export {
  sampleIdentity,
  swappedIdentity,
  identityVector,
  INNER_FACE_KEYS,
  OUTER_FACE_KEYS,
  canonicalPoints,
  projectPoints,
  poseMatrix,
  type Identity,
  type Expression,
  type Pose,
} from './benchmark/face-model.js';
export { renderFace, sampleScene, type Scene, type RenderedFrame } from './benchmark/render.js';
export { donorIdentityProbe, type DonorProbeOptions, type DonorProbeResult, type RegionAttribution } from './benchmark/donor-probe.js';
export { makeCanvas, type Canvas } from './benchmark/raster.js';
export {
  augment,
  resolveAugment,
  REFERENCE_AUGMENT,
  REFERENCE_AS_RELEASED_AUGMENT,
  NO_AUGMENT,
  type AugmentConfig,
  type AugmentResult,
} from './augment/augment.js';
export {
  hflip,
  jpegCompress,
  minMaxNormalize,
  lowFrequencyNoise,
  hsvScale,
  adjustGamma,
  motionKernel,
  motionBlur,
  gaussianBlur3,
  gaussianNoise,
  colourTone,
  resizeDownUp,
  RESIZE_INTERPOLATIONS,
  type PixelBox,
} from './augment/ops.js';
export { fitLogistic, predictLogistic, balancedAccuracy, crossValidatedAccuracy, type LogisticModel } from './stats/logistic.js';
export { FrameLoader, type LoaderOptions, type LoaderSkips } from './loader/loader.js';
export { buildBatch, sampleSeed, type Batch, type BatchOptions } from './loader/batch.js';
export { prepareSample, REFERENCE_WINDOWS, SYNTHESES, type Synthesis, type SampleSpec, type SampleOptions, type PreparedSample } from './loader/sample.js';
export { jpegArtifacts, quantTable } from './augment/jpeg.js';
export { ensureBenchmark, type EnsureBenchmarkOptions, type EnsuredBenchmark } from './benchmark/ensure.js';
