/**
 * The BN experiment, as the CLI sees it: the config and its checks, the runner and its errors.
 * Importing this does not load TensorFlow.js: only a process that trains does (see run.ts).
 */
export { ConfigError, DEFAULTS, resolveConfig, type RawOptions } from './config';
export { DataError } from './data';
export { runExperiment } from './run';
