/**
 * `@caddm/anchors`: the multi-scale default anchors of CADDM's Artifact
 * Detection Module, SSD matching and box coding, batched training targets and
 * NMS, on plain typed arrays (no tensors).
 *
 * ```ts
 * import { priorBoxes, matchAnchors, TargetBuilder } from '@caddm/anchors';
 * const priors = priorBoxes();                      // 168 anchors (cx, cy, w, h)
 * const { loc, conf } = matchAnchors([{ x0: 0, y0: 0, x1: 1, y1: 1 }], priors);
 * const targets = new TargetBuilder(priors).build([[{ x0: 0, y0: 0, x1: 1, y1: 1 }], []]);
 * ```
 *
 * Arithmetic that decides matches (IoU, thresholds) follows the PyTorch
 * reference's float32 operations step by step, so results are bit-identical
 * to it, ties included.
 *
 * @packageDocumentation
 */
export { InvalidBoxError, AnchorConfigError, AnchorShapeError } from './errors.js';
export {
  DEFAULT_ANCHOR_CONFIG,
  ANCHORS_PER_CELL,
  validateAnchorConfig,
  scaleAnchorConfig,
  anchorCount,
  type AnchorConfig,
} from './config.js';
export { priorBoxes, asPriors, priorsToPointForm, type Priors, type PriorsLike } from './priors.js';
export {
  checkBox,
  toCentre,
  toPoint,
  boxesFromArrays,
  iou,
  RANGE_TOLERANCE,
  type Box,
  type CentreBox,
  type OutOfRangePolicy,
} from './box.js';
export { overlapMatrix } from './overlap.js';
export { encodeBoxes, decodeBoxes, DEFAULT_VARIANCES, type Variances } from './coding.js';
export { matchAnchors, prepareMatcher, type Matcher, type MatchOptions, type MatchResult } from './match.js';
export { buildTargets, TargetBuilder, type BatchTargets, type BuildTargetsOptions } from './targets.js';
export { nms, type NmsOptions } from './nms.js';
