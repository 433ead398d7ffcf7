/** `tbkit experiment`: the BN experiment (`npm start`). */
import type { Command } from 'commander';
import { UsageError } from './errors';
import { ConfigError, DEFAULTS, resolveConfig, type RawOptions } from '../experiments/bn/config';

export function registerExperimentCommand(program: Command): void {
  program
    .command('experiment')
    .description('Train the CNN on MNIST with and without Batch Normalization, logging to TensorBoard (one run directory per run).')
    .option('--logdir <dir>', 'where the run directories go', DEFAULTS.logdir)
    .option('--data-dir <dir>', 'directory with the four MNIST .gz IDX files (default: $MNIST_DIR, then ~/.cache/tbkit/mnist, then download)')
    .option('--dataset <name>', 'mnist | csv | synthetic (generated digit-like images, for an offline smoke test)')
    .option('--csv <file>', "Kaggle Digit Recognizer train.csv (implies --dataset csv)")
    .option('--limit <n>', 'train on the first N training images only (before the 10% validation split)')
    .option('--epochs <n>', 'epochs per run', String(DEFAULTS.epochs))
    .option('--batch-size <n>', 'batch size', String(DEFAULTS.batchSize))
    .option('--lr <rates>', 'learning rate(s), comma-separated: every combination with --bn is run', String(DEFAULTS.learningRates[0]))
    .option('--bn <which>', 'on | off | both', DEFAULTS.bn)
    .option('--backend <name>', 'auto | tensorflow | wasm | cpu (auto: tfjs-node when it loads, else WASM)', DEFAULTS.backend)
    .option('--seed <n>', 'seed of the weights and of the shuffling', String(DEFAULTS.seed))
    .option('--normalize', 'scale pixels to [0,1] (the original feeds raw 0-255 pixels)')
    .option('--overwrite', 'replace existing run directories (default: a new directory with a -2, -3… suffix)')
    .option('--resume', 'continue existing runs from their last checkpoint')
    .option('--summary-steps <n>', 'write the training cost every N steps', String(DEFAULTS.summarySteps))
    .option('--checkpoint-steps <n>', 'save a checkpoint every N steps', String(DEFAULTS.checkpointSteps))
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples
  $ tbkit experiment                                  # BN off and on at lr 0.01, 5 epochs (the original)
  $ tbkit experiment --lr 0.01,0.001 --bn both        # four runs
  $ tbkit experiment --data-dir ~/mnist --limit 2000 --epochs 1
  $ tbkit experiment --dataset synthetic --limit 1000  # offline smoke test
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
      // Loaded here so that `tbkit inspect/export/compare` never pay for tfjs.
      const { runExperiment } = await import('../experiments/bn/run');
      await runExperiment(config);
    });
}
