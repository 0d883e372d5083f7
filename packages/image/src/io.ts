/**
 * PNG / JPEG reading and writing through jimp 1.x (pure JavaScript codecs), and JPEG
 * re-encoding at a given quality for compression augmentation.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { ImageArgumentError, ImageChannelError, ImageReadError, ImageWriteError } from './errors.js';
import { fromRGBA, imageSize, toRGBA, type Image, type ImageU8 } from './image.js';

// jimp (and its codecs) load on first use, so importing this package stays cheap
let jimpModule: Promise<typeof import('jimp')> | undefined;
function jimp(): Promise<typeof import('jimp')> {
  jimpModule ??= import('jimp');
  return jimpModule;
}

/** Encodings {@link encodeImage} and {@link writeImage} produce. */
export type ImageFormat = 'png' | 'jpeg';

/** Options of {@link readImage} and {@link decodeImage}. */
export interface ReadOptions {
  /** Keep the alpha channel (4 channels) instead of dropping it (default false: RGB). */
  keepAlpha?: boolean;
}

/**
 * Decodes PNG / JPEG (or BMP, GIF, TIFF) bytes into an RGB `uint8` image.
 * @param bytes - encoded file contents
 * @param name - shown in errors (default `<buffer>`)
 * @throws ImageReadError when the bytes cannot be decoded
 */
export async function decodeImage(bytes: Uint8Array, opts: ReadOptions = {}, name = '<buffer>'): Promise<ImageU8> {
  const { Jimp } = await jimp();
  let j: Awaited<ReturnType<typeof Jimp.fromBuffer>>;
  try {
    j = await Jimp.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new ImageReadError(name, e);
  }
  const { data, width, height } = j.bitmap;
  return fromRGBA(data, width, height, opts.keepAlpha ?? false);
}

/**
 * Reads an image file into an RGB `uint8` image.
 * @throws ImageReadError naming the path when the file is missing or undecodable
 */
export async function readImage(path: string, opts: ReadOptions = {}): Promise<ImageU8> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new ImageReadError(path, e);
  }
  return decodeImage(bytes, opts, path);
}

/** Options of {@link encodeImage} and {@link writeImage}. */
export interface EncodeOptions {
  /** JPEG quality 1..100 (default 95). */
  quality?: number;
}

function checkQuality(q: number): void {
  if (!Number.isInteger(q) || q < 1 || q > 100) throw new ImageArgumentError(`JPEG quality must be an integer in 1..100, got ${q}`);
}

/**
 * Encodes an image (1, 3 or 4 channels; float images are rounded and clamped) as PNG or JPEG.
 * @throws ImageChannelError for other channel counts
 */
export async function encodeImage(img: Image, format: ImageFormat, opts: EncodeOptions = {}): Promise<Uint8Array> {
  const { height, width, channels } = imageSize(img);
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ImageChannelError(`cannot encode ${channels} channels (need 1, 3 or 4)`);
  }
  const quality = opts.quality ?? 95;
  checkQuality(quality);
  if (format !== 'png' && format !== 'jpeg') throw new ImageArgumentError(`unknown format ${JSON.stringify(format)} (png or jpeg)`);
  const { Jimp } = await jimp();
  const j = Jimp.fromBitmap({ data: Buffer.from(toRGBA(img).buffer), width, height });
  try {
    const buf = format === 'png' ? await j.getBuffer('image/png') : await j.getBuffer('image/jpeg', { quality });
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw new ImageWriteError('<buffer>', e);
  }
}

/** The format implied by a file name's extension (`.png`, `.jpg`, `.jpeg`). */
export function formatFromPath(path: string): ImageFormat {
  const ext = path.toLowerCase().split('.').pop();
  if (ext === 'png') return 'png';
  if (ext === 'jpg' || ext === 'jpeg') return 'jpeg';
  throw new ImageArgumentError(`cannot tell the image format of ${JSON.stringify(path)} (use .png, .jpg or .jpeg)`);
}

/**
 * Writes an image as PNG or JPEG, chosen by the file extension.
 * @throws ImageWriteError naming the path when it cannot be written
 */
export async function writeImage(path: string, img: Image, opts: EncodeOptions = {}): Promise<void> {
  const bytes = await encodeImage(img, formatFromPath(path), opts);
  try {
    await writeFile(path, bytes);
  } catch (e) {
    throw new ImageWriteError(path, e);
  }
}

/**
 * JPEG compression artefacts: encodes an RGB image at `quality` and decodes it again
 * (the reference's JPEG augmentation with quality 15..80). Uses jimp's encoder (jpeg-js:
 * baseline, standard quality-scaled IJG tables, but no chroma subsampling, where OpenCV's
 * libjpeg uses 4:2:0); results differ from OpenCV's in the exact pixel values and slightly
 * in colour bleeding, not in the kind of blocking artefacts.
 */
export async function jpegReencode(img: Image, quality: number): Promise<ImageU8> {
  checkQuality(quality);
  const { channels } = imageSize(img);
  if (channels !== 3) throw new ImageChannelError(`jpegReencode needs an RGB image, got ${channels} channels`);
  return decodeImage(await encodeImage(img, 'jpeg', { quality }));
}
