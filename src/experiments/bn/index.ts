/**
 * The BN experiment, as the CLI sees it: the config and its checks, the runner and its errors,
 * and what a multi-seed run's results show (verdicts, the sweep chart).
 * Importing this does not load TensorFlow.js: only a process that trains does (see run.ts).
 */
export { ConfigError, DEFAULTS, resolveConfig, SWEEP_LEARNING_RATES, type ExperimentConfig, type RawOptions } from './config';
export { DataError } from './data';
export { runExperiment } from './run';
export { bnVerdicts, type BnVerdict, type VerdictGroup } from './verdict';
export { renderSweepChart } from './sweep-chart';
