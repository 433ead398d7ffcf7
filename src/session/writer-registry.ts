/**
 * One SummaryWriter per run directory, shared by every hook and by user code that writes there
 * (TF's SummaryWriterCache): two writers in one directory make TensorBoard follow only the newest
 * file. Reference counted: `acquire` opens (or shares), `release` closes when the last user lets go.
 */
import * as path from 'node:path';
import { SummaryWriter } from '../summary/summary-writer';
import type { WriterLike } from './types';

export type WriterFactory = (logdir: string) => WriterLike;

/**
 * Awaits a writer's flush()/close(), letting through a non-strict writer's I/O error: that writer
 * already reported it once (onError / 'error' / one stderr line) and counts later events as dropped,
 * so that a full disk or a removed log dir never stops training. Rethrowing it from a hook (the
 * checkpoint saver flushes before each save) or from session.close() would stop — or fail — the job
 * anyway, and report the error a second time. A strict writer's error, and any other error, is thrown.
 */
export async function settleWriterIo(writer: WriterLike, io: Promise<void>): Promise<void> {
  try {
    await io;
  } catch (e) {
    if ((e as Error)?.name === 'EventWriteError' && (writer as { strict?: unknown }).strict === false) return;
    throw e;
  }
}

interface Entry {
  writer: WriterLike;
  refs: number;
  /** Not opened by the registry (injected): flushed, never closed by release. */
  external: boolean;
  /** Steps at which a SessionLog START was written through markSessionStart (dedup). */
  startSteps: Set<number>;
}

export class WriterRegistry {
  private readonly entries = new Map<string, Entry>();
  constructor(private factory: WriterFactory = (dir) => new SummaryWriter(dir)) {}

  private key(dir: string): string {
    return path.resolve(dir);
  }

  /** Returns the shared writer for `dir`, opening it if needed. */
  acquire(dir: string): WriterLike {
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
  adopt(writer: WriterLike): WriterLike {
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
  get(dir: string): WriterLike | undefined {
    return this.entries.get(this.key(dir))?.writer;
  }

  /** Writes a SessionLog START at `step` once per (writer, step), however many hooks ask. */
  markSessionStart(writer: WriterLike, step: number): void {
    const e = this.entries.get(this.key(writer.logdir));
    if (e && e.writer === writer) {
      if (e.startSteps.has(step)) return;
      e.startSteps.add(step);
    }
    writer.addSessionStart(step);
  }

  /** Drops one reference; flushes, and closes the writer when it was the last and the registry opened it. */
  async release(writer: WriterLike, status?: 'success' | 'failure'): Promise<void> {
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
