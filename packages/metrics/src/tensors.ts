/**
 * `@caddm/metrics/tensors`: the measurements that run tfjs models, kept out of
 * the main entry so that the AUC family, the statistics, t-SNE and the charts
 * install and run without TensorFlow.js. Needs `@caddm/tf` (a peer
 * dependency) with a backend initialised (`initBackend()`).
 *
 * - Shapley interaction `I([N])` of a grid of units (paper Eq. 1, S = N) for
 *   any tfjs model: {@link shapleyInteraction}, {@link interactionAuc}.
 * - Identity linear probe on frozen features (paper Fig. 2, 5b/5d):
 *   {@link linearProbe}.
 *
 * @packageDocumentation
 */
export {
  shapleyInteraction,
  interactionAuc,
  unitBounds,
  type ScoreModel,
  type UnitGrid,
  type InteractionOptions,
  type InteractionResult,
} from './interaction.js';
export type { BaselineSpec } from './baseline.js';
export { linearProbe, type FeatureSet, type ProbeOptions, type ProbeEpoch, type ProbeResult } from './probe.js';
