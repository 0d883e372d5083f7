/**
 * Input checks shared by the frame perturbations.
 */
import { contiguous, imageSize, type Image, type ImageU8 } from '@caddm/image';
import { PerturbArgumentError } from './errors.js';

/**
 * Returns the image as a dense `uint8` HWC image (itself when already dense), checking
 * its dtype and, when `channels` is given, its channel count.
 * @throws PerturbArgumentError for a non-`uint8` image or a wrong channel count
 */
export function denseU8(img: Image, op: string, channels?: number): ImageU8 {
  const { channels: c } = imageSize(img);
  if (!(img.data instanceof Uint8Array)) {
    throw new PerturbArgumentError(`${op} needs a uint8 image (values 0..255), got ${Object.prototype.toString.call(img.data).slice(8, -1)}`);
  }
  if (channels !== undefined && c !== channels) {
    throw new PerturbArgumentError(`${op} needs ${channels === 3 ? 'an RGB image (3 channels)' : `${channels} channels`}, got ${c} channel(s)`);
  }
  return contiguous(img as ImageU8);
}
