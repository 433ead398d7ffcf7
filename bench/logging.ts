/**
 * The cost of logging: SummaryWriter throughput (scalars, images, histograms), memory while
 * logging in a synchronous loop, and reading event files back.
 *
 * Every function takes its sizes as arguments (the test runs them tiny), measures after warm-up,
 * and returns the raw per-repeat times plus medians. Nothing asserts on speed.
 *
 *   npx tsx bench/logging.ts [--quick] [--reader]    (--reader: only the reader, one summary line)
 *   npx tsx bench/logging.ts [--quick] --floor       (only benchWriterFloor, one summary line)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SummaryWriter } from '../src/summary/summary-writer';
import { readRun, readRunColumns } from '../src/events';
import { decodeScalarEvent, newScalarScratch } from '../src/events/runs/scalar-event-decoder';
import { varintLength } from '../src/proto';
import { scanRecordFile } from '../src/record';
import { ScalarTagEntry } from '../src/summary/scalar';
import { MB, median, memSample, normals, nowMs, onlyEventFile, ratio, rng, tempDir, timeRepeats, tryGc, type MemSample } from './util';

/** 4 tags interleaved, one step per 4 scalars (a typical training loop's shape). */
export const SCALAR_TAGS = ['loss', 'accuracy', 'learning_rate', 'grad_norm'] as const;

/** 1024 precomputed values: the loop measures logging, not Math.sin. */
const VALUES = (() => {
  const v = new Float64Array(1024);
  for (let i = 0; i < v.length; i++) v[i] = 2 / (1 + i / 100) + Math.sin(i) * 0.01;
  return v;
})();

/** Logs `n` scalars through the public API: `w.scalar(tag, value, step)`. */
function logScalars(w: SummaryWriter, n: number): void {
  const tags = SCALAR_TAGS;
  const vals = VALUES;
  for (let i = 0; i < n; i++) w.scalar(tags[i & 3], vals[i & 1023], i >> 2);
}

// ------------------------------------------------------------------------------ scalar writer

export interface WriterBenchResult {
  scalars: number;
  repeats: number;
  /** ms per timed repeat: n × `scalar()` + `flush()` (writer construction excluded). */
  writerMs: number[];
  /** ms per timed repeat: one `fs.writeSync` of the same file bytes, pre-encoded in one Buffer. */
  rawMs: number[];
  writerScalarsPerSec: number;
  rawScalarsPerSec: number;
  /** raw limit / writer: how many times slower the public API is than the raw write (target ≤ 2). */
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

// ------------------------------------------------------------------------------ writer floor

export interface WriterFloorResult {
  scalars: number;
  repeats: number;
  /** ms per repeat: the leanest loop that makes the writer's record bytes, no I/O. */
  encodeMs: number[];
  /** ms per repeat: the same loop writing 1 MB batches with writeSync, as the writer does. */
  encodeIoMs: number[];
  /** ms per repeat: the raw limit (benchWriter's), interleaved. */
  rawMs: number[];
  /** median encode+io / median raw: no writer API can be closer to the raw limit than this. */
  floorOverRaw: number;
  encodeOverRaw: number;
  summary: string;
}

/**
 * What the writer's target ratio is up against: benchWriter's bytes made by the leanest loop
 * possible — no API, no checks, no clock, the tags known, each record a reused slot of its tag's
 * template with only its wall time, step, value and data CRC stored (ScalarRecordTemplate.finish,
 * the writer's own code) — with and without the 1 MB writeSync batches, against the raw write of
 * the same bytes, interleaved in one process. If encode+io is itself near 2× raw, the public
 * SummaryWriter.scalar (which adds tag and argument checks, the clock and the batch bookkeeping)
 * cannot be within 2×: the limit is the cost of producing ~55 bytes and a CRC-32C in JavaScript.
 */
export async function benchWriterFloor(opts: { scalars: number; repeats: number; warmup?: number; keepFile?: string }): Promise<WriterFloorResult> {
  const n = opts.scalars;
  const { dir, cleanup } = tempDir('floor');
  const HIGH_WATER = 1 << 20;
  const recs = SCALAR_TAGS.map((t) => new ScalarTagEntry(t, 'tensor', undefined).records(false));
  const buf = Buffer.allocUnsafe(HIGH_WATER + 4096);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const vals = VALUES;
  const stepBytes = varintLength; // a local binding: no exports-getter read per step
  const run = (file: string, io: boolean): number => {
    const fd = fs.openSync(file, 'wx');
    const write = (len: number): void => {
      for (let o = 0; o < len;) o += fs.writeSync(fd, buf, o, len - o);
    };
    let off = 0;
    let copy = true; // the first batch and each new step-varint length copy the templates
    let k = 0;
    const t0 = nowMs();
    for (let i = 0; i < n; i++) {
      const step = (i >> 2) + 1;
      const t = recs[i & 3].get(step)!;
      if ((i & 3) === 0) {
        if (off >= HIGH_WATER) {
          if (io) write(off);
          off = 0;
          copy = false;
        }
        const len = stepBytes(step);
        if (len !== k) {
          k = len;
          copy = true;
        }
      }
      if (copy) t.copyTo(buf, off);
      view.setFloat64(off + 13, 1.7e9 + 0.5, true);
      view.setFloat32(off + 12 + t.valueAt, vals[i & 1023], true);
      off = t.finish(view, buf, off, step);
    }
    write(off);
    const ms = nowMs() - t0;
    fs.closeSync(fd);
    return ms;
  };
  try {
    const encodeMs: number[] = [];
    const encodeIoMs: number[] = [];
    const rawMs: number[] = [];
    const warmup = opts.warmup ?? 1;
    for (let r = -warmup; r < opts.repeats; r++) {
      const file = path.join(dir, `f${r + warmup}`);
      const te = run(file, false);
      fs.rmSync(file);
      const tf = run(file, true);
      const bytes = fs.readFileSync(file);
      fs.rmSync(file);
      if (opts.keepFile !== undefined) fs.writeFileSync(opts.keepFile, bytes); // for the test: valid records?
      const fd = fs.openSync(file, 'wx');
      const t1 = nowMs();
      for (let o = 0; o < bytes.length;) o += fs.writeSync(fd, bytes, o, bytes.length - o);
      const tr = nowMs() - t1;
      fs.closeSync(fd);
      fs.rmSync(file);
      if (r >= 0) {
        encodeMs.push(te);
        encodeIoMs.push(tf);
        rawMs.push(tr);
      }
    }
    const ns = (ms: number[]): string => `${(median(ms) * 1e6 / n).toFixed(1)} ns (best ${(Math.min(...ms) * 1e6 / n).toFixed(1)})`;
    const floorOverRaw = ratio(median(encodeIoMs), median(rawMs));
    const encodeOverRaw = ratio(median(encodeMs), median(rawMs));
    const summary = `writer floor, ${n} scalars, median of ${opts.repeats}: raw ${ns(rawMs)} | encode only ${ns(encodeMs)} = ${encodeOverRaw.toFixed(2)}× raw | encode + 1 MB writes ${ns(encodeIoMs)} = ${floorOverRaw.toFixed(2)}× raw`;
    return { scalars: n, repeats: opts.repeats, encodeMs, encodeIoMs, rawMs, floorOverRaw, encodeOverRaw, summary };
  } finally {
    cleanup();
  }
}

// ------------------------------------------------------------------------------------ memory

export interface MemoryBenchResult {
  scalars: number;
  /** Always false here: the loop is fully synchronous (no await until it has finished). */
  awaitsInLoop: boolean;
  sampleEvery: number;
  gcAvailable: boolean;
  before: MemSample;
  /** Highest values seen at the samples (every `sampleEvery` scalars, and at the end of the loop). */
  peak: MemSample;
  /** After flush() + close() and a GC. */
  after: MemSample;
  peakRssGrowthMB: number;
  peakHeapGrowthMB: number;
  afterRssGrowthMB: number;
  afterHeapGrowthMB: number;
  /** RSS at the last sample minus RSS at the sample closest to 10 % of the loop: a leak shows here. */
  lateRssGrowthMB: number;
  fileMB: number;
  seconds: number;
  scalarsPerSec: number;
  /** Peak RSS growth under 64 MB and under 10 % of the bytes written. */
  flat: boolean;
}

/**
 * RSS / heapUsed before and after logging `scalars` scalars in ONE synchronous loop (no await: the
 * writer must write past its high-water mark by itself), sampled every `sampleEvery` calls.
 */
export async function benchMemory(opts: { scalars: number; sampleEvery?: number }): Promise<MemoryBenchResult> {
  const n = opts.scalars;
  const every = Math.max(1, opts.sampleEvery ?? 100_000);
  const { dir, cleanup } = tempDir('memory');
  try {
    const gcAvailable = tryGc();
    const before = memSample();
    const w = new SummaryWriter(dir);
    const tags = SCALAR_TAGS;
    const vals = VALUES;
    const rssAt: number[] = [];
    const peak: MemSample = { ...before };
    const t0 = nowMs();
    for (let i = 0; i < n; i++) {
      w.scalar(tags[i & 3], vals[i & 1023], i >> 2);
      if ((i + 1) % every === 0) {
        const m = memSample();
        rssAt.push(m.rss);
        if (m.rss > peak.rss) peak.rss = m.rss;
        if (m.heapUsed > peak.heapUsed) peak.heapUsed = m.heapUsed;
      }
    }
    const end = memSample();
    rssAt.push(end.rss);
    if (end.rss > peak.rss) peak.rss = end.rss;
    if (end.heapUsed > peak.heapUsed) peak.heapUsed = end.heapUsed;
    await w.flush();
    const seconds = (nowMs() - t0) / 1000;
    await w.close();
    const fileBytes = fs.statSync(w.path).size;
    tryGc();
    const after = memSample();
    const tenth = rssAt[Math.min(rssAt.length - 1, Math.floor(rssAt.length / 10))];
    const peakRssGrowthMB = (peak.rss - before.rss) / MB;
    return {
      scalars: n,
      awaitsInLoop: false,
      sampleEvery: every,
      gcAvailable,
      before,
      peak,
      after,
      peakRssGrowthMB,
      peakHeapGrowthMB: (peak.heapUsed - before.heapUsed) / MB,
      afterRssGrowthMB: (after.rss - before.rss) / MB,
      afterHeapGrowthMB: (after.heapUsed - before.heapUsed) / MB,
      lateRssGrowthMB: (rssAt[rssAt.length - 1] - tenth) / MB,
      fileMB: fileBytes / MB,
      seconds,
      scalarsPerSec: n / seconds,
      flat: peakRssGrowthMB < 64 && peakRssGrowthMB * MB < 0.1 * fileBytes + 8 * MB,
    };
  } finally {
    cleanup();
  }
}

// ------------------------------------------------------------------------------------ images

export interface ImageBenchRow {
  name: string;
  width: number;
  height: number;
  channels: 1 | 3;
  /** Images per timed repeat. */
  images: number;
  repeats: number;
  ms: number[];
  msPerImage: number;
  /** Raw pixel bytes in per second (PNG encoding included). */
  pixelMBPerSec: number;
  /** Event-file bytes per image (PNG + event + framing). */
  bytesPerImage: number;
  imagesPerSec: number;
}

/**
 * Photo-like content: a smooth gradient plus 4 bits of noise (pure noise would not compress and
 * would make PNG look worse than it is on real images; a flat image would flatter it).
 */
function photoLike(w: number, h: number, c: number, seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) {
        const base = ((x * (k + 1) + y * (3 - k)) * 255) / (w + h) / 2;
        out[(y * w + x) * c + k] = Math.min(255, Math.max(0, Math.round(base + r() * 16)));
      }
    }
  }
  return out;
}

/** MNIST-like: mostly zeros with a bright blob (what the BN experiment's inputs look like). */
function digitLike(seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(28 * 28);
  const cx = 10 + r() * 8, cy = 10 + r() * 8;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const d = Math.hypot(x - cx, y - cy);
      if (d > 4 && d < 8) out[y * 28 + x] = Math.round(200 + r() * 55);
    }
  }
  return out;
}

export async function benchImages(opts: { rgbImages: number; grayImages: number; repeats: number; warmup?: number }): Promise<ImageBenchRow[]> {
  const warmup = opts.warmup ?? 1;
  const cases: Array<{ name: string; width: number; height: number; channels: 1 | 3; images: number; data: Uint8Array[] }> = [
    { name: '256x256 RGB uint8', width: 256, height: 256, channels: 3, images: opts.rgbImages, data: [0, 1, 2, 3].map((s) => photoLike(256, 256, 3, s)) },
    { name: '28x28 gray uint8', width: 28, height: 28, channels: 1, images: opts.grayImages, data: Array.from({ length: 16 }, (_, s) => digitLike(s)) },
  ];
  const rows: ImageBenchRow[] = [];
  for (const c of cases) {
    const { dir, cleanup } = tempDir('images');
    try {
      const w = new SummaryWriter(dir);
      let step = 0;
      const ms = await timeRepeats(warmup, opts.repeats, async () => {
        for (let i = 0; i < c.images; i++) {
          w.image('img', { data: c.data[i % c.data.length], height: c.height, width: c.width, channels: c.channels }, step++);
        }
        await w.flush();
      });
      await w.close();
      const size = fs.statSync(w.path).size;
      const bytesPerImage = size / (c.images * (opts.repeats + warmup));
      const sec = median(ms) / 1000;
      const pixelBytes = c.width * c.height * c.channels * c.images;
      rows.push({
        name: c.name,
        width: c.width,
        height: c.height,
        channels: c.channels,
        images: c.images,
        repeats: opts.repeats,
        ms,
        msPerImage: (sec * 1000) / c.images,
        pixelMBPerSec: pixelBytes / MB / sec,
        bytesPerImage,
        imagesPerSec: c.images / sec,
      });
    } finally {
      cleanup();
    }
  }
  return rows;
}

// -------------------------------------------------------------------------------- histograms

export interface HistogramBenchResult {
  values: number;
  bins: number;
  repeats: number;
  ms: number[];
  msPerHistogram: number;
  valuesPerSec: number;
}

/** `w.histogram(tag, Float32Array(values), step)` (30 buckets, TensorBoard's), + flush, per repeat. */
export async function benchHistograms(opts: { values: number; repeats: number; warmup?: number }): Promise<HistogramBenchResult> {
  const data = normals(opts.values, 7);
  const { dir, cleanup } = tempDir('histo');
  try {
    const w = new SummaryWriter(dir);
    let step = 0;
    const ms = await timeRepeats(opts.warmup ?? 1, opts.repeats, async () => {
      w.histogram('weights', data, step++);
      await w.flush();
    });
    await w.close();
    const m = median(ms);
    return { values: opts.values, bins: 30, repeats: opts.repeats, ms, msPerHistogram: m, valuesPerSec: opts.values / (m / 1000) };
  } finally {
    cleanup();
  }
}

// ------------------------------------------------------------------------------------ reader

export interface ReaderBenchRow {
  /** 'readRun' | 'scan+decode' | 'scan (CRC only)' | 'readRunColumns' */
  name: string;
  records: number;
  ms: number[];
  /** records / median time */
  eventsPerSec: number;
  /** records / fastest repeat (best-of-N: the figure least disturbed by other processes) */
  bestEventsPerSec: number;
  MBPerSec: number;
}

export interface ReaderBenchResult {
  scalars: number;
  fileBytes: number;
  repeats: number;
  /** readRun, scan + decode, scan alone (this order: bench/run.ts reads rows[0] and rows[1]). */
  rows: ReaderBenchRow[];
  /** readRunColumns([file]): the columnar reader `tbkit export` uses (kept out of `rows`, whose shape is fixed). */
  columns: ReaderBenchRow;
  /** One line: the decode, readRunColumns and readRun rates side by side (best-of-N and median). */
  summary: string;
}

/**
 * Scalar events/s decoded from an event file written by SummaryWriter (4 tags), with both CRCs of
 * every record checked: `readRun([file])` (the full reader: purge rules, tag table, one object per
 * point), the fast scan it is built on (`scanRecordFile` + `decodeScalarEvent`), the scan alone, and
 * `readRunColumns([file])` (same reader, points as Float64Array columns: what export uses).
 * The file was just written, so it is read from the page cache: this is CPU cost, not disk speed.
 * Each is timed in its own block (warm-up, then its repeats), in this order: interleaving them was
 * tried and measured readRun ~30 % slower, paying for the garbage of the readRunColumns call before
 * it (50–100 MB of column buffers), which no real caller of readRun does.
 */
export async function benchReader(opts: { scalars: number; repeats: number; warmup?: number }): Promise<ReaderBenchResult> {
  const { dir, cleanup } = tempDir('reader');
  try {
    const w = new SummaryWriter(dir);
    logScalars(w, opts.scalars);
    await w.close();
    const file = w.path;
    const fileBytes = fs.statSync(file).size;
    const warmup = opts.warmup ?? 1;
    const fail = (p: { message: string }) => { throw new Error(`bench file has a problem: ${p.message}`); };

    // A local binding, as readRun has: an imported function is read through an exports getter at
    // every call under CommonJS, which would be measured here but not in readRun.
    const decode = decodeScalarEvent;
    const s = newScalarScratch();
    const cases: Array<{ name: string; run: () => number }> = [
      {
        name: 'readRun([file])',
        run: () => {
          const run = readRun([file]);
          if (run.problems.length) fail(run.problems[0]);
          let points = 0;
          for (const pts of run.scalars.values()) points += pts.length;
          if (points !== opts.scalars) throw new Error(`readRun found ${points} points, expected ${opts.scalars}`);
          return run.records;
        },
      },
      {
        name: 'scanRecordFile + decodeScalarEvent',
        run: () => {
          let decoded = 0, sum = 0, records = 0;
          scanRecordFile(file, (b, start, end) => {
            records++;
            if (decode(b, start, end, s)) {
              decoded++;
              sum += s.value + s.step;
            }
          }, fail);
          if (!Number.isFinite(sum)) throw new Error('unreachable'); // keeps `sum` alive
          if (decoded !== opts.scalars) throw new Error(`scan decoded ${decoded} scalars, expected ${opts.scalars}`);
          return records;
        },
      },
      {
        name: 'scanRecordFile (CRCs only)',
        run: () => {
          let records = 0;
          scanRecordFile(file, () => { records++; }, fail);
          return records;
        },
      },
      {
        name: 'readRunColumns([file])',
        run: () => {
          const run = readRunColumns([file]);
          if (run.problems.length) fail(run.problems[0]);
          let points = 0;
          for (const c of run.scalars.values()) points += c.length;
          if (points !== opts.scalars) throw new Error(`readRunColumns found ${points} points, expected ${opts.scalars}`);
          return run.records;
        },
      },
    ];
    const all: ReaderBenchRow[] = [];
    for (const c of cases) {
      let records = 0;
      const ms = await timeRepeats(warmup, opts.repeats, () => { records = c.run(); });
      all.push(row(c.name, records, ms, fileBytes));
    }
    const rows = all.slice(0, 3);
    const columns = all[3];
    const rate = (x: ReaderBenchRow) => `${(x.bestEventsPerSec / 1e6).toFixed(2)} M/s (median ${(x.eventsPerSec / 1e6).toFixed(2)})`;
    const summary = `reader, ${opts.scalars} scalars, CRCs checked, best of ${opts.repeats}: decode ${rate(rows[1])} | readRunColumns ${rate(columns)} | readRun ${rate(rows[0])} | CRCs only ${rate(rows[2])}`;
    return { scalars: opts.scalars, fileBytes, repeats: opts.repeats, rows, columns, summary };
  } finally {
    cleanup();
  }
}

function row(name: string, records: number, ms: number[], bytes: number): ReaderBenchRow {
  const sec = median(ms) / 1000;
  return { name, records, ms, eventsPerSec: records / sec, bestEventsPerSec: records / (Math.min(...ms) / 1000), MBPerSec: bytes / MB / sec };
}

// ----------------------------------------------------------------------------------- sizes

export interface LoggingSizes {
  writerScalars: number;
  writerRepeats: number;
  memoryScalars: number;
  rgbImages: number;
  grayImages: number;
  imageRepeats: number;
  histogramValues: number;
  histogramRepeats: number;
  readerScalars: number;
  readerRepeats: number;
  exportPoints: number;
}

export function loggingSizes(quick: boolean): LoggingSizes {
  return quick
    ? {
        writerScalars: 500_000, writerRepeats: 3, memoryScalars: 1_000_000,
        rgbImages: 10, grayImages: 500, imageRepeats: 3,
        histogramValues: 1_000_000, histogramRepeats: 3,
        readerScalars: 500_000, readerRepeats: 3, exportPoints: 100_000,
      }
    : {
        writerScalars: 2_000_000, writerRepeats: 7, memoryScalars: 10_000_000,
        rgbImages: 40, grayImages: 2000, imageRepeats: 5,
        histogramValues: 1_000_000, histogramRepeats: 10,
        readerScalars: 2_000_000, readerRepeats: 7, exportPoints: 1_000_000,
      };
}

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  const s = loggingSizes(quick);
  (async () => {
    if (process.argv.includes('--reader')) { // the reader alone: npx tsx bench/logging.ts --reader [--quick]
      console.log((await benchReader({ scalars: s.readerScalars, repeats: s.readerRepeats })).summary);
      return;
    }
    if (process.argv.includes('--floor')) { // the writer's floor alone
      console.log((await benchWriterFloor({ scalars: s.writerScalars, repeats: s.writerRepeats })).summary);
      return;
    }
    console.log(JSON.stringify(await benchWriter({ scalars: s.writerScalars, repeats: s.writerRepeats }), null, 1));
    console.log(JSON.stringify(await benchMemory({ scalars: s.memoryScalars }), null, 1));
    console.log(JSON.stringify(await benchImages({ rgbImages: s.rgbImages, grayImages: s.grayImages, repeats: s.imageRepeats }), null, 1));
    console.log(JSON.stringify(await benchHistograms({ values: s.histogramValues, repeats: s.histogramRepeats }), null, 1));
    const rd = await benchReader({ scalars: s.readerScalars, repeats: s.readerRepeats });
    console.log(JSON.stringify(rd, null, 1));
    console.log(rd.summary);
  })().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
