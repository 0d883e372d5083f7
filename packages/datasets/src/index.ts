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
export { openDataset, detectDatasetKind, type DatasetKind, type OpenOptions } from './readers/open.js';
export { VIDEO_EXTENSIONS, IMAGE_EXTENSIONS, listFrameFiles } from './readers/fs-util.js';
export { findFfmpeg, requireFfmpeg, type FfmpegTools } from './video/ffmpeg.js';
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
