/**
 * The BN experiment: for each (BN, learning rate) combination, train the CNN through a
 * MonitoredTrainingSession and log to `<logdir>/<run>` for TensorBoard.
 *
 * The data position is derived from the global step (epoch = step / stepsPerEpoch, and each
 * epoch's order is a seeded permutation), so a resumed run continues exactly where it stopped.
 */
import * as path from 'node:path';
import type { Tf, tfTypes as tfType } from '../../tfjs/tf-types';
import { selectBackend } from '../../tfjs/backend';
import { TfjsCheckpointer } from '../../tfjs/checkpoint';
import { MonitoredTrainingSession } from '../../session';
import { StopAtStepHook, NanTensorHook, ValidationHook, SummarySaverHook, StepCounterHook, ProgressBarHook } from '../../hooks';
import { SummaryWriter } from '../../summary/summary-writer';
import { loadDataset, epochPermutation, gatherBatch, SYNTHETIC_NOTICE, type ImageDataset } from './data';
import { buildModel, createTrainer } from './model';
import { chooseRunDir } from './run-dir';
import { runSpecs, type ExperimentConfig, type RunSpec } from './config';
import { planParallel, runInParallel } from './parallel';

export interface EpochResult {
  epoch: number;
  step: number;
  cost: number;
  accuracy: number;
}

export interface RunResult {
  name: string;
  dir: string;
  useBn: boolean;
  learningRate: number;
  backend: string;
  epochs: EpochResult[];
  finalCost: number;
  finalAccuracy: number;
  steps: number;
  seconds: number;
  msPerStep: number;
  endReason: string;
  /** 130/143 when a SIGINT/SIGTERM stopped the run: the experiment stops there too. */
  signalExitCode?: number;
}

export interface ExperimentIO {
  log: (line: string) => void;
  warn: (line: string) => void;
}

const defaultIO: ExperimentIO = {
  log: (l) => process.stdout.write(l + '\n'),
  warn: (l) => process.stderr.write(l + '\n'),
};

/** `epoch:  0, cost: 2.3026, accuracy: 0.1135`, as the original prints it. */
export function formatEpochLine(e: EpochResult): string {
  return `epoch: ${String(e.epoch).padStart(2)}, cost: ${e.cost.toFixed(4)}, accuracy: ${e.accuracy.toFixed(4)}`;
}

function toTensors(tf: Tf, ds: ImageDataset, normalize: boolean): { xs: tfType.Tensor4D; ys: tfType.Tensor2D } {
  const all = new Uint32Array(ds.n);
  for (let i = 0; i < ds.n; i++) all[i] = i;
  const b = gatherBatch(ds, all, { normalize });
  return { xs: tf.tensor4d(b.xs, [b.size, ds.height, ds.width, 1]), ys: tf.tensor2d(b.ys, [b.size, 10]) };
}

export interface RunExperimentOptions {
  /**
   * Train the runs at the same time, each in its own process (see ./parallel.ts): true forces it,
   * false never, undefined decides (`planParallel`).
   */
  parallel?: boolean;
}

async function loadData(config: ExperimentConfig, io: ExperimentIO) {
  const data = await loadDataset({
    dataset: config.dataset,
    dataDir: config.dataDir,
    csvPath: config.csvPath,
    limit: config.limit,
    seed: config.seed,
    validationFraction: config.validationFraction,
    log: io.warn,
  });
  if (config.dataset === 'synthetic') io.warn(SYNTHETIC_NOTICE);
  io.log(`data: ${data.source}: ${data.train.n} training, ${data.validation.n} validation images`);
  return data;
}

export async function runExperiment(config: ExperimentConfig, io: ExperimentIO = defaultIO, opts: RunExperimentOptions = {}): Promise<RunResult[]> {
  const data = await loadData(config, io);
  const specs = runSpecs(config);
  const plan = planParallel(config, specs, Math.ceil(data.train.n / config.batchSize) * config.epochs, opts.parallel);
  if (plan.concurrency > 1) {
    io.log(`parallel: ${specs.length} runs, ${plan.concurrency} at a time, each in its own process with ${plan.threadsPerRun} WASM thread${plan.threadsPerRun > 1 ? 's' : ''} (--no-parallel: one after another)`);
    return runInParallel(config, specs, plan, io);
  }
  if (opts.parallel === true) io.warn(`parallel: not used (${plan.why})`);

  // After the data, so that a data problem is reported before tfjs spends a second starting up.
  const { tf, name: backend } = await selectBackend(config.backend, { log: io.warn });
  io.log(`backend: ${backend}`);

  const validation = toTensors(tf, data.validation, config.normalize);
  const results: RunResult[] = [];
  try {
    for (const spec of specs) {
      const r = await runOne(tf, backend, config, spec, data.train, validation, io);
      results.push(r);
      if (r.signalExitCode !== undefined) {
        io.warn(`interrupted: stopped after run ${r.name} (step ${r.steps}); continue with --resume`);
        break;
      }
    }
  } finally {
    validation.xs.dispose();
    validation.ys.dispose();
  }
  return results;
}

/** One run in this process with its own data and backend: a child of `runInParallel`. */
export async function runSingle(
  config: ExperimentConfig,
  spec: RunSpec,
  opts: { threads?: number; maxThreads?: number; onBackend?: () => void } = {},
  io: ExperimentIO = defaultIO,
): Promise<RunResult> {
  // The parent already loaded (and reported on) the same data.
  const data = await loadData(config, { log: () => undefined, warn: () => undefined });
  const { tf, name: backend } = await selectBackend(config.backend, { log: io.warn, threads: opts.threads, maxThreads: opts.maxThreads });
  opts.onBackend?.();
  io.log(`backend: ${backend}`);
  const validation = toTensors(tf, data.validation, config.normalize);
  try {
    return await runOne(tf, backend, config, spec, data.train, validation, io);
  } finally {
    validation.xs.dispose();
    validation.ys.dispose();
  }
}

async function runOne(
  tf: Tf,
  backend: string,
  config: ExperimentConfig,
  spec: RunSpec,
  train: ImageDataset,
  validation: { xs: tfType.Tensor4D; ys: tfType.Tensor2D },
  io: ExperimentIO,
): Promise<RunResult> {
  const where = chooseRunDir(config.logdir, spec.name, config);
  if (where.note) io.warn(where.note);
  io.log(`\nrun ${where.name}: batch norm ${spec.useBn ? 'on' : 'off'}, learning rate ${spec.learningRate}, ${config.epochs} epochs -> ${where.dir}`);

  const model = buildModel(tf, { useBn: spec.useBn, seed: config.seed });
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
    chiefOnlyHooks: config.progress ? [new ProgressBarHook({ total: lastStep, tags: ['cost'] })] : [],
  });
  writer.graph(model);
  writer.hparams(
    {
      use_bn: spec.useBn,
      learning_rate: spec.learningRate,
      batch_size: config.batchSize,
      epochs: config.epochs,
      backend,
      dataset: config.dataset,
      normalize: config.normalize,
    },
    ['validation/accuracy', 'validation/cost', 'cost'],
  );

  const started = performance.now();
  const firstStep = session.globalStep;
  let permutationEpoch = -1;
  let permutation: Uint32Array = new Uint32Array(0);
  try {
    while (!session.shouldStop()) {
      const step = session.globalStep;
      const epoch = Math.floor(step / stepsPerEpoch);
      if (epoch !== permutationEpoch) {
        permutation = epochPermutation(train.n, config.seed, epoch);
        permutationEpoch = epoch;
      }
      const b = step % stepsPerEpoch;
      const batch = gatherBatch(train, permutation.subarray(b * config.batchSize, (b + 1) * config.batchSize), { normalize: config.normalize });
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
      if ((e as Error)?.name !== 'EventWriteError') throw e;
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
