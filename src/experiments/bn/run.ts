/**
 * The BN experiment: every (BN, learning rate) combination of the config, trained one after another
 * in this process (train-run.ts) or side by side in child processes (parallel.ts).
 */
import { runSpecs, type ExperimentConfig } from './config';
import { loadExperimentData } from './experiment-data';
import { planParallel, runInParallel } from './parallel';
import { DEFAULT_IO, type ExperimentIO, type RunResult } from './run-types';

export interface RunExperimentOptions {
  /**
   * Train the runs at the same time, each in its own process (see ./parallel.ts): true forces it,
   * false never, undefined decides (`planParallel`).
   */
  parallel?: boolean;
}

export async function runExperiment(config: ExperimentConfig, io: ExperimentIO = DEFAULT_IO, opts: RunExperimentOptions = {}): Promise<RunResult[]> {
  const data = await loadExperimentData(config, io);
  const specs = runSpecs(config);
  const plan = planParallel(config, specs, Math.ceil(data.train.n / config.batchSize) * config.epochs, opts.parallel);
  if (plan.concurrency > 1) {
    io.log(`parallel: ${specs.length} runs, ${plan.concurrency} at a time, each in its own process with ${plan.threadsPerRun} WASM thread${plan.threadsPerRun > 1 ? 's' : ''} (--no-parallel: one after another)`);
    return runInParallel(config, specs, plan, io);
  }
  if (opts.parallel === true) io.warn(`parallel: not used (${plan.why})`);
  // Required here, not imported: only a process that trains loads TensorFlow.js (the parallel
  // parent above only schedules). require(), not import(): bin/tbkit.js runs the sources through
  // tsx's CommonJS hook, which import() bypasses.
  const { trainSequentially } = require('./train-run') as typeof import('./train-run');
  return trainSequentially(config, specs, data, io);
}
