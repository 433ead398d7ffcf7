/**
 * The writers one session holds: its own (summaryDir, or an injected writer) and those hooks asked
 * for by directory, each taken once from the shared registry and given back at close. A non-chief
 * holds none: TF gives workers no summary writer, so two processes never write one run directory.
 */
import * as path from 'node:path';
import type { WriterLike } from '../hook-contract';
import type { WriterRegistry } from '../summary';

export class SessionWriters {
  /** The session's own writer (summaryDir's, or the injected one). */
  main: WriterLike | undefined;
  private readonly held: WriterLike[] = [];

  constructor(
    private readonly registry: WriterRegistry<WriterLike>,
    private readonly isChief: boolean,
  ) {}

  /** Takes the session's own writer: `injected` as given, else summaryDir's shared writer. */
  open(summaryDir: string | undefined, injected: WriterLike | undefined): void {
    if (!this.isChief) return;
    if (injected) {
      this.main = this.registry.adopt(injected);
      this.held.push(this.main);
    } else if (summaryDir !== undefined) {
      this.main = this.writerFor(summaryDir);
    }
  }

  /** The shared writer of `dir` (the session's own when `dir` is undefined); undefined on a non-chief. */
  writerFor(dir: string | undefined): WriterLike | undefined {
    if (!this.isChief) return undefined;
    if (dir === undefined) return this.main;
    const existing = this.held.find((w) => path.resolve(w.logdir) === path.resolve(dir));
    if (existing) return existing;
    const w = this.registry.acquire(dir);
    this.held.push(w);
    return w;
  }

  markSessionStart(writer: WriterLike, step: number): void {
    this.registry.markSessionStart(writer, step);
  }

  /** Gives every writer back (flushing, closing the last reference with `status`); returns the errors. */
  async releaseAll(status: 'success' | 'failure', report: (error: unknown, what: string, phase: string) => void): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (const w of this.held.splice(0)) {
      try {
        await this.registry.release(w, status);
      } catch (e) {
        errors.push(e);
        report(e, `writer(${w.logdir})`, 'close');
      }
    }
    return errors;
  }
}
