/**
 * `@caddm/experiments`: the paper's tables and figures, one command each.
 *
 * @packageDocumentation
 */
export { EXPERIMENTS, PLANNED, findExperiment } from './registry.js';
export { main, parseCli, UsageError } from './cli.js';
export { writeReport, type RunMeta } from './report.js';
export type { Experiment, ExperimentContext, ExperimentResult, PlannedExperiment, Profile } from './types.js';
export * as paper from './paper.js';
