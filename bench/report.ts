/**
 * What one bench run measured (BenchReport: what --json writes and --record renders), and the
 * pieces every section prints with: the header (machine, versions, load) and the table style.
 */
import Table from 'cli-table3';
import type { BenchExportResult } from './export';
import type { MemoryBenchResult } from './memory';
import type { OverheadResult } from './overhead';
import type { LoadingResult } from './peers/loading';
import type { FlushLatencyResult } from './flush-latency';
import type { ExperimentResult } from './peers/experiment';
import type { PeerVersions } from './peers/python';
import type { WriterPeersResult } from './peers/writers';
import type { ReaderBenchResult } from './reader';
import type { ScaleResult } from './scale';
import type { HistogramBenchResult, ImageBenchRow } from './summaries';
import type { MachineInfo } from './util';
import type { WriterBenchResult } from './writer';

/** The shape of bench/training.ts's rows (loaded at run time: it may be absent or in progress). */
export interface TrainingRow { backend: string; bn: boolean; msPerStep: number; steps: number; cpuMsPerStep?: number; lr?: number; data?: string; dyNonzeroPct?: number }
export interface TrainingComparison { bn: boolean; lr?: number; threads: string; wasm: TrainingRow; torch: TrainingRow; ratio: number }

export interface Target {
  name: string;
  target: string;
  measured: string;
  /** undefined when not decided (not measured, skipped, or within the noise). */
  met: boolean | undefined;
  verdict: string;
}

export interface BenchReport {
  tool: 'tbkit bench';
  mode: 'quick' | 'full';
  command: string;
  machine: MachineInfo;
  /** The Python peers' versions, or why there are none. */
  peers: PeerVersions | string;
  loadAvgEnd?: number[];
  seconds?: number;
  writer?: WriterBenchResult;
  memory?: MemoryBenchResult;
  /** Call-to-disk latency of sparse scalars, write() calls of hot loops (bench/flush-latency.ts). */
  flushLatency?: FlushLatencyResult;
  images?: ImageBenchRow[];
  histograms?: HistogramBenchResult;
  reader?: ReaderBenchResult;
  export?: BenchExportResult;
  writerPeers?: WriterPeersResult;
  loading?: LoadingResult[];
  scale?: ScaleResult;
  overhead?: OverheadResult;
  training?: TrainingRow[];
  /** WASM vs PyTorch per BN setting at equal thread counts. */
  trainingVsPytorch?: TrainingComparison[];
  /** The default experiment's training minutes estimated from the concurrent 1-thread rows. */
  experimentEstimateMin?: number;
  experiment?: ExperimentResult;
  skipped: Record<string, string>;
  errors: Record<string, string>;
  ratios: Record<string, number>;
  targets: Target[];
}

export function table(head: string[]): Table.Table {
  // No colours: the output is recorded verbatim in BENCHMARKS.md.
  return new Table({ head, style: { head: [], border: [], compact: false } });
}

export function printHeader(r: BenchReport, out: (s: string) => void): void {
  const m = r.machine;
  out(`tbkit bench — ${r.mode} mode`);
  out(`date ${m.date} | ${m.cpus} cores (${m.cpuModel}) | ${m.platform} ${m.arch} | ${m.totalMemMB} MB RAM | load avg at start ${m.loadAvg.join(' ')}`);
  const p = r.peers;
  const peers = typeof p === 'string' ? `peers: none (${p})` : `python ${p.python} | tensorboard ${p.tensorboard ?? 'absent'} | tensorboardX ${p.tensorboardX ?? 'absent'} | torch ${p.torch ?? 'absent'}`;
  out(`node ${m.node} | ${peers}`);
  out(`command: ${r.command}`);
  out('times: warm-up excluded, medians of the repeats; pairs interleaved (A B, then B A); logging runs on the main thread (one core).');
}
