/**
 * `@caddm/experiments`: the paper's tables and figures, one command each.
 *
 * @packageDocumentation
 */
export { EXPERIMENTS, PLANNED, findExperiment } from './registry.js';
export { main, parseCli, parseSets, UsageError } from './cli.js';
export {
  paperExperimentData,
  paperInputProblems,
  detectDataSource,
  preparePaperCache,
  PaperInputError,
  PAPER_DATA,
  type PaperDataKey,
  type PaperNeeds,
  type PaperTrainData,
  type DataSource,
} from './protocol/paper-data.js';
export type { ExperimentData, TrainData, CrossTest } from './protocol/data.js';
export { writeReport, gitCommit, runCommit, type RunMeta } from './report.js';
export type { Experiment, ExperimentContext, ExperimentResult, PlannedExperiment, Profile } from './types.js';
export * as paper from './paper.js';
