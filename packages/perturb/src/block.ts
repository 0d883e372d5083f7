/**
 * Local block-wise distortion (DeeperForensics' `block_wise`): grey 8×8 blocks at random
 * positions.
 */
import { cloneImage, imageSize, type Image, type ImageU8, type Rng } from '@caddm/image';
import { PerturbArgumentError } from './errors.js';
import { denseU8 } from './u8.js';

/** Side of a block, in pixels. */
export const BLOCK_SIZE = 8;
/** Value of every sample of a block. */
export const BLOCK_VALUE = 128;

/**
 * Number of blocks the reference draws: `min(H, W) // 256 × blocksPer256`. Frames whose
 * shorter side is under 256 pixels therefore get no block at all (a 250×250 LFW face
 * is left unchanged), which is why the perturbations apply to whole frames before cropping.
 * @param height - frame height
 * @param width - frame width
 * @param blocksPer256 - the level's parameter (16, 32, 48, 64, 80)
 */
export function blockCount(height: number, width: number, blocksPer256: number): number {
  if (!Number.isInteger(blocksPer256) || blocksPer256 < 0) throw new PerturbArgumentError(`blocks per 256 pixels must be a non-negative integer, got ${blocksPer256}`);
  return Math.floor(Math.min(height, width) / 256) * blocksPer256;
}

/** Top-left corner of a block. */
export interface BlockPosition {
  /** Row of the top edge. */
  y: number;
  /** Column of the left edge. */
  x: number;
}

/**
 * Draws the blocks' top-left corners as the reference does: for each block a column
 * uniform in `[0, W - 1 - 8]` then a row uniform in `[0, H - 1 - 8]` (both inclusive, like
 * Python's `random.randint`), so a block never touches the last row or column. Blocks may overlap.
 * @param height - frame height
 * @param width - frame width
 * @param blocksPer256 - the level's parameter
 * @param rng - seeded random source
 */
export function blockPositions(height: number, width: number, blocksPer256: number, rng: Rng): BlockPosition[] {
  const n = blockCount(height, width, blocksPer256);
  if (n === 0) return [];
  if (!rng || typeof rng.int !== 'function') throw new PerturbArgumentError('block-wise distortion needs an rng (createRng(seed) from @caddm/image)');
  const out: BlockPosition[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = rng.int(0, width - BLOCK_SIZE);
    const y = rng.int(0, height - BLOCK_SIZE);
    out[i] = { y, x };
  }
  return out;
}

/**
 * Local block-wise distortion: a copy of `img` with {@link blockCount} grey ({@link BLOCK_VALUE})
 * 8×8 blocks at the positions of {@link blockPositions}.
 * @param img - `uint8` image with any number of channels (not modified)
 * @param blocksPer256 - the level's parameter (16, 32, 48, 64, 80)
 * @param rng - seeded random source (only drawn from when at least one block is placed)
 * @throws PerturbArgumentError for a non-`uint8` image, a bad count, or a missing rng
 */
export function blockWise(img: Image, blocksPer256: number, rng: Rng): ImageU8 {
  const src = denseU8(img, 'blockWise');
  const { height: h, width: w, channels: c } = imageSize(src);
  const positions = blockPositions(h, w, blocksPer256, rng);
  const out = cloneImage(src);
  const d = out.data;
  const rowLen = w * c;
  const span = BLOCK_SIZE * c;
  for (const { y, x } of positions) {
    for (let r = y; r < y + BLOCK_SIZE; r++) {
      const o = r * rowLen + x * c;
      d.fill(BLOCK_VALUE, o, o + span);
    }
  }
  return out;
}
