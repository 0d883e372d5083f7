/**
 * `@caddm/losses`: CADDM's training losses in tfjs: the SSD MultiBox loss
 * (Smooth-L1 on positive anchors, cross-entropy on positives and hard-mined
 * negatives), the image-level classification loss and their weighted sum.
 *
 * ```ts
 * import { caddmLoss, targetTensors } from '@caddm/losses';
 * const { locT, confT } = targetTensors(builder.build(batchTruths));
 * const { total } = caddmLoss({ locP, confP, locT, confT, logits, labels }); // beta 0.1, alpha 1
 * ```
 *
 * @packageDocumentation
 */
export { LossShapeError, LossValueError } from './errors.js';
export { multiBoxLoss, smoothL1, type MultiBoxInputs, type MultiBoxOptions, type MultiBoxLoss } from './multibox.js';
export { hardNegativeMask } from './mining.js';
export { classificationLoss, type ClassificationOptions } from './classification.js';
export { caddmLoss, type CaddmInputs, type CaddmLossOptions, type CaddmLoss } from './caddm.js';
export { targetTensors, type TargetTensors } from './targets.js';
