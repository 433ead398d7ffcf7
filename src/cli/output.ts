/**
 * Buffered text output to stdout or a file with back-pressure: callers append synchronously and
 * `await sink.maybeFlush()` now and then; data goes out in ~1 MiB writes, so a large export never
 * exists as one string and the process never buffers more than a couple of MiB ahead of the pipe.
 */
import * as fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { UsageError } from './errors';

const FLUSH_AT = 1 << 20;

export class TextSink {
  private parts: string[] = [];
  private pending = 0;
  /** Bytes handed to the stream so far (UTF-8). */
  bytes = 0;
  private failed: Error | undefined;

  constructor(private readonly stream: Writable, private readonly ownsStream: boolean) {
    stream.on('error', (err) => {
      this.failed = err;
    });
  }

  /** Writes to `file`, or to stdout when `file` is undefined or "-". */
  static open(file: string | undefined): TextSink {
    if (file === undefined || file === '-') return new TextSink(process.stdout, false);
    let fd: number;
    try {
      fd = fs.openSync(file, 'w');
    } catch (err) {
      throw new UsageError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return new TextSink(fs.createWriteStream(file, { fd }), true);
  }

  write(s: string): void {
    this.parts.push(s);
    this.pending += s.length;
  }

  /** Flushes when enough text has accumulated. */
  maybeFlush(): Promise<void> | undefined {
    return this.pending >= FLUSH_AT ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.parts.length === 0) return;
    const chunk = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pending = 0;
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) {
      const ac = new AbortController();
      try {
        await Promise.race([
          once(this.stream, 'drain', { signal: ac.signal }),
          once(this.stream, 'error', { signal: ac.signal }).then(([e]) => Promise.reject(e)),
        ]);
      } finally {
        ac.abort();
      }
    }
    if (this.failed) throw this.failed;
  }

  /** Flushes and, for a file, closes it (resolves once the data is on its way to disk). */
  async end(): Promise<void> {
    await this.flush();
    if (this.ownsStream) {
      const done = once(this.stream, 'finish');
      this.stream.end();
      await done;
    }
    if (this.failed) throw this.failed;
  }
}

/** Writes a whole file; an unwritable path is a usage error (clear message, exit 2). */
export function writeOutputFile(file: string, data: string | Uint8Array): void {
  try {
    fs.writeFileSync(file, data);
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
