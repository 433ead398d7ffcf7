/**
 * The tables of the logging and training sections: writer, memory, images and histograms, reader
 * and export, logging overhead on training, training steps.
 */
import type { BenchExportResult } from './export';
import type { MemoryBenchResult } from './memory';
import type { OverheadResult } from './overhead';
import type { ReaderBenchResult } from './reader';
import { table, type TrainingRow } from './report';
import type { HistogramBenchResult, ImageBenchRow } from './summaries';
import { fmtMB, fmtNum, fmtPct, fmtRate, MB, median } from './util';
import type { WriterBenchResult } from './writer';

export function printWriter(w: WriterBenchResult, out: (s: string) => void): void {
  out(`\n## Scalar writer (${fmtRate(w.scalars)} scalars, 4 tags, ${w.repeats} repeats, ${fmtNum(w.bytesPerScalar, 1)} B/scalar on disk)`);
  const t = table(['path', 'scalars/s', 'MB/s', 'median ms', 'all ms']);
  t.push(['SummaryWriter.scalar() + flush()', fmtRate(w.writerScalarsPerSec), fmtNum(w.writerMBPerSec, 1), fmtNum(median(w.writerMs), 1), w.writerMs.map((x) => x.toFixed(0)).join(' ')]);
  t.push(['for comparison: its bytes, 1 Buffer, 1 fs.writeSync', fmtRate(w.rawScalarsPerSec), fmtNum(w.rawMBPerSec, 0), fmtNum(median(w.rawMs), 1), w.rawMs.map((x) => x.toFixed(1)).join(' ')]);
    out(t.toString());
}

export function printMemory(m: MemoryBenchResult, out: (s: string) => void): void {
  out(`\n## Memory: ${fmtRate(m.scalars)} scalars in one synchronous loop (no await; sampled every ${fmtRate(m.sampleEvery)} calls; GC before/after: ${m.gcAvailable ? 'yes' : 'no'})`);
  const t = table(['', 'before', 'peak in loop', 'after close + GC', 'peak growth']);
  t.push(['RSS', fmtMB(m.before.rss), fmtMB(m.peak.rss), fmtMB(m.after.rss), `${fmtNum(m.peakRssGrowthMB, 1)} MB`]);
  t.push(['heapUsed', fmtMB(m.before.heapUsed), fmtMB(m.peak.heapUsed), fmtMB(m.after.heapUsed), `${fmtNum(m.peakHeapGrowthMB, 1)} MB`]);
  out(t.toString());
  out(`wrote ${fmtNum(m.fileMB, 0)} MB in ${fmtNum(m.seconds, 2)} s (${fmtRate(m.scalarsPerSec)} scalars/s); RSS growth from 10 % of the loop to its end: ${fmtNum(m.lateRssGrowthMB, 1)} MB → ${m.flat ? 'flat' : 'NOT flat'}`);
}

export function printImagesHistograms(images: ImageBenchRow[] | undefined, h: HistogramBenchResult | undefined, out: (s: string) => void): void {
  out('\n## Images and histograms (PNG encoding / bucketing included, + flush)');
  const t = table(['summary', 'per call', 'throughput', 'per repeat', 'on disk']);
  for (const r of images ?? []) {
    t.push([`image ${r.name}`, `${fmtNum(r.msPerImage, 3)} ms/image`, `${fmtNum(r.pixelMBPerSec, 1)} MB/s of pixels, ${fmtRate(r.imagesPerSec)} images/s`, `${r.images} images × ${r.repeats}`, `${fmtNum(r.bytesPerImage / 1024, 1)} KB/image`]);
  }
  if (h) t.push([`histogram of ${fmtRate(h.values)} float32 (${h.bins} buckets)`, `${fmtNum(h.msPerHistogram, 2)} ms/histogram`, `${fmtRate(h.valuesPerSec)} values/s`, `1 histogram × ${h.repeats}`, '']);
  out(t.toString());
}

export function printReader(rd: ReaderBenchResult | undefined, ex: BenchExportResult | undefined, out: (s: string) => void): void {
  out('\n## Reader and export (files just written: read from the page cache, so this is CPU cost)');
  const t = table(['path', 'records', 'events/s', 'MB/s', 'median ms']);
  if (rd) {
    for (const r of [...rd.rows, rd.columns]) t.push([r.name, fmtRate(r.records), fmtRate(r.eventsPerSec), fmtNum(r.MBPerSec, 0), fmtNum(median(r.ms), 1)]);
  }
  if (ex) {
    t.push(['tbkit export --format csv → file', fmtRate(ex.points), `${fmtRate(ex.pointsPerSec)} points/s`, fmtNum((ex.inputBytes ?? 0) / MB / ex.seconds, 0), fmtNum(ex.seconds * 1000, 1)]);
    if (ex.devNull) t.push(['tbkit export --format csv → /dev/null', fmtRate(ex.points), `${fmtRate(ex.devNull.pointsPerSec)} points/s`, fmtNum((ex.inputBytes ?? 0) / MB / ex.devNull.seconds, 0), fmtNum(ex.devNull.seconds * 1000, 1)]);
  }
  out(t.toString());
  if (rd) out(`reader file: ${fmtRate(rd.scalars)} scalars, ${fmtNum(rd.fileBytes / MB, 1)} MB, ${rd.repeats} repeats${ex ? `; export: one run of ${fmtRate(ex.points)} points, single timing (bench/export.ts)` : ''}`);
}

export function printOverhead(o: OverheadResult, out: (s: string) => void): void {
  out(`\n## Logging overhead on training (BN-experiment CNN, bn=${o.bn}, batch ${o.batch} random 0–255, backend ${o.backend}; ${o.stepsPerSide} steps per side in ${o.blocks} alternating ABBA blocks of ${o.blockSize} step${o.blockSize === 1 ? '' : 's'}, ${o.warmupSteps} warm-up steps per side)`);
  const t = table(['hooks', 'plain ms/step', 'session ms/step', 'overhead (paired median)', '95 % CI', 'ratio of medians', 'ratio of means', 'plain IQR', 'scalars written']);
  for (const v of o.variants) {
    t.push([v.name, fmtNum(v.plainMsPerStep, 1), fmtNum(v.sessionMsPerStep, 1), fmtPct(v.overheadPct), `[${fmtNum(v.overheadCi95Pct[0], 1)}, ${fmtNum(v.overheadCi95Pct[1], 1)}] %`, fmtPct(v.medianRatioPct), fmtPct(v.overheadMeanPct), `${fmtNum(v.plainIqrPct, 1)} %`, String(v.summariesWritten)]);
  }
  out(t.toString());
  const c = table(['hooks', 'plain CPU ms/step', 'session CPU ms/step', 'CPU overhead (paired median)', '95 % CI']);
  for (const v of o.variants) {
    c.push([v.name, fmtNum(median(v.plainCpuMs), 1), fmtNum(median(v.sessionCpuMs), 1), fmtPct(v.cpuOverheadPct), `[${fmtNum(v.cpuOverheadCi95Pct[0], 1)}, ${fmtNum(v.cpuOverheadCi95Pct[1], 1)}] %`]);
  }
  out(c.toString());
  out('  (CPU = user + system time of this process, all threads, per step: other processes inflate wall time more than CPU time)');
  for (const v of o.variants) out(`  ${v.name}: ${v.description}`);
  const m = table(['session machinery (trivial step, no model)', 'µs/step added', '% of a plain training step']);
  for (const [name, us] of Object.entries(o.machinery.usPerStep)) {
    m.push([name, fmtNum(us, 1), `${fmtNum(o.machineryPctOfStep[name as 'defaults'], 3)} %`]);
  }
  out(m.toString());
  out(`  (${o.machinery.steps} trivial steps per side; plain trivial step = tf.scalar → await data() → dispose: ${fmtNum(o.machinery.plainUsPerStep, 1)} µs)`);
}

export function printTraining(rows: TrainingRow[], out: (s: string) => void): void {
  out('\n## Training step (bench/training.ts: forward + backward + Adam, batch 100, warm-up excluded)');
  const t = table(['backend', 'bn', 'lr, data', 'dy nonzero', 'ms/step', 'CPU ms/step (all threads)', 'steps timed']);
  for (const r of rows) {
    const dy = r.dyNonzeroPct === undefined ? '-' : `${fmtNum(r.dyNonzeroPct, 1)} %`;
    t.push([r.backend, r.bn ? 'yes' : 'no', `${r.lr ?? 0.01}, ${r.data ?? 'noise'}`, dy, fmtNum(r.msPerStep, 1), r.cpuMsPerStep === undefined ? 'n/a' : fmtNum(r.cpuMsPerStep, 1), String(r.steps)]);
  }
  out(t.toString());
  out('(noise: one batch of random 0–255 pixels with random labels, on which the no-BN network dies at lr 0.01 as in the experiment: dy all zero;');
  out(' digits: 10 batches of generated digits, on which it keeps learning at lr 0.001. dy nonzero: the second conv\'s dy, whose zeros our');
  out(' conv gradients skip; -dense-conv-grads rows: the same with XNNPACK\'s dense conv gradients, TBKIT_NO_SPARSE_CONV=1)');
}
