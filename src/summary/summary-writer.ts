/**
 * SummaryWriter: one run directory, every TensorBoard summary type.
 *
 * - Calls never block and never throw on I/O (I/O errors go to `onError` / are counted); they
 *   do throw, synchronously, for a bad argument (wrong tag/step/value type), naming it.
 * - Values may be numbers, bigints, Promises, or tensors duck-typed on `data()`/`dataSync()`.
 *   An async value is resolved off the caller's path; its event keeps the wall time of the call.
 *
 * ORDERING GUARANTEE: events of one tag are written in call order, whatever mix of sync and async
 * values was passed (a later sync value of a tag waits behind an earlier pending value of that
 * tag). Events of different tags are not ordered relative to each other while an async value is
 * pending; when every value is synchronous, events are written in call order. `flush()` and
 * `close()` wait for all values pending at the time of the call. A value whose Promise rejects
 * (or resolves to something that is not a number) is reported via `onError` and skipped.
 *
 * Metadata: by default (flavor 'tbkit') SummaryMetadata is written on the first value of a tag
 * per writer, with `data_class` set, as TensorBoard's data loaders need. Flavor 'tensorboard'
 * reproduces TensorBoard's own Python `*_pb` helpers byte for byte: metadata on every value, no
 * `data_class`. `metadata` / `dataClass` override either half.
 *
 * Each method hands its call to the file of its summary type (scalar-tags.ts, histogram.ts, …),
 * which writes through the writer's private WriterContext (writer-context.ts).
 */
import { EventFileWriter, type EventFileWriterOptions, type EventInit } from '../events';
import { coarseNow } from '../util';
import type { Flavor } from './metadata';
import type { ScalarFormat } from './scalar';
import { ScalarTags } from './scalar-tags';
import type { ArrayValue, ScalarValue } from './values';
import { argError, checkStep, type Step } from './validate';
import { WriterContext, type StepOptions, type ValueOptions } from './writer-context';
import { writeAudio, type AudioOptions, type AudioSamples } from './audio';
import { writeCustomScalars, type CustomScalarLayout } from './custom-scalars';
import { writeEmbedding, type EmbeddingInput, type EmbeddingOptions } from './embedding';
import { writeGraph, type GraphOptions } from './graph';
import { writeHistogram, writeHistogramBuckets, writeHistogramRaw, type HistogramOptions, type RawHistogram } from './histogram';
import { HparamsSession, writeExperiment, type EndHparamsOptions, type HparamsOptions, type HparamsStatus } from './hparams';
import type { ExperimentConfig } from './hparams-experiment';
import type { HparamValue } from './hparams-values';
import { writeImages, type ImageInput, type ImageOptions } from './image';
import { writePrCurve, type PrCurveOptions } from './pr-curve';
import { writeText, type TextInput, type TextOptions } from './text';

export interface SummaryWriterOptions extends Omit<EventFileWriterOptions, 'fsImpl'> {
  /** 'tensor' (default): rank-0 DT_FLOAT tensor + `scalars` metadata; 'simple_value': legacy Summary.Value.simple_value. */
  scalarFormat?: ScalarFormat;
  /** 'tbkit' (default) or 'tensorboard' (TensorBoard Python `*_pb` bytes: metadata on every value, no data_class). */
  flavor?: Flavor;
  /** Override: write SummaryMetadata on the 'first' value of each tag (tbkit) or on 'always' every value. */
  metadata?: 'first' | 'always';
  /** Override: set SummaryMetadata.data_class (tbkit: true; tensorboard: false). */
  dataClass?: boolean;
}

export interface CloseOptions {
  /** Status written in the automatic `_hparams_/session_end_info`; default 'success'. */
  status?: HparamsStatus;
}

export class SummaryWriter {
  /** The underlying event file writer (one file in `logdir`). */
  readonly eventWriter: EventFileWriter;
  private readonly ctx: WriterContext;
  private readonly scalarTags: ScalarTags;
  private readonly hparamsSession: HparamsSession;

  constructor(logdir: string, opts: SummaryWriterOptions = {}) {
    const flavor = opts.flavor ?? 'tbkit';
    if (flavor !== 'tbkit' && flavor !== 'tensorboard') throw argError('new SummaryWriter', 'options.flavor', "'tbkit' or 'tensorboard'", flavor);
    const format = opts.scalarFormat ?? 'tensor';
    if (format !== 'tensor' && format !== 'simple_value') throw argError('new SummaryWriter', 'options.scalarFormat', "'tensor' or 'simple_value'", format);
    const when = opts.metadata ?? (flavor === 'tensorboard' ? 'always' : 'first');
    if (when !== 'first' && when !== 'always') throw argError('new SummaryWriter', 'options.metadata', "'first' or 'always'", when);
    // The coarse clock: Date.now() costs more than the rest of a scalar() call (util/coarse-clock.ts).
    const now = opts.now ?? coarseNow;
    const { scalarFormat: _f, flavor: _fl, metadata: _m, dataClass: _d, ...ewOpts } = opts;
    this.eventWriter = new EventFileWriter(logdir, { ...ewOpts, now });
    this.ctx = new WriterContext(this.eventWriter, { when, dataClass: opts.dataClass ?? flavor === 'tbkit' }, format, now, opts.onError);
    this.scalarTags = new ScalarTags(this.ctx);
    this.hparamsSession = new HparamsSession(this.ctx, (values, step, wallTime) => this.scalarTags.writeFinal(values, step, wallTime));
  }

  get logdir(): string { return this.eventWriter.logdir; }
  get path(): string { return this.eventWriter.path; }
  /** strict option: I/O errors are thrown instead of reported once (and later events counted as dropped). */
  get strict(): boolean { return this.eventWriter.strict; }
  /** True once close() was called. */
  get closed(): boolean { return this.ctx.closed; }
  /** Events not written because of an I/O error. */
  get droppedEvents(): number { return this.eventWriter.droppedEvents; }
  /** Async values that could not be written (rejected Promise, wrong resolved type). */
  get valueErrors(): number { return this.ctx.valueErrors; }
  /** Values still being resolved. */
  get pendingValues(): number { return this.ctx.queue.size; }

  /** Logs one scalar. `value`: number, bigint, Promise of one, or a one-element tensor. */
  scalar(tag: string, value: ScalarValue, step: Step, opts?: ValueOptions): void {
    this.scalarTags.write(tag, value, step, opts);
  }

  /**
   * Logs several scalars in ONE event (one run, same step and wall time):
   * `w.scalars({ loss: 0.4, accuracy: 0.9 }, step)`.
   */
  scalars(values: Record<string, ScalarValue> | Map<string, ScalarValue>, step: Step, opts?: { wallTime?: number }): void {
    this.scalarTags.writeMany(values, step, opts);
  }

  /**
   * Histogram of `values` (array, typed array, tensor or Promise of one), bucketed exactly like
   * TensorBoard's `histogram_pb`: `bins` (30) equal-width buckets → DT_DOUBLE `[bins, 3]`.
   * NaN/±Inf are skipped; no values (or only non-finite ones) is an error.
   */
  histogram(tag: string, values: ArrayValue, step: Step, opts: HistogramOptions = {}): void {
    writeHistogram(this.ctx, tag, values, step, opts);
  }

  /** Writes pre-computed v2 buckets `[[left, right, count], ...]` (e.g. decoded from another file). */
  histogramBuckets(tag: string, buckets: readonly (readonly number[])[] | Float64Array, step: Step, opts: ValueOptions = {}): void {
    writeHistogramBuckets(this.ctx, tag, buckets, step, opts);
  }

  /** Legacy `HistogramProto` (tensorboardX `add_histogram_raw`); no metadata, TensorBoard migrates it. */
  histogramRaw(tag: string, raw: RawHistogram, step: Step, opts: { wallTime?: number } = {}): void {
    writeHistogramRaw(this.ctx, tag, raw, step, opts);
  }

  /** One image (HWC pixels with { height, width, channels }, { data, … }, { png, width, height } or a [h,w,c] tensor). */
  image(tag: string, img: ImageInput, step: Step, opts: ImageOptions = {}): void {
    writeImages(this.ctx, 'image', tag, [img], step, opts);
  }

  /**
   * Several images of one step in ONE event (TensorBoard's `[w, h, png, png…]` tensor). All must
   * have the same size. A [n,h,w,c] tensor may be passed as a single element.
   */
  images(tag: string, imgs: readonly ImageInput[], step: Step, opts: ImageOptions = {}): void {
    writeImages(this.ctx, 'images', tag, imgs, step, opts);
  }

  /**
   * Markdown text (string), a list (string[]) or a table (string[][]) whose first row is the
   * header (`{ header: false }`: no header row, every row a body row).
   */
  text(tag: string, text: TextInput, step: Step, opts: TextOptions = {}): void {
    writeText(this.ctx, tag, text, step, opts);
  }

  /** One clip: mono samples in [-1, 1] or an array of channels; written as 16-bit PCM WAV. */
  audio(tag: string, samples: AudioSamples, step: Step, opts: AudioOptions): void {
    writeAudio(this.ctx, tag, samples, step, opts);
  }

  /** Precision–recall curve like TensorBoard's `pr_curve.summary.pb` (DT_FLOAT [6, numThresholds]). */
  prCurve(tag: string, labels: readonly boolean[] | ArrayLike<number>, predictions: ArrayValue, step: Step, opts: PrCurveOptions = {}): void {
    writePrCurve(this.ctx, tag, labels, predictions, step, opts);
  }

  /** Custom-scalars dashboard layout (tag `custom_scalars__config__`). */
  customScalars(layout: CustomScalarLayout, opts: StepOptions = {}): void {
    writeCustomScalars(this.ctx, layout, opts);
  }

  /** Conceptual graph of a tfjs LayersModel (duck-typed toJSON()) or Keras model JSON: plugin `graph_keras_model`. */
  graph(model: unknown, opts: GraphOptions = {}): void {
    writeGraph(this.ctx, model, opts);
  }

  /**
   * Projector embedding (files under the run directory, like tensorboardX `add_embedding`).
   * I/O errors are reported via onError (never thrown); argument errors throw.
   */
  embedding(mat: EmbeddingInput, opts: EmbeddingOptions = {}): void {
    writeEmbedding(this.ctx, mat, opts);
  }

  /**
   * Records this run as an HParams session: `_hparams_/session_start_info` in THIS run, named by
   * the run in TensorBoard's table. `metrics` given as numbers (final values) are written as
   * scalars at their tag's last step, so no curve is harmed; metric names (a string[]) declare an
   * experiment config (`_hparams_/experiment`, see HparamsOptions.experiment). close() writes
   * `_hparams_/session_end_info` (success) unless endHparams() did.
   */
  hparams(hparams: Record<string, HparamValue>, metrics?: Record<string, number> | readonly string[], opts: HparamsOptions = {}): void {
    this.hparamsSession.start(hparams, metrics, opts);
  }

  /** Writes `_hparams_/session_end_info` with the status and the real end time. */
  endHparams(status: HparamsStatus = 'success', endTime?: number | EndHparamsOptions): void {
    this.hparamsSession.end(status, endTime);
  }

  /** Writes an HParams experiment config (`_hparams_/experiment`), e.g. once into the root run. */
  hparamsConfig(config: ExperimentConfig, opts: StepOptions = {}): void {
    writeExperiment(this.ctx, config, opts);
  }

  /** Escape hatch: writes a raw `tensorboard.Event` plain object (snake_case fields). */
  writeEvent(event: EventInit): void {
    this.ctx.checkOpen('writeEvent');
    this.eventWriter.writeEvent(event);
  }

  /** Writes `SessionLog{status: START}` at `step`: TensorBoard purges data at steps ≥ `step` written before (restarts). */
  addSessionStart(step: Step, opts?: { wallTime?: number }): void {
    const method = 'SummaryWriter.addSessionStart';
    this.ctx.checkOpen('addSessionStart');
    checkStep(method, step);
    this.eventWriter.writeEvent({ wall_time: this.ctx.wallTime(method, opts?.wallTime), step, session_log: { status: 1 } });
  }

  /** Waits for pending async values, then writes everything buffered. Rejects with an I/O error if any. */
  async flush(): Promise<void> {
    await this.ctx.queue.drain();
    if (!this.eventWriter.closed) await this.eventWriter.flush();
  }

  /**
   * Waits for pending values, writes `_hparams_/session_end_info` if hparams() was called and
   * endHparams() was not (status `opts.status`, default 'success'), flushes and closes the file.
   */
  async close(opts: CloseOptions = {}): Promise<void> {
    const queue = this.ctx.queue;
    if (!this.ctx.closed) {
      await queue.drain();
      this.hparamsSession.endIfOpen(opts.status ?? 'success');
      this.ctx.closed = true;
      this.scalarTags.close();
    }
    await queue.drain();
    return this.eventWriter.close();
  }
}

/** Writes an HParams experiment config into any SummaryWriter's run (e.g. the logdir root run). */
export function writeHparamsExperiment(writer: SummaryWriter, config: ExperimentConfig, opts: StepOptions = {}): void {
  writer.hparamsConfig(config, opts);
}
