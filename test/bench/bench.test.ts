/**
 * The bench functions at tiny sizes: they run, and return sane structures (positive finite rates,
 * ratios computed from their parts). Never asserts on speed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, runs } from '../../bench/args';
import { benchExport } from '../../bench/export';
import { benchMemory } from '../../bench/memory';
import { benchOverhead } from '../../bench/overhead';
import { bootstrapCi, pairedPct } from '../../bench/paired-stats';
import { benchReader } from '../../bench/reader';
import { renderRecord } from '../../bench/record';
import { runBench, type BenchReport } from '../../bench/run';
import { loggingSizes, type LoggingSizes } from '../../bench/sizes';
import { benchHistograms, benchImages } from '../../bench/summaries';
import { abVerdict, computeRatios, computeTargets } from '../../bench/targets';
import { benchFlushLatency } from '../../bench/flush-latency';
import { median, quantile, ratio, verdict } from '../../bench/util';
import { benchWriter } from '../../bench/writer';

function positive(x: unknown, what: string): void {
  assert.equal(typeof x, 'number', `${what} is a number`);
  assert.ok(Number.isFinite(x as number) && (x as number) > 0, `${what} = ${String(x)} is positive and finite`);
}

function close(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)), `${what}: ${a} vs ${b}`);
}

test('util: median, quantile, ratio', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.25), 2);
  assert.equal(ratio(6, 3), 2);
  assert.ok(Number.isNaN(ratio(1, 0)));
  assert.ok(Number.isNaN(ratio(Infinity, 1)));
  assert.match(verdict(true, 'x'), /^met/);
  assert.match(verdict(false, 'x'), /^NOT met/);
  assert.match(verdict(undefined, 'x'), /^undecided/);
});

test('abVerdict decides only outside the interval', () => {
  assert.equal(abVerdict(0.5, [-1, 1.5]).met, true);
  assert.equal(abVerdict(5, [3, 7]).met, false);
  assert.equal(abVerdict(1, [-3, 4]).met, undefined);
  assert.equal(abVerdict(-10, [-15, -5]).met, undefined);
  assert.match(abVerdict(-10, [-15, -5]).measured, /load disturbed/);
});

test('parseArgs and which sections run', () => {
  assert.deepEqual(parseArgs([]), { quick: false, training: true, experiment: true });
  assert.deepEqual(parseArgs(['--quick', '--json', 'out.json']), { quick: true, training: true, experiment: false, json: 'out.json' });
  assert.deepEqual(parseArgs(['--json=a.json', '--no-training', '--no-experiment', '--record', 'B.md']), { quick: false, training: false, experiment: false, json: 'a.json', record: 'B.md' });
  assert.deepEqual(parseArgs(['--only', 'loading,scale']).only, ['loading', 'scale']);
  assert.throws(() => parseArgs(['--json']), /--json needs a value/);
  assert.throws(() => parseArgs(['--fast']), /unknown argument/);
  assert.throws(() => parseArgs(['--only', 'loadin']), /unknown section "loadin"/);
  assert.throws(() => parseArgs(['--quick', '--experiment']), /not part of --quick/);
  const full = parseArgs([]);
  assert.equal(runs(full, 'experiment'), true, 'the full mode has the whole experiment');
  assert.equal(runs(parseArgs(['--no-experiment']), 'experiment'), false);
  assert.equal(runs(parseArgs(['--quick']), 'experiment'), false, 'never in --quick');
  assert.equal(runs(full, 'loading'), true);
  assert.equal(runs(parseArgs(['--no-training']), 'training'), false);
  const only = parseArgs(['--only', 'experiment']);
  assert.deepEqual([runs(only, 'experiment'), runs(only, 'writer')], [true, false]);
});

test('benchWriter: rates and raw/writer ratio', async () => {
  const r = await benchWriter({ scalars: 4000, repeats: 2, warmup: 1 });
  assert.equal(r.scalars, 4000);
  assert.equal(r.writerMs.length, 2);
  assert.equal(r.rawMs.length, 2);
  for (const k of ['writerScalarsPerSec', 'rawScalarsPerSec', 'rawOverWriter', 'fileBytes', 'bytesPerScalar', 'writerMBPerSec', 'rawMBPerSec'] as const) positive(r[k], k);
  close(r.writerScalarsPerSec, 4000 / (median(r.writerMs) / 1000), 'writer rate');
  close(r.rawScalarsPerSec, 4000 / (median(r.rawMs) / 1000), 'raw rate');
  close(r.rawOverWriter, r.rawScalarsPerSec / r.writerScalarsPerSec, 'ratio');
  // A tensor scalar event with 4 short tags is ~55 bytes framed: sanity, not speed.
  assert.ok(r.bytesPerScalar > 30 && r.bytesPerScalar < 100, `bytes/scalar ${r.bytesPerScalar}`);
});

test('benchMemory: samples and growth', async () => {
  const r = await benchMemory({ scalars: 20_000, sampleEvery: 5000 });
  assert.equal(r.awaitsInLoop, false);
  assert.equal(r.scalars, 20_000);
  positive(r.scalarsPerSec, 'scalarsPerSec');
  positive(r.fileMB, 'fileMB');
  positive(r.before.rss, 'rss before');
  assert.ok(r.peak.rss >= r.before.rss && r.peak.heapUsed >= r.before.heapUsed, 'peak ≥ before');
  close(r.peakRssGrowthMB, (r.peak.rss - r.before.rss) / (1024 * 1024), 'rss growth');
  close(r.peakHeapGrowthMB, (r.peak.heapUsed - r.before.heapUsed) / (1024 * 1024), 'heap growth');
  assert.equal(typeof r.flat, 'boolean');
});

test('benchImages and benchHistograms', async () => {
  const rows = await benchImages({ rgbImages: 1, grayImages: 3, repeats: 1, warmup: 0 });
  assert.equal(rows.length, 2);
  for (const r of rows) {
    for (const k of ['msPerImage', 'pixelMBPerSec', 'bytesPerImage', 'imagesPerSec'] as const) positive(r[k], `${r.name} ${k}`);
    close(r.imagesPerSec, r.images / (median(r.ms) / 1000), `${r.name} images/s`);
    close(r.pixelMBPerSec, (r.width * r.height * r.channels * r.images) / (1024 * 1024) / (median(r.ms) / 1000), `${r.name} MB/s`);
  }
  const h = await benchHistograms({ values: 10_000, repeats: 2, warmup: 1 });
  positive(h.msPerHistogram, 'ms/histogram');
  close(h.valuesPerSec, 10_000 / (h.msPerHistogram / 1000), 'values/s');
});

test('benchReader and benchExport', async () => {
  const r = await benchReader({ scalars: 3000, repeats: 1, warmup: 0 });
  assert.equal(r.rows.length, 3);
  for (const row of [...r.rows, r.columns]) {
    assert.equal(row.records, 3001, `${row.name}: scalars + the file_version record`);
    positive(row.eventsPerSec, `${row.name} events/s`);
    close(row.eventsPerSec, row.records / (median(row.ms) / 1000), `${row.name} rate`);
  }
  const e = await benchExport({ points: 200 });
  assert.equal(e.points, 200);
  positive(e.pointsPerSec, 'export points/s');
});

test('pairedPct and bootstrapCi', () => {
  const a = [100, 200, 50, 400];
  const b = [110, 220, 55, 440];
  const p = pairedPct(a, b);
  p.forEach((x) => close(x, 10, 'paired %'));
  assert.throws(() => pairedPct([1], [1, 2]));
  const [lo, hi] = bootstrapCi([9, 10, 11, 10, 9.5, 10.5], 500);
  assert.ok(lo <= 10 && hi >= 10 && lo >= 9 && hi <= 11, `[${lo}, ${hi}]`);
});

test('benchOverhead: real model on wasm, tiny batch', async () => {
  const r = await benchOverhead({ steps: 2, warmup: 1, batch: 4, machinerySteps: 64, log: () => undefined });
  assert.equal(r.blocks, 2);
  assert.equal(r.blockSize, 1);
  assert.equal(r.backend, 'wasm');
  assert.deepEqual(r.variants.map((v) => v.name), ['defaults', 'every-step']);
  for (const v of r.variants) {
    assert.equal(v.plainMs.length, 2);
    assert.equal(v.sessionMs.length, 2);
    positive(v.plainMsPerStep, 'plain ms/step');
    positive(v.sessionMsPerStep, 'session ms/step');
    close(v.overheadPct, median(v.plainMs.map((p, i) => (v.sessionMs[i] / p - 1) * 100)), 'paired overhead %');
    close(v.medianRatioPct, (v.sessionMsPerStep / v.plainMsPerStep - 1) * 100, 'ratio of medians %');
    assert.ok(v.overheadCi95Pct[0] <= v.overheadCi95Pct[1]);
    assert.equal(v.plainCpuMs.length, 2);
    close(v.cpuOverheadPct, median(v.plainCpuMs.map((p, i) => (v.sessionCpuMs[i] / p - 1) * 100)), 'paired CPU overhead %');
  }
  // every-step writes the cost and global_step/sec at each timed step; defaults none in this window.
  assert.equal(r.variants[1].summariesWritten, 2 * 2);
  assert.equal(r.variants[0].summariesWritten, 0);
  for (const name of ['defaults', 'every-step'] as const) {
    assert.ok(Number.isFinite(r.machinery.usPerStep[name]));
    close(r.machineryPctOfStep[name], (r.machinery.usPerStep[name] / 1000 / median(r.variants.map((v) => v.plainMsPerStep))) * 100, 'machinery %');
  }
});

/** The flush bench scaled down: a 20 ms flush timer, a value every 60 ms. */
const FLUSH_TINY = { intervalsMs: [60], calls: 3, hotScalars: 3000, writer: { flushMillis: 20 } };

test('benchFlushLatency: each sparse value waits for the flush timer, hot loops write one batch per write()', async () => {
  const r = await benchFlushLatency(FLUSH_TINY);
  assert.deepEqual(r.sparse.map((s) => [s.intervalMs, s.latenciesMs.length]), [[60, 3]]);
  for (const ms of r.sparse[0].latenciesMs) assert.ok(ms >= 15, `written by the flush timer, not before: ${ms} ms`);
  assert.equal(r.worstMs, Math.max(...r.sparse[0].latenciesMs));
  assert.deepEqual(r.hot.map((h) => [h.scalars, h.writes]), r.hot.map((h) => [3000, h.expectedWrites]));
  assert.equal(r.hot[1].expectedWrites, 250, '3000 scalars, 3 per step, a batch every 4 steps');
  assert.match(r.summary, /call to disk worst \d+ ms/);
});

test('runBench end to end (tiny sizes, no training) and targets/ratios', async () => {
  const tiny: LoggingSizes = {
    ...loggingSizes(true),
    writerScalars: 2000, writerRepeats: 1, memoryScalars: 5000,
    rgbImages: 1, grayImages: 2, imageRepeats: 1,
    histogramValues: 1000, histogramRepeats: 1,
    readerScalars: 1000, readerRepeats: 1, exportPoints: 100,
  };
  const lines: string[] = [];
  const only = ['writer', 'memory', 'flush', 'summaries', 'reader', 'writer-peers', 'overhead'] as const;
  const r: BenchReport = await runBench({ quick: true, training: false, experiment: false, only: [...only] }, (s) => lines.push(s), {
    logging: tiny,
    overhead: { steps: 2, warmup: 1, batch: 4, machinerySteps: 32, variants: ['defaults'] },
    writerPeers: { scalars: 400, rounds: 2 },
    peer: 'no Python venv here (the test)',
    flush: FLUSH_TINY,
  });
  const text = lines.join('\n');
  assert.deepEqual(r.errors, {});
  assert.equal(r.skipped.training, '--no-training given');
  assert.equal(r.skipped.experiment, 'not part of --quick');
  assert.match(text, /cores/);
  assert.match(text, new RegExp(process.version.replace(/\./g, '\\.')));
  assert.match(text, /peers: none \(no Python venv here \(the test\)\)/);
  assert.match(text, /## Scalar writer/);
  assert.match(text, /## Writers on the same scalar stream/);
  assert.match(text, /tensorboardX: skipped: no Python venv here/);
  assert.match(text, /## Targets/);
  assert.match(text, /load avg at end/);
  positive(r.machine.cpus, 'cpus');
  assert.ok(r.writer && r.memory && r.images && r.histograms && r.reader && r.export && r.overhead && r.writerPeers);
  assert.equal(r.loading, undefined, 'not among --only');
  // The skip path: tbkit alone on the stream, the peers skipped with the reason, their targets undecided.
  assert.deepEqual(r.writerPeers.rows.map((x) => x.writer), ['tbkit']);
  assert.deepEqual(r.writerPeers.rows[0].seconds.length, 2);
  assert.deepEqual(r.writerPeers.skipped, { tensorboardX: 'no Python venv here (the test)', 'torch.utils.tensorboard': 'no Python venv here (the test)' });
  close(r.ratios['raw write of the same bytes / SummaryWriter.scalar (scalars/s)'], r.writer.rawScalarsPerSec / r.writer.writerScalarsPerSec, 'report ratio');
  assert.deepEqual(computeRatios(r), r.ratios);
  const targets = computeTargets(r);
  for (const t of targets) assert.ok(t.met === undefined || typeof t.met === 'boolean');
  const byName = new Map(targets.map((t) => [t.name, t]));
  assert.equal(byName.get('writer scalars/s')!.met, r.writer.writerScalarsPerSec >= 2e6);
  assert.equal(byName.has('writer vs raw limit'), false, 'retired (issue 16)');
  for (const name of ['writer vs tensorboardX', 'logdir loading vs RustBoard (tbkit export)', 'default experiment vs PyTorch']) {
    assert.equal(byName.get(name)?.met, undefined, name);
    assert.match(byName.get(name)!.verdict, /^undecided \(not measured: /, name);
  }
  assert.match(byName.get('writer vs tensorboardX')!.verdict, /no Python venv here/);
  // --record: the method, the run's machine and command, the output verbatim.
  const md = renderRecord(r, lines, '# Benchmarks\n\nmethod text\n');
  assert.ok(md.startsWith('# Benchmarks\n\nmethod text\n\n## Recorded run\n'));
  assert.ok(md.includes('```text\n' + lines.map((l) => l.trimEnd()).join('\n') + '\n```\n'));
  assert.match(md, new RegExp(`load average ${r.machine.loadAvg.join(' ')} at the start and ${r.loadAvgEnd!.join(' ')} at the end`));
  assert.equal((md.match(/^## Targets$/gm) ?? []).length, 1, 'one targets table');
  // JSON round trip (what --json writes).
  const back = JSON.parse(JSON.stringify(r)) as BenchReport;
  assert.equal(back.mode, 'quick');
});

test('training comparisons: WASM vs PyTorch like for like (threads, BN), and the experiment estimate', async () => {
  const { wasmVsPytorch, experimentEstimateMinutes, EXPERIMENT_STEPS } = await import('../../bench/training');
  const row = (backend: string, bn: boolean, msPerStep: number, lr = 0.01) => ({ backend, bn, msPerStep, steps: 20, lr });
  const rows = [
    row('wasm-1thread', false, 90),
    { ...row('wasm-1thread', false, 50, 0.001), data: 'digits' as const, dyNonzeroPct: 9 },
    row('wasm-1thread-dense-conv-grads', false, 95, 0.001),
    row('wasm-1thread', true, 100),
    row('wasm-1thread-stock-kernels', false, 300),
    row('wasm-2threads', false, 60),
    row('wasm-1thread-beside-other-run', false, 95),
    row('wasm-1thread-beside-other-run', true, 110),
    row('pytorch-1thread', false, 45),
    row('pytorch-1thread', true, 60),
    row('pytorch-2threads', false, 25),
    row('pytorch-2threads', true, 40), // no wasm-2threads BN row: not compared
    row('pytorch-1thread', false, 44, 0.001), // paired with the lr-0.001 WASM row, not the 0.01 one
    row('pytorch-2threads', false, 26, 0.001), // no wasm-2threads lr-0.001 row: not compared
  ];
  const got = wasmVsPytorch(rows).map((c) => [c.threads, c.bn, c.lr, c.wasm.backend, c.wasm.msPerStep, c.torch.backend, c.ratio]);
  assert.deepEqual(got, [
    ['1thread', false, 0.01, 'wasm-1thread', 90, 'pytorch-1thread', 2],
    ['1thread', true, 0.01, 'wasm-1thread', 100, 'pytorch-1thread', 100 / 60],
    ['2threads', false, 0.01, 'wasm-2threads', 60, 'pytorch-2threads', 60 / 25],
    ['1thread', false, 0.001, 'wasm-1thread', 50, 'pytorch-1thread', 50 / 44],
  ]);
  close(experimentEstimateMinutes(rows)!, (110 * EXPERIMENT_STEPS) / 60000, 'estimate from the slower concurrent run');
  assert.equal(experimentEstimateMinutes(rows.slice(0, 4)), undefined);
  const targets = computeTargets({
    trainingVsPytorch: wasmVsPytorch(rows),
    experimentEstimateMin: 4.5,
    skipped: {},
    errors: {},
  } as unknown as BenchReport);
  assert.deepEqual(
    targets.filter((t) => /^(training step|default experiment \(estimate)/.test(t.name)).map((t) => [t.name, t.met]),
    [
      ['training step vs PyTorch (bn=no, lr 0.01 noise, 1thread)', true],
      ['training step vs PyTorch (bn=yes, lr 0.01 noise, 1thread)', true],
      ['training step vs PyTorch (bn=no, lr 0.01 noise, 2threads)', false],
      ['training step vs PyTorch (bn=no, lr 0.001 digits, 1thread)', true],
      ['default experiment (estimate: concurrent steps only)', undefined],
    ],
  );
});

test('profileWasmStep: the step\'s registered kernels, each counted once, sum to about the step', async () => {
  const { profileWasmStep } = await import('../../bench/profile-step');
  const p = await profileWasmStep({ bn: true, lr: 0.01, data: 'noise', threads: 1, steps: 2 });
  const names = p.kernels.map((k) => k.name);
  for (const k of ['FusedConv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'TbkitBatchNormTraining', 'TbkitAdamUpdate']) assert.ok(names.includes(k), `${k} in ${names.join(', ')}`);
  assert.ok(!names.some((n) => n.endsWith('__op')), 'op scopes are not kernels');
  assert.equal(p.kernels.find((k) => k.name === 'Conv2DBackpropFilter')!.calls, 2, 'one per conv layer');
  const total = p.kernels.reduce((s, k) => s + k.ms, 0);
  positive(p.msPerStep, 'msPerStep');
  assert.ok(total > 0 && total < 3 * p.msPerStep, `kernels ${total} ms of a ${p.msPerStep} ms step: nothing counted twice`);
});
