/**
 * Training in this process: the CNN of each run through a MonitoredTrainingSession, logged to
 * `<logdir>/<run>` for TensorBoard. Importing this loads TensorFlow.js (run.ts requires it only in
 * a process that trains).
 *
 * The data position is derived from the global step (epoch = step / stepsPerEpoch, and each
 * epoch's order is a seeded permutation), so a resumed run continues exactly where it stopped.
 */
import * as path from 'node:path';
import type { Tf, tfTypes as tfType } from '../../tfjs/tf-types';
import { selectBackend, TfjsCheckpointer, type SelectBackendOptions } from '../../tfjs';
import { MonitoredTrainingSession } from '../../session';
import { NanTensorHook, ProgressBarHook, StepCounterHook, StopAtStepHook, SummarySaverHook, ValidationHook } from '../../hooks';
import { SummaryWriter } from '../../summary';
import { EventWriteError } from '../../events';
import { gatherBatch, shuffledBatches, type ImageDataset, type LoadedDataset } from './data';
import { buildModel, createTrainer } from './model';
import { chooseRunDir } from './run-dir';
import { hparamsTable, runHparams } from './hparams-table';
import type { ExperimentConfig, RunSpec } from './config';
import type { EpochResult, ExperimentIO, RunResult } from './run-types';

/** `epoch:  0, cost: 2.3026, accuracy: 0.1135`, as the original prints it. */
function formatEpochLine(e: EpochResult): string {
  return `epoch: ${String(e.epoch).padStart(2)}, cost: ${e.cost.toFixed(4)}, accuracy: ${e.accuracy.toFixed(4)}`;
}

interface Validation {
  xs: tfType.Tensor4D;
  ys: tfType.Tensor2D;
}

/** The validation set as two tensors: evaluated whole at the end of each epoch. */
function toTensors(tf: Tf, ds: ImageDataset, normalize: boolean): Validation {
  const all = new Uint32Array(ds.n);
  for (let i = 0; i < ds.n; i++) all[i] = i;
  const b = gatherBatch(ds, all, { normalize });
  return { xs: tf.tensor4d(b.xs, [b.size, ds.height, ds.width, 1]), ys: tf.tensor2d(b.ys, [b.size, 10]) };
}

/**
 * Starts the backend, then runs `train` with the validation tensors, disposed afterwards.
 * `onBackend` is called once the backend is up.
 */
async function withBackend<T>(
  config: ExperimentConfig,
  data: LoadedDataset,
  io: ExperimentIO,
  options: Pick<SelectBackendOptions, 'threads' | 'maxThreads'> & { onBackend?: () => void },
  train: (tf: Tf, backend: string, validation: Validation) => Promise<T>,
): Promise<T> {
  const { tf, name: backend } = await selectBackend(config.backend, { log: io.warn, threads: options.threads, maxThreads: options.maxThreads });
  options.onBackend?.();
  io.log(`backend: ${backend}`);
  const validation = toTensors(tf, data.validation, config.normalize);
  try {
    return await train(tf, backend, validation);
  } finally {
    validation.xs.dispose();
    validation.ys.dispose();
  }
}

/** The runs one after another; an interrupted run (SIGINT/SIGTERM) ends the experiment there. */
export function trainSequentially(config: ExperimentConfig, specs: RunSpec[], data: LoadedDataset, io: ExperimentIO): Promise<RunResult[]> {
  return withBackend(config, data, io, {}, async (tf, backend, validation) => {
    const results: RunResult[] = [];
    for (const spec of specs) {
      const r = await runOne(tf, backend, config, spec, data.train, validation, io);
      results.push(r);
      if (r.signalExitCode !== undefined) {
        io.warn(`interrupted: stopped after run ${r.name} (step ${r.steps}); continue with --resume`);
        break;
      }
    }
    return results;
  });
}

/** One run with the backend's threads given (a child of the parallel scheduler). */
export function trainOne(
  config: ExperimentConfig,
  spec: RunSpec,
  data: LoadedDataset,
  options: { threads?: number; maxThreads?: number; onBackend?: () => void },
  io: ExperimentIO,
): Promise<RunResult> {
  return withBackend(config, data, io, options, (tf, backend, validation) => runOne(tf, backend, config, spec, data.train, validation, io));
}

async function runOne(
  tf: Tf,
  backend: string,
  config: ExperimentConfig,
  spec: RunSpec,
  train: ImageDataset,
  validation: Validation,
  io: ExperimentIO,
): Promise<RunResult> {
  const where = chooseRunDir(config.logdir, spec.name, config);
  if (where.note) io.warn(where.note);
  const seedNote = spec.seed === undefined ? '' : `, seed ${spec.seed}`;
  io.log(`\nrun ${where.name}: batch norm ${spec.useBn ? 'on' : 'off'}, learning rate ${spec.learningRate}${seedNote}, ${config.epochs} epochs -> ${where.dir}`);

  const seed = spec.seed ?? config.seed;
  const model = buildModel(tf, { useBn: spec.useBn, seed });
  const trainer = createTrainer(tf, model, { learningRate: spec.learningRate });
  const stepsPerEpoch = Math.ceil(train.n / config.batchSize);
  const lastStep = stepsPerEpoch * config.epochs;
  const epochs: EpochResult[] = [];
  let endReason = 'unknown';

  const writer = new SummaryWriter(where.dir);
  const session = await MonitoredTrainingSession.create({
    summaryDir: where.dir,
    writer,
    saveSummariesSteps: 0,
    logStepCountSteps: 0,
    checkpointDir: path.join(where.dir, 'checkpoints'),
    saveCheckpointSteps: config.checkpointSteps,
    keepCheckpoints: 2,
    logger: io.log,
    checkpointer: new TfjsCheckpointer(model, trainer.optimizer),
    hooks: [
      { name: 'RecordEndReason', end: (_s, info) => void (endReason = info.reason) },
      new StopAtStepHook({ lastStep }),
      new NanTensorHook('cost', { failOnNan: false }),
      // The training cost every N steps, as the original's summary op.
      new SummarySaverHook({ saveSteps: config.summarySteps, tags: ['cost'], mode: 'modulo' }),
      new StepCounterHook({ everyNSteps: config.summarySteps, mode: 'modulo' }),
      new ValidationHook({
        every: 'epoch',
        stepsPerEpoch,
        fn: async (step) => {
          const m = await trainer.evaluate(validation.xs, validation.ys);
          const e: EpochResult = { epoch: Math.round(step / stepsPerEpoch) - 1, step, cost: m.cost, accuracy: m.accuracy };
          epochs.push(e);
          session.log(formatEpochLine(e));
          return { cost: m.cost, accuracy: m.accuracy };
        },
      }),
    ],
    chiefOnlyHooks: config.progress ? [new ProgressBarHook({ total: lastStep, tags: ['cost'], stream: process.stderr })] : [],
  });
  writer.graph(model);
  writer.hparamsConfig(hparamsTable());
  writer.hparams(runHparams(config, spec, backend));

  const started = performance.now();
  const firstStep = session.globalStep;
  let batchesEpoch = -1;
  let batches: Uint32Array[] = [];
  try {
    while (!session.shouldStop()) {
      const step = session.globalStep;
      const epoch = Math.floor(step / stepsPerEpoch);
      if (epoch !== batchesEpoch) {
        batches = shuffledBatches(train, config.batchSize, seed, epoch);
        batchesEpoch = epoch;
      }
      const b = step % stepsPerEpoch;
      const batch = gatherBatch(train, batches[b], { normalize: config.normalize });
      await session.run(
        () => {
          const xs = tf.tensor4d(batch.xs, [batch.size, train.height, train.width, 1]);
          const ys = tf.tensor2d(batch.ys, [batch.size, 10]);
          const cost = trainer.trainStep(xs, ys);
          xs.dispose();
          ys.dispose();
          return { cost };
        },
        { endOfEpoch: b === stepsPerEpoch - 1 },
      );
    }
  } catch (e) {
    await session.close({ error: e }).catch(() => undefined);
    throw e;
  } finally {
    await session.close();
    // An I/O error (disk full, logdir removed) was already reported once on stderr and training went
    // on; it must not turn a finished run into a crash here.
    await writer.close({ status: endReason === 'error' || endReason === 'nan' ? 'failure' : 'success' }).catch((e: unknown) => {
      if (!(e instanceof EventWriteError)) throw e;
    });
    model.dispose();
    trainer.optimizer.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  const steps = session.globalStep - firstStep;
  const last = epochs[epochs.length - 1];
  return {
    name: where.name,
    dir: where.dir,
    useBn: spec.useBn,
    learningRate: spec.learningRate,
    backend,
    epochs,
    finalCost: last?.cost ?? NaN,
    finalAccuracy: last?.accuracy ?? NaN,
    steps,
    seconds,
    msPerStep: steps > 0 ? (seconds * 1000) / steps : NaN,
    endReason,
    signalExitCode: session.exitCodeForSignal,
  };
}
