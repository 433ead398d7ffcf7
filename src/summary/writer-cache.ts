/**
 * One SummaryWriter per run directory, shared by every hook and by user code that writes there
 * (TF's SummaryWriterCache): two writers in one directory make TensorBoard follow only the newest
 * file. Reference counted: `acquire` opens (or shares), `release` closes when the last user lets go.
 */
import * as path from 'node:path';
import { EventWriteError } from '../events';
import { SummaryWriter } from './summary-writer';

/**
 * What the cache needs of a writer. SummaryWriter is one; so is anything a caller's factory makes
 * (the harness's WriterLike, an in-memory writer in tests).
 */
export interface CachedWriter {
  readonly logdir: string;
  /** false: the writer reports its I/O errors itself (see settleWriterIo). */
  readonly strict?: boolean;
  addSessionStart(step: number | bigint): void;
  flush(): Promise<void>;
  close(opts?: { status?: 'success' | 'failure' }): Promise<void>;
}

export type WriterFactory<W extends CachedWriter = SummaryWriter> = (logdir: string) => W;

/**
 * Awaits a writer's flush()/close(), letting through a non-strict writer's I/O error: that writer
 * already reported it once (onError / 'error' / one stderr line) and counts later events as dropped,
 * so that a full disk or a removed log dir never stops training. Rethrowing it from a hook (the
 * checkpoint saver flushes before each save) or from session.close() would stop — or fail — the job
 * anyway, and report the error a second time. A strict writer's error, and any other error, is thrown.
 */
export async function settleWriterIo(writer: CachedWriter, io: Promise<void>): Promise<void> {
  try {
    await io;
  } catch (e) {
    if (e instanceof EventWriteError && writer.strict === false) return;
    throw e;
  }
}

interface Entry<W> {
  writer: W;
  refs: number;
  /** Not opened by the registry (injected): flushed, never closed by release. */
  external: boolean;
  /** Steps at which a SessionLog START was written through markSessionStart (dedup). */
  startSteps: Set<number>;
}

const openSummaryWriter: WriterFactory = (dir) => new SummaryWriter(dir);

export class WriterRegistry<W extends CachedWriter = SummaryWriter> {
  private readonly entries = new Map<string, Entry<W>>();
  private readonly factory: WriterFactory<W>;

  /** Without a factory the registry opens SummaryWriters: W is then its default, SummaryWriter. */
  constructor(factory?: WriterFactory<W>) {
    this.factory = factory ?? (openSummaryWriter as unknown as WriterFactory<W>);
  }

  private key(dir: string): string {
    return path.resolve(dir);
  }

  /** Returns the shared writer for `dir`, opening it if needed. */
  acquire(dir: string): W {
    const k = this.key(dir);
    let e = this.entries.get(k);
    if (!e) {
      e = { writer: this.factory(dir), refs: 0, external: false, startSteps: new Set() };
      this.entries.set(k, e);
    }
    e.refs++;
    return e.writer;
  }

  /** Registers an injected writer for its logdir (shared from then on, never closed by the registry). */
  adopt(writer: W): W {
    const k = this.key(writer.logdir);
    const e = this.entries.get(k);
    if (e && e.writer !== writer) {
      throw new Error(`a different SummaryWriter is already open for ${k}; share one writer per run directory`);
    }
    if (e) {
      e.refs++;
      return writer;
    }
    this.entries.set(k, { writer, refs: 1, external: true, startSteps: new Set() });
    return writer;
  }

  /** The writer open for `dir`, if any (does not take a reference). */
  get(dir: string): W | undefined {
    return this.entries.get(this.key(dir))?.writer;
  }

  /** Writes a SessionLog START at `step` once per (writer, step), however many hooks ask. */
  markSessionStart(writer: W, step: number): void {
    const e = this.entries.get(this.key(writer.logdir));
    if (e && e.writer === writer) {
      if (e.startSteps.has(step)) return;
      e.startSteps.add(step);
    }
    writer.addSessionStart(step);
  }

  /** Drops one reference; flushes, and closes the writer when it was the last and the registry opened it. */
  async release(writer: W, status?: 'success' | 'failure'): Promise<void> {
    const k = this.key(writer.logdir);
    const e = this.entries.get(k);
    if (!e || e.writer !== writer) {
      await settleWriterIo(writer, writer.flush());
      return;
    }
    e.refs--;
    if (e.refs > 0) {
      await settleWriterIo(writer, writer.flush());
      return;
    }
    this.entries.delete(k);
    if (e.external) await settleWriterIo(writer, writer.flush());
    else await settleWriterIo(writer, writer.close(status ? { status } : undefined));
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The process-wide registry the session uses by default. */
export const defaultWriterRegistry = new WriterRegistry();
