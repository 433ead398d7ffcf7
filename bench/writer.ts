/**
 * Scalars/s through the public API, `SummaryWriter.scalar(tag, value, step)`, into a real event
 * file, with the raw write of the same bytes beside it as information: the very bytes the writer
 * produced, in one Buffer, written with one `fs.writeSync` (interleaved with the writer repeats, in
 * the same process). Sizes are arguments (the test runs it tiny); nothing asserts on speed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SummaryWriter } from '../src/summary/summary-writer';
import { logScalars } from './scalar-stream';
import { MB, median, nowMs, onlyEventFile, ratio, tempDir } from './util';

export interface WriterBenchResult {
  scalars: number;
  repeats: number;
  /** ms per timed repeat: n × `scalar()` + `flush()` (writer construction excluded). */
  writerMs: number[];
  /** ms per timed repeat: one `fs.writeSync` of the same file bytes, pre-encoded in one Buffer. */
  rawMs: number[];
  writerScalarsPerSec: number;
  rawScalarsPerSec: number;
  /** raw write / writer: what the public API costs over a memcpy of its bytes into the page cache. */
  rawOverWriter: number;
  /** Event-file bytes for `scalars` scalars (framing and file header included). */
  fileBytes: number;
  bytesPerScalar: number;
  writerMBPerSec: number;
  rawMBPerSec: number;
}

/**
 * Scalars/s through `SummaryWriter.scalar` into a real file in a temp dir, against the raw limit:
 * the very bytes that writer produced, read back into one Buffer, written with one `fs.writeSync`
 * into a new file (also timed per repeat, interleaved with the writer repeats, same process).
 */
export async function benchWriter(opts: { scalars: number; repeats: number; warmup?: number }): Promise<WriterBenchResult> {
  const n = opts.scalars;
  const warmup = opts.warmup ?? 1;
  const { dir, cleanup } = tempDir('writer');
  try {
    const writerMs: number[] = [];
    const rawMs: number[] = [];
    let fileBytes = 0;
    for (let r = -warmup; r < opts.repeats; r++) {
      const runDir = path.join(dir, `w${r + warmup}`);
      const w = new SummaryWriter(runDir);
      const t0 = nowMs();
      logScalars(w, n);
      await w.flush();
      const tw = nowMs() - t0;
      await w.close();
      const file = onlyEventFile(runDir);
      const bytes = fs.readFileSync(file);
      fileBytes = bytes.length;
      fs.rmSync(runDir, { recursive: true, force: true });

      // Raw limit: the same record bytes in one Buffer, one writeSync (open/close not timed,
      // as the writer's constructor and close are not).
      const rawFile = path.join(dir, `raw${r + warmup}`);
      const fd = fs.openSync(rawFile, 'wx');
      const t1 = nowMs();
      let off = 0;
      while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
      const tr = nowMs() - t1;
      fs.closeSync(fd);
      fs.rmSync(rawFile, { force: true });
      if (r >= 0) {
        writerMs.push(tw);
        rawMs.push(tr);
      }
    }
    const wSec = median(writerMs) / 1000;
    const rSec = median(rawMs) / 1000;
    const writerScalarsPerSec = n / wSec;
    const rawScalarsPerSec = n / rSec;
    return {
      scalars: n,
      repeats: opts.repeats,
      writerMs,
      rawMs,
      writerScalarsPerSec,
      rawScalarsPerSec,
      rawOverWriter: ratio(rawScalarsPerSec, writerScalarsPerSec),
      fileBytes,
      bytesPerScalar: fileBytes / n,
      writerMBPerSec: fileBytes / MB / wSec,
      rawMBPerSec: fileBytes / MB / rSec,
    };
  } finally {
    cleanup();
  }
}

