/**
 * What every summary type receives from its SummaryWriter: the event file, the clock, the metadata
 * policy, the checks every value-writing method starts with, metadata once per tag, the per-tag
 * ordering of async values and the reporting of errors that happen off the caller's path.
 *
 * SummaryWriter keeps its context private, so that users see only the documented API; the files
 * of the summary types (text.ts, image.ts, …) are written against this class.
 */
import type { EventFileWriter } from '../events';
import { encodeSummaryEvent, metadataObject, type MetadataPolicy, type MetadataSpec } from './metadata';
import type { ScalarFormat } from './scalar';
import { TagQueue } from './tag-queue';
import { checkOptionalString, checkStep, checkTag, checkWallTime, type Step } from './validate';

/** Per-call options accepted by every value-writing method. */
export interface ValueOptions {
  /** Seconds since the epoch; default: the writer's clock at the time of the call. */
  wallTime?: number;
  /** Markdown description (SummaryMetadata.summary_description). */
  description?: string;
  /** SummaryMetadata.display_name. */
  displayName?: string;
}

/** Options of a call that writes one event at an optional step (default 0): configs, graphs, hparams. */
export interface StepOptions {
  /** Seconds since the epoch; default: the writer's clock at the time of the call. */
  wallTime?: number;
  /** Default 0. */
  step?: Step;
}

export class WriterContext {
  /** True once SummaryWriter.close() was called: logging calls throw. */
  closed = false;
  /** Async values that could not be written (rejected Promise, wrong resolved type). */
  valueErrors = 0;
  /** Metadata on every value ('always'), else on the first value of a tag. */
  readonly metaAlways: boolean;
  readonly queue: TagQueue;
  /** Tags (non-scalar) whose metadata was written. */
  private readonly metaWritten = new Set<string>();
  private warned = false;

  constructor(
    readonly eventWriter: EventFileWriter,
    readonly policy: MetadataPolicy,
    readonly scalarFormat: ScalarFormat,
    readonly now: () => number,
    private readonly onError: ((err: Error) => void) | undefined,
  ) {
    this.metaAlways = policy.when === 'always';
    this.queue = new TagQueue((e) => this.reportError(e), () => eventWriter.closed);
  }

  get logdir(): string {
    return this.eventWriter.logdir;
  }

  /** Throws if the writer is closed; `name` is the SummaryWriter method called. */
  checkOpen(name: string): void {
    if (this.closed) throw this.closedError(name);
  }

  closedError(name: string): Error {
    return new Error(`SummaryWriter.${name}: the writer for ${this.logdir} is closed (close() was called); log before close() or create a new SummaryWriter`);
  }

  /** The event's wall time: `given`, checked, or the writer's clock when it is undefined. */
  wallTime(method: string, given: unknown, argument = 'options.wallTime'): number {
    return given === undefined ? this.now() : checkWallTime(method, given, argument);
  }

  /** The checks a value-writing method starts with (open, tag, step, options); returns the wall time. */
  begin(name: string, tag: unknown, step: unknown, opts?: ValueOptions): number {
    this.checkOpen(name);
    const method = `SummaryWriter.${name}`;
    checkTag(method, tag);
    checkStep(method, step);
    checkOptionalString(method, opts?.description, 'options.description');
    checkOptionalString(method, opts?.displayName, 'options.displayName');
    return this.wallTime(method, opts?.wallTime);
  }

  /** The SummaryMetadata of a plugin, with the per-call description and display name. */
  spec(pluginName: string, dataClass: number, opts: ValueOptions, content?: Uint8Array): MetadataSpec {
    return { pluginName, dataClass, content, description: opts.description, displayName: opts.displayName };
  }

  /**
   * Writes one Summary.Value built by `build` (the oneof part: `{ tensor }`, `{ histo }`…) with the
   * tag's metadata per policy. `input` may be a Promise; ordering per tag is kept.
   */
  emitValue<T>(tag: string, step: Step, wallTime: number, spec: MetadataSpec, input: T | Promise<T>, build: (v: T) => Record<string, unknown>): void {
    this.queue.run([tag], input, (v) => {
      const value: Record<string, unknown> = { tag, ...build(v) };
      if (this.metaAlways || !this.metaWritten.has(tag)) {
        value.metadata = metadataObject(spec, this.policy);
        this.metaWritten.add(tag);
      }
      this.eventWriter.writeEventBytes(encodeSummaryEvent(wallTime, step, [value]));
    });
  }

  /** Reports an error from the asynchronous path (never thrown to the caller). */
  reportError(e: unknown): void {
    this.valueErrors++;
    const err = e instanceof Error ? e : new Error(String(e));
    if (this.onError) {
      try { this.onError(err); } catch { /* a throwing callback must not break logging */ }
      return;
    }
    if (this.eventWriter.listenerCount('error') > 0) {
      this.eventWriter.emit('error', err);
      return;
    }
    if (!this.warned) {
      this.warned = true;
      process.emitWarning(`tbkit: a logged value could not be written (${err.message}); further such errors are only counted in SummaryWriter.valueErrors`);
    }
  }
}
