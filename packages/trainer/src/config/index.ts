export * from './schema.js';
export { PROFILES, MINI, PAPER, PAPER_RELEASED } from './profiles.js';
export { loadConfig, resolveConfig, parseOverrides, learningRateAt, deepMerge, ConfigError, type LoadConfigOptions } from './load.js';
