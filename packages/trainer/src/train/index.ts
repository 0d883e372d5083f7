export type { Net, NetOutputs } from './net.js';
export { LayersNet } from './layers-net.js';
export { TrainOptimizer, type OptimizerSettings, type OptimizerState } from './optimizer.js';
export { trainStep, NonFiniteLossError, type TrainBatch, type StepLossOptions, type StepStats } from './step.js';
