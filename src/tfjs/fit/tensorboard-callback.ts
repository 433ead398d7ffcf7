/**
 * `tensorBoard(logdir, options)`: tfjs-node's `tf.node.tensorBoard` callback for `model.fit`, on any
 * backend (no native TensorFlow), with its options and tag names:
 * - `batch_<metric>` after every batch (updateFreq 'batch'), `epoch_<metric>` after every epoch;
 * - `val_<metric>` values go to `<logdir>/val` (as `epoch_<metric>`), the rest to `<logdir>/train`;
 *   fit's `batch`, `size` and `num_steps` are bookkeeping and are skipped.
 * Steps: an epoch's is epoch + 1 (as tfjs-node); a batch's counts batches from epoch 0 when fit
 * knows the epoch length, so a fit resumed with `initialEpoch` continues the curve.
 *
 * What tfjs-node's lacks: the model graph (train run), weight histograms every `histogramFreq`
 * epochs (train run, at the epoch's step), the run's hparams (an HParams session in `logdir`
 * itself, its metrics declared in the train and val groups, as Keras' hparams callback does), and
 * it never throws into fit: a missing or undefined value is skipped, NaN and ±Infinity are logged as
 * they are, and any failure is reported (`onError`, else one line on stderr) while training goes on.
 * The writers are flushed when training ends; `close()` closes them.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { SummaryWriter, type HparamValue, type MetricInfo } from '../../summary';
import { batchesPerEpoch, metricNames } from './fit-params';
import { readLogs, VAL_PREFIX, type FitLogs } from './logs';

export interface TensorBoardCallbackArgs {
  /** 'epoch' (default): epoch_* scalars only; 'batch': batch_* scalars after every batch as well. */
  updateFreq?: 'batch' | 'epoch';
  /** Weight histograms every N epochs (0, the default: none), as Keras' histogram_freq. */
  histogramFreq?: number;
  /** The model's graph in the train run when training begins (default true). */
  writeGraph?: boolean;
  /** Hyperparameters of this run, for TensorBoard's HParams dashboard. */
  hparams?: Record<string, HparamValue>;
  /** Errors while logging (I/O, a value the writer refused); default: the first one on stderr. */
  onError?: (error: Error) => void;
}

type Run = 'train' | 'val';

export class TensorBoardCallback extends tf.Callback {
  readonly logdir: string;
  private readonly updateFreq: 'batch' | 'epoch';
  private readonly histogramFreq: number;
  private readonly writeGraph: boolean;
  private readonly hparams: Record<string, HparamValue> | undefined;
  private readonly onError: ((error: Error) => void) | undefined;
  private readonly writers = new Map<Run | 'root', SummaryWriter>();
  private batchesSeen = 0;
  private epoch = 0;
  private epochLength: number | undefined;
  private graphWritten = false;
  private hparamsEnded = false;
  private reported = false;

  constructor(logdir = './logs', args: TensorBoardCallbackArgs = {}) {
    super();
    const updateFreq = args.updateFreq ?? 'epoch';
    if (updateFreq !== 'batch' && updateFreq !== 'epoch') throw new TypeError(`tensorBoard: updateFreq must be 'batch' or 'epoch', got ${String(updateFreq)}`);
    const histogramFreq = args.histogramFreq ?? 0;
    if (!Number.isInteger(histogramFreq) || histogramFreq < 0) throw new RangeError(`tensorBoard: histogramFreq must be a non-negative integer (epochs), got ${histogramFreq}`);
    this.logdir = logdir;
    this.updateFreq = updateFreq;
    this.histogramFreq = histogramFreq;
    this.writeGraph = args.writeGraph ?? true;
    this.hparams = args.hparams;
    this.onError = args.onError;
  }

  override async onTrainBegin(): Promise<void> {
    await this.guard(() => {
      this.epochLength = batchesPerEpoch(this.params);
      if (this.writeGraph && !this.graphWritten) {
        this.graphWritten = true;
        this.writer('train').graph(this.model);
      }
      if (this.hparams && !this.writers.has('root')) this.startHparams(this.hparams);
    });
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, logs?: FitLogs): Promise<void> {
    this.batchesSeen++;
    if (this.updateFreq !== 'batch') return;
    const step = this.epochLength !== undefined ? this.epoch * this.epochLength + batch + 1 : this.batchesSeen;
    await this.guard(async () => this.logMetrics(await readLogs(logs), 'batch_', step));
  }

  override async onEpochEnd(epoch: number, logs?: FitLogs): Promise<void> {
    await this.guard(async () => {
      this.logMetrics(await readLogs(logs), 'epoch_', epoch + 1);
      if (this.histogramFreq > 0 && (epoch + 1) % this.histogramFreq === 0) await this.logWeights(epoch + 1);
    });
  }

  override async onTrainEnd(): Promise<void> {
    await this.guard(async () => {
      const root = this.writers.get('root');
      if (root && !this.hparamsEnded) {
        this.hparamsEnded = true;
        root.endHparams('success');
      }
      await Promise.all([...this.writers.values()].map((w) => w.flush()));
    });
  }

  /** Closes the event files (after the last fit with this callback). */
  async close(): Promise<void> {
    await Promise.all([...this.writers.values()].map((w) => w.close()));
  }

  private writer(run: Run | 'root'): SummaryWriter {
    let w = this.writers.get(run);
    if (!w) {
      w = new SummaryWriter(run === 'root' ? this.logdir : path.join(this.logdir, run), { onError: (e) => this.report(e) });
      this.writers.set(run, w);
    }
    return w;
  }

  private logMetrics(values: Record<string, number>, prefix: string, step: number): void {
    for (const [key, value] of Object.entries(values)) {
      if (key.startsWith(VAL_PREFIX)) this.writer('val').scalar(prefix + key.slice(VAL_PREFIX.length), value, step);
      else this.writer('train').scalar(prefix + key, value, step);
    }
  }

  /** Read here, not by the writer later: the next batch replaces the variables' values. */
  private async logWeights(step: number): Promise<void> {
    for (const w of this.model.weights) this.writer('train').histogram(w.name, await w.read().data(), step);
  }

  /** An HParams session in `logdir`, its epoch metrics declared where they are written (train/, val/). */
  private startHparams(hparams: Record<string, HparamValue>): void {
    const metrics: MetricInfo[] = metricNames(this.params).map((name) =>
      name.startsWith(VAL_PREFIX)
        ? { tag: `epoch_${name.slice(VAL_PREFIX.length)}`, group: 'val', datasetType: 'validation' }
        : { tag: `epoch_${name}`, group: 'train', datasetType: 'training' },
    );
    const hparamInfos = Object.entries(hparams).map(([name, v]) => ({ name, type: typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : 'float64' }) as const);
    const root = this.writer('root');
    root.hparamsConfig({ hparams: hparamInfos, metrics });
    root.hparams(hparams, undefined, { experiment: false });
  }

  private async guard(fn: () => void | Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.report(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private report(e: Error): void {
    if (this.onError) {
      this.onError(e);
    } else if (!this.reported) {
      this.reported = true;
      process.stderr.write(`tbkit: tensorBoard callback (${this.logdir}): ${e.message} (training goes on; later errors are not printed)\n`);
    }
  }
}

/**
 * The fit callback: `await model.fit(xs, ys, { callbacks: tensorBoard('logs/run1') })`, then
 * `tensorboard --logdir logs`.
 */
export function tensorBoard(logdir = './logs', args?: TensorBoardCallbackArgs): TensorBoardCallback {
  return new TensorBoardCallback(logdir, args);
}
