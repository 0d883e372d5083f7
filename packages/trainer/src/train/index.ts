export type { Net, NetOutputs } from './net.js';
export { LayersNet } from './layers-net.js';
export { TrainOptimizer, type OptimizerSettings, type OptimizerState } from './optimizer.js';
export { trainStep, NonFiniteLossError, type TrainBatch, type StepLossOptions, type StepStats } from './step.js';
export type { SampleBatch, BatchSource, EvalFrame } from './data.js';
export { evaluate, evalSubset, scoreFrames, summariseScores, type EvalResult, type FrameScores, type ScoreOptions } from './evaluate.js';
export { trainRun, type TrainRunOptions, type TrainSummary } from './loop.js';
export { tensorsToSafetensors, safetensorsToArrays, optimizerStateToSafetensors, safetensorsToOptimizerState } from './weights-io.js';
