/**
 * `@caddm/trainer`: configuration, training, evaluation, detection, checkpoints and the `caddm` CLI.
 *
 * @packageDocumentation
 */
export * from './config/index.js';
export * from './checkpoint/index.js';
export * from './train/index.js';
export { buildNet, buildNetWith, anchorConfigOf, modelOptionsOf, type BuiltNet } from './model.js';
export { toNetInput, IMAGENET_MEAN, IMAGENET_STD, type InputNorm } from './input.js';
export { saveRunConfig, loadRun, RunError, RUN_CONFIG, type LoadedRun } from './run.js';
export * from './detect/index.js';
export { checkWebConfig, netFromWebModel, webModelShards, WebModelError, WEB_MODEL_FILES, WEB_MODEL_FORMAT, type WebModelInfo, type WebModelJson } from './web-model/format.js';
export { exportWebModel, type ExportWebOptions, type ExportWebResult } from './web-model/export.js';
export { manifestEvalFrames, equalIntervals, cacheSplits, requireEvalVideos, EvalDataError, type EvalFramesOptions } from './data/eval-frames.js';
export { createProgram, runCli } from './cli/program.js';
export { prepareEmbedded, type EmbeddedOptions, type EmbeddedData } from './data/embedded.js';
export { cacheRoot } from './data/cache-root.js';
export { LoaderSource, loaderOptionsOf } from './data/train-source.js';
export { importWeights, importedConfig, ImportWeightsError, IMPORT_ARCHS, IMPORT_PROVENANCE, type ImportArch, type ImportWeightsOptions, type ImportWeightsResult } from './import-weights.js';
export { writeEvalResults, type EvalProvenance } from './eval-output.js';
export { writeEvalShard, mergeEvalShards, EvalMergeError, EVAL_SHARD_FILE, type EvalShardSettings } from './eval-shards.js';
export { trainJob, evaluateCache, trainDataProblem, TrainDataError, type TrainJobOptions, type TrainJobResult } from './job.js';
