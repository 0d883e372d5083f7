/**
 * `@caddm/metrics`: the measurements of the CADDM paper, usable on any model.
 *
 * - AUC family: {@link rocAuc}, {@link rocCurve}, {@link averagePrecision},
 *   {@link eer}, {@link accuracyAt}, {@link videoAuc} (scikit-learn / reference
 *   semantics, checked against the golden fixture).
 * - On tfjs models, from `@caddm/metrics/tensors` (which needs `@caddm/tf`;
 *   this entry does not): the Shapley interaction `I([N])` of a grid of units
 *   (paper Eq. 1, S = N: `shapleyInteraction`, `interactionAuc`) and the
 *   identity linear probe on frozen features (paper Fig. 2, 5b/5d: `linearProbe`).
 * - Exact, seeded t-SNE and kNN label agreement: {@link tsne},
 *   {@link knnAgreement}.
 * - Statistics of reported AUCs (tensor-free): DeLong variance and tests
 *   ({@link delongAuc}, {@link delongPaired}, {@link aucVsChance}),
 *   identity-cluster bootstrap intervals ({@link clusterBootstrapAuc},
 *   {@link clusterBootstrapAucDiff}, {@link clusterBootstrap}), the normal
 *   distribution ({@link normalCdf}, {@link normalQuantile}) and
 *   {@link meanSd} over seeds.
 * - Headless plots as SVG and PNG (no browser): {@link rocChart},
 *   {@link probeChart}, {@link tsneChart}, {@link lineChart},
 *   {@link scatterChart}, {@link barChart}, {@link svgToPng},
 *   {@link writeChart}.
 *
 * @packageDocumentation
 */
export { MetricsInputError, type MetricsInputProblem } from './errors.js';
export type { BinaryLabels, Scores } from './validate.js';
export {
  rocCurve,
  rocAuc,
  averagePrecision,
  eer,
  eerPoint,
  accuracyAt,
  type RocCurve,
  type RocCurveOptions,
  type EerOptions,
  type EerPoint,
} from './roc.js';
export { videoAuc, videoId, type VideoScore, type VideoAucResult } from './video.js';
export { seededRng, type Rng } from './rng.js';
export { normalCdf, normalQuantile } from './stats/normal.js';
export {
  delongAuc,
  delongPaired,
  aucVsChance,
  type DelongAuc,
  type DelongPaired,
  type DelongOptions,
  type AucVsChance,
} from './stats/delong.js';
export {
  clusterBootstrap,
  clusterBootstrapAuc,
  clusterBootstrapAucDiff,
  type ClusterBootstrapOptions,
  type ClusterBootstrapResult,
  type WeightedStatistic,
} from './stats/bootstrap.js';
export { meanSd, type MeanSd } from './stats/summary.js';
export type { ProbeEpoch, ProbeResult } from './probe-result.js';
export { tsne, type TsneOptions, type TsneResult } from './tsne.js';
export { knnAgreement, knnAgreementPoints } from './knn.js';
export type { Points } from './rows.js';
export * from './plot/index.js';
