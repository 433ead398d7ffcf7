/**
 * Memory while logging: RSS and heapUsed before and after logging many scalars in ONE synchronous
 * loop (no await: the writer must write past its high-water mark by itself), sampled as it goes.
 */
import * as fs from 'node:fs';
import { SummaryWriter } from '../src/summary/summary-writer';
import { SCALAR_TAGS, VALUES } from './scalar-stream';
import { MB, memSample, nowMs, tempDir, tryGc, type MemSample } from './util';

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

