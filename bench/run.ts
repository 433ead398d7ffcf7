/**
 * `npm run bench [-- --quick] [-- --no-experiment] [-- --only …] [-- --json FILE] [-- --record FILE]`
 *
 * tbkit against what users would use instead, side by side in one run: the writer against
 * tensorboardX and torch.utils.tensorboard, loading a logdir against TensorBoard's two loaders,
 * the whole experiment against PyTorch; and tbkit's own costs: writer, memory, reader, scale,
 * logging overhead on training, training steps. It prints ratios and a targets table, and never
 * fails on speed. The Python peers come from a venv when there is one (bench/peers/python.ts);
 * without it their rows print `skipped: <why>`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, runs, type BenchArgs, type Section } from './args';
import { buildCompiledCli, type CompiledCli } from './compiled-cli';
import { benchExport } from './export';
import { benchFlushLatency, type FlushLatencyOptions } from './flush-latency';
import { benchMemory } from './memory';
import { benchOverhead, type OverheadOptions } from './overhead';
import { benchExperiment } from './peers/experiment';
import { benchLoading, type LoadingSize } from './peers/loading';
import { findPeerPython } from './peers/python';
import { benchWriterPeers } from './peers/writers';
import { printImagesHistograms, printMemory, printOverhead, printReader, printTraining, printWriter } from './print-logging';
import { printExperiment, printLoading, printScale, printWriterPeers } from './print-peers';
import { benchReader } from './reader';
import { writeRecord } from './record';
import { printHeader, type BenchReport, type TrainingComparison, type TrainingRow } from './report';
import { benchScale, type ScaleSize } from './scale';
import { loadingSizes, loggingSizes, scaleSizes, writerPeerSizes, type LoggingSizes } from './sizes';
import { benchHistograms, benchImages } from './summaries';
import { computeRatios, computeTargets, printSummary } from './targets';
import { fmtNum, machineInfo, SkipError } from './util';
import { benchWriter } from './writer';

export type { BenchReport, TrainingComparison, TrainingRow };

interface TrainingModule {
  benchTraining(opts: { quick: boolean; log?: (m: string) => void }): Promise<TrainingRow[]>;
  wasmVsPytorch(rows: TrainingRow[]): TrainingComparison[];
  experimentEstimateMinutes(rows: TrainingRow[]): number | undefined;
  formatRatios(rows: TrainingRow[]): string[];
}

/** Size overrides (the test runs the whole orchestration tiny). */
export interface BenchOverrides {
  logging?: Partial<LoggingSizes>;
  overhead?: OverheadOptions;
  flush?: FlushLatencyOptions;
  writerPeers?: { scalars: number; rounds: number };
  loading?: LoadingSize[];
  scale?: ScaleSize[];
  /** The peers' python, or why there is none (default: bench/peers/python.ts finds it). */
  peer?: ReturnType<typeof findPeerPython>;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

export async function runBench(args: BenchArgs, out: (s: string) => void = (s) => console.log(s), overrides: BenchOverrides = {}): Promise<BenchReport> {
  const t0 = Date.now();
  const quick = args.quick;
  const sizes: LoggingSizes = { ...loggingSizes(quick), ...overrides.logging };
  const peer = overrides.peer ?? findPeerPython();
  const report: BenchReport = {
    tool: 'tbkit bench',
    mode: quick ? 'quick' : 'full',
    command: `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`,
    machine: machineInfo(),
    peers: typeof peer === 'string' ? peer : peer.versions,
    skipped: {},
    errors: {},
    ratios: {},
    targets: [],
  };
  printHeader(report, out);

  /** Runs one section: its failure is reported and the bench goes on; a SkipError is a skip. */
  const step = async <T>(name: Section | string, f: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await f();
    } catch (e) {
      const kind = e instanceof SkipError ? 'skipped' : 'errors';
      report[kind][name] = errText(e);
      out(`${name}: ${kind === 'skipped' ? 'skipped' : 'FAILED'}: ${errText(e)}`);
      return undefined;
    }
  };
  const on = (s: Section): boolean => runs(args, s);

  // Logging first (before tfjs allocates its arenas), memory right after the writer.
  if (on('writer')) {
    report.writer = await step('writer', () => benchWriter({ scalars: sizes.writerScalars, repeats: sizes.writerRepeats }));
    if (report.writer) printWriter(report.writer, out);
  }
  if (on('memory')) {
    report.memory = await step('memory', () => benchMemory({ scalars: sizes.memoryScalars }));
    if (report.memory) printMemory(report.memory, out);
  }
  if (on('flush')) {
    report.flushLatency = await step('flush', () => benchFlushLatency({ quick, ...overrides.flush }));
    if (report.flushLatency) out(`\n## Flush latency and write() calls (default writer options)\n${report.flushLatency.summary}`);
  }
  if (on('summaries')) {
    report.images = await step('images', () => benchImages({ rgbImages: sizes.rgbImages, grayImages: sizes.grayImages, repeats: sizes.imageRepeats }));
    report.histograms = await step('histograms', () => benchHistograms({ values: sizes.histogramValues, repeats: sizes.histogramRepeats }));
    printImagesHistograms(report.images, report.histograms, out);
  }
  if (on('reader')) {
    report.reader = await step('reader', () => benchReader({ scalars: sizes.readerScalars, repeats: sizes.readerRepeats }));
    report.export = await step('export', () => benchExport({ points: sizes.exportPoints }));
    printReader(report.reader, report.export, out);
  }

  if (on('writer-peers')) {
    report.writerPeers = await step('writer-peers', () => benchWriterPeers(peer, overrides.writerPeers ?? writerPeerSizes(quick)));
    if (report.writerPeers) printWriterPeers(report.writerPeers, out);
  }
  let cli: CompiledCli | undefined;
  const compiled = (): CompiledCli => (cli ??= buildCompiledCli(os.tmpdir()));
  try {
    if (on('loading')) {
      const results = [];
      for (const size of overrides.loading ?? loadingSizes(quick)) {
        const r = await step(`loading ${size.name}`, () => benchLoading(peer, compiled().bin, size, (m) => out(`  ${m}`)));
        if (r) results.push(r);
      }
      report.loading = results;
      printLoading(results, out);
    }
    if (on('scale')) {
      report.scale = await step('scale', () => benchScale(compiled().bin, overrides.scale ?? scaleSizes(quick), (m) => out(`  ${m}`)));
      if (report.scale) printScale(report.scale, out);
    }
  } finally {
    cli?.cleanup();
  }

  if (on('overhead')) {
    report.overhead = await step('overhead', () => benchOverhead({ steps: quick ? 10 : 30, machinerySteps: quick ? 2000 : 8000, log: (m) => out(`  ${m}`), ...overrides.overhead }));
    if (report.overhead) printOverhead(report.overhead, out);
  }
  if (!on('training')) {
    report.skipped.training = args.training ? 'not among --only' : '--no-training given';
  } else {
    await step('training', async () => {
      const mod = require('./training') as TrainingModule;
      if (typeof mod.benchTraining !== 'function') throw new Error('bench/training.ts does not export benchTraining');
      out('\n(training bench running: every backend that loads here; PyTorch when a python can import torch)');
      report.training = await mod.benchTraining({ quick, log: (m) => out(`  ${m}`) });
      report.trainingVsPytorch = mod.wasmVsPytorch(report.training);
      report.experimentEstimateMin = mod.experimentEstimateMinutes(report.training);
      printTraining(report.training, out);
      for (const line of mod.formatRatios(report.training)) out(line);
    });
  }
  if (on('experiment')) {
    report.experiment = await step('experiment', () => benchExperiment(peer, (m) => out(`  ${m}`)));
    if (report.experiment) printExperiment(report.experiment, out);
  } else {
    report.skipped.experiment = quick ? 'not part of --quick' : args.only ? 'not among --only' : '--no-experiment given';
  }

  report.ratios = computeRatios(report);
  report.targets = computeTargets(report);
  report.seconds = (Date.now() - t0) / 1000;
  printSummary(report, out);
  report.loadAvgEnd = machineInfo().loadAvg;
  out(`\ntotal ${fmtNum(report.seconds, 1)} s; load avg at end ${report.loadAvgEnd.join(' ')}`);
  return report;
}

function jsonReplacer(_k: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

if (require.main === module) {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(errText(e));
    process.exit(2);
  }
  const lines: string[] = [];
  runBench(args, (s) => {
    console.log(s);
    lines.push(s);
  })
    .then((r) => {
      if (args.json) {
        fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
        fs.writeFileSync(args.json, JSON.stringify(r, jsonReplacer, 2) + '\n');
        console.log(`JSON written to ${args.json}`);
      }
      if (args.record) {
        writeRecord(args.record, r, lines);
        console.log(`${args.record} written from this run`);
      }
      if (Object.keys(r.errors).length > 0) process.exitCode = 1;
    })
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
