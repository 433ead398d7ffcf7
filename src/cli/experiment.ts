/** `tbkit experiment`: the BN experiment (`npm start`). */
import type { Command } from 'commander';
import { UsageError } from './errors';
import { printGroupedSummary, printSummary } from './experiment-summary';
import { ConfigError, DataError, DEFAULTS, resolveConfig, runExperiment, SWEEP_LEARNING_RATES, type RawOptions } from '../experiments/bn';
import { tfjsMissingMessage } from '../tfjs/tf-types';

export function registerExperimentCommand(program: Command): void {
  program
    .command('experiment')
    .description('train the CNN on MNIST with and without Batch Normalization, logging each run to its own TensorBoard run directory')
    .option('--logdir <dir>', 'where the run directories go', DEFAULTS.logdir)
    .option('--data-dir <dir>', 'directory with the four MNIST .gz IDX files (default: $MNIST_DIR, then ~/.cache/tbkit/mnist, then download)')
    .option('--dataset <name>', 'mnist | csv | synthetic (generated digit-like images, for an offline smoke test)')
    .option('--csv <file>', "Kaggle Digit Recognizer train.csv (implies --dataset csv)")
    .option('--limit <n>', 'train on the first N training images only (before the 10% validation split)')
    .option('--epochs <n>', 'epochs per run', String(DEFAULTS.epochs))
    .option('--batch-size <n>', 'batch size', String(DEFAULTS.batchSize))
    .option('--lr <rates>', `learning rate(s), comma-separated: every combination with --bn is run (default ${DEFAULTS.learningRates.join(',')})`)
    .option('--bn <which>', 'on | off | both', DEFAULTS.bn)
    .option('--backend <name>', 'auto | tensorflow | wasm | cpu (auto: tfjs-node when it loads, else WASM)', DEFAULTS.backend)
    .option('--seed <n>', `seed of the split, the weights and the shuffling (default ${DEFAULTS.seed}); a list (1,2,3) runs each configuration once per seed`)
    .option('--seeds <n>', 'run each configuration once per seed 1..N (run names end in -s1, -s2, …; hparam seed)')
    .option('--sweep <what>', `preset sweep: lr = learning rates ${SWEEP_LEARNING_RATES.join(', ')} × BN on/off, then a chart of final accuracy vs learning rate`)
    .option('--normalize', 'scale pixels to [0,1] (the original feeds raw 0-255 pixels)')
    .option('--overwrite', 'replace existing run directories (default: a new directory with a -2, -3… suffix)')
    .option('--resume', 'continue existing runs from their last checkpoint')
    .option('--summary-steps <n>', 'write the training cost every N steps', String(DEFAULTS.summarySteps))
    .option('--checkpoint-steps <n>', 'save a checkpoint every N steps', String(DEFAULTS.checkpointSteps))
    .option('--no-progress', 'no progress bar')
    .option('--parallel', 'train the runs at the same time, one process each (default: when there are 2+ runs of 500+ steps, 2+ cores and the WASM backend)')
    .option('--no-parallel', 'train the runs one after another in this process')
    .addHelpText(
      'after',
      `
Examples
  $ tbkit experiment                                  # BN off and on at lr 0.01, 5 epochs (the original)
  $ tbkit experiment --lr 0.01,0.001 --bn both        # four runs
  $ tbkit experiment --data-dir ~/mnist --limit 2000 --epochs 1
  $ tbkit experiment --dataset synthetic --limit 1000  # offline smoke test
  $ tbkit experiment --seeds 3                        # 3 seeds per configuration: grouped table, bands, verdicts
  $ tbkit experiment --sweep lr --seeds 3 --epochs 2  # accuracy vs learning rate, with intervals
  $ tensorboard --logdir logs                         # then open http://localhost:6006
`,
    )
    .action(async (raw: RawOptions) => {
      let config;
      try {
        config = resolveConfig(raw);
      } catch (e) {
        if (e instanceof ConfigError) throw new UsageError(e.message);
        throw e;
      }
      // tfjs is an optional peer dependency: say what to install before any of it is required.
      const missing = tfjsMissingMessage('tbkit experiment', { wasm: config.backend === 'auto' || config.backend === 'wasm' });
      if (missing) throw new UsageError(missing);
      let results;
      try {
        results = await runExperiment(config, undefined, { parallel: raw.parallel === undefined ? undefined : Boolean(raw.parallel) });
      } catch (e) {
        // Bad data and a missing backend are the user's to fix: a message, not a stack trace.
        if (e instanceof DataError || isBackendUnavailable(e)) throw new UsageError((e as Error).message);
        throw e;
      }
      const interrupted = results.find((r) => r.signalExitCode !== undefined);
      if (interrupted) process.exitCode = interrupted.signalExitCode;
      if (results.length === 0) return;
      if (config.seeds || config.sweep) printGroupedSummary(config, results.map((r) => r.name));
      else printSummary(config.logdir);
    });
}

/**
 * Required only here, on a failure: `tbkit inspect/export/compare` and the parallel scheduler never
 * load tfjs, and a process that trained has it loaded already. require(), not import(): bin/tbkit.js
 * runs the sources through tsx's CommonJS hook, which import() bypasses.
 */
function isBackendUnavailable(e: unknown): boolean {
  const { BackendUnavailableError } = require('../tfjs') as typeof import('../tfjs');
  return e instanceof BackendUnavailableError;
}
