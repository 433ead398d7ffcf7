/** The tables of the peer and scale sections: writers, logdir loading, scale, the whole experiment. */
import { LOADER_LABELS, type LoadingResult } from './peers/loading';
import { EXPECTED_ACCURACY, type ExperimentResult, type ExperimentSide } from './peers/experiment';
import type { WriterPeersResult } from './peers/writers';
import { table } from './report';
import type { ScaleResult } from './scale';
import { fmtNum, fmtRate, median } from './util';

const secs = (xs: readonly number[]): string => xs.map((x) => x.toFixed(x < 1 ? 3 : 2)).join(' ');

export function printWriterPeers(w: WriterPeersResult, out: (s: string) => void): void {
  out(`\n## Writers on the same scalar stream (${fmtRate(w.scalars)} scalars, 4 tags, ${w.rounds} rounds, order reversed every round; first call until closed)`);
  const t = table(['writer', 'scalars/s', 'median s', 'all s', 'CPU s (median)', 'tbkit is … faster (paired median)']);
  for (const r of w.rows) {
    const speedup = r.writer === 'tbkit' ? '' : `${fmtNum(w.tbkitSpeedup[r.writer] ?? NaN, 0)}×`;
    const api = r.writer === 'tbkit' ? 'tbkit SummaryWriter.scalar' : `${r.writer} add_scalar`;
    t.push([api, fmtRate(r.scalarsPerSec), fmtNum(median(r.seconds), 3), secs(r.seconds), fmtNum(median(r.cpuSeconds), 3), speedup]);
  }
  out(t.toString());
  for (const [k, v] of Object.entries(w.skipped)) out(`${k}: skipped: ${v}`);
}

export function printLoading(results: readonly LoadingResult[], out: (s: string) => void): void {
  for (const l of results) {
    const s = l.size;
    out(`\n## Loading a logdir: ${s.name}, ${s.runs} runs × ${fmtRate(s.pointsPerRun)} scalars (${fmtRate(l.points)} points, ${fmtNum(l.bytes / 1048576, 0)} MB), ${s.rounds} round${s.rounds === 1 ? '' : 's'}`);
    const t = table(['loader (process start counted, except in-process)', 'median s', 'all s', 'CPU s (median)', 'peak RSS', 'speed vs RustBoard (paired median)']);
    for (const r of l.rows) {
      const vs = r.loader === 'rustboard' ? '1×' : `${fmtNum(l.speedupVsRustboard[r.loader] ?? NaN, r.loader === 'python-loader' ? 3 : 1)}×`;
      t.push([LOADER_LABELS[r.loader], fmtNum(median(r.seconds), 2), secs(r.seconds), r.cpuSeconds.length ? fmtNum(median(r.cpuSeconds), 2) : '-', r.peakRssMB === undefined ? '-' : `${fmtNum(r.peakRssMB, 0)} MB`, vs]);
    }
    out(t.toString());
    for (const [k, v] of Object.entries(l.skipped)) out(`${k}: skipped: ${v}`);
  }
  out('(TensorBoard: --reload_interval 0 --samples_per_plugin scalars=<all>; served = every run × tag fetched through scalars_multirun and counted.');
  out(' tbkit processes: the CLI compiled as installed (bench/compiled-cli.ts); CPU and peak RSS are the process\'s own.)');
}

export function printScale(s: ScaleResult, out: (s: string) => void): void {
  out('\n## Scale: cost per point and memory, by points per run and by number of runs (10 k points each)');
  const t = table(['runs × points', 'file', 'readRunColumns ns/point (best, median)', 'read peak RSS', 'export peak RSS (s)', 'compare peak RSS (s)']);
  const mb = (x: number | undefined): string => (x === undefined ? '-' : `${fmtNum(x, 0)} MB`);
  for (const r of s.rows) {
    t.push([`${r.runs} × ${fmtRate(r.pointsPerRun)}`, `${fmtNum(r.fileMB, 0)} MB`, `${fmtNum(r.bestNsPerPoint, 0)}, ${fmtNum(r.read.nsPerPoint, 0)} (${r.read.ms.length} reads)`,
      `${mb(r.read.peakRssMB)} (base ${mb(r.read.baselineRssMB)})`, `${mb(r.export.peakRssMB)} (${fmtNum(r.export.seconds, 1)})`, `${mb(r.compare.peakRssMB)} (${fmtNum(r.compare.seconds, 1)})`]);
  }
  out(t.toString());
  out(`highest / lowest best ns/point: ${fmtNum(s.nsPerPointSpread, 2)}; from ${s.manyRuns.from} to ${s.manyRuns.to} runs, peak RSS grows by ${mb(s.manyRunsGrowthMB.export)} (export) and ${mb(s.manyRunsGrowthMB.compare)} (compare), against ${mb(s.manyRunsColumnsMB)} of columns the added runs hold`);
}

export function printExperiment(e: ExperimentResult, out: (s: string) => void): void {
  out(`\n## The default experiment, whole (real MNIST from ${e.mnistDir}; 2 runs × 5 epochs, batch 100, Adam 0.01; process start to exit; ${e.tbkit.length} rounds, order reversed every round)`);
  const t = table(['side', 'wall time per round', 'validation accuracy, no BN / BN']);
  const acc = (a: { noBn: number; bn: number }): string => `${fmtNum(a.noBn * 100, 2)} % / ${fmtNum(a.bn * 100, 2)} %`;
  const min = (s: number): string => `${Math.floor(s / 60)} min ${fmtNum(s % 60, 0)} s`;
  const rows = (sides: ExperimentSide[]): string[] => [sides.map((s) => min(s.seconds)).join(', '), [...new Set(sides.map((s) => acc(s.accuracy)))].join('; ')];
  t.push(['tbkit: npm start (both runs side by side, WASM)', ...rows(e.tbkit)]);
  t.push(['PyTorch (CPU): 2 processes side by side, 1 thread each', ...rows(e.pytorch)]);
  t.push(['tbkit ÷ PyTorch (paired median)', `${fmtNum(e.ratio, 2)}×`, '']);
  out(t.toString());
  out(`tbkit's results ${e.identical ? 'are' : 'are NOT'} the README's (no BN ${fmtNum(EXPECTED_ACCURACY.noBn * 100, 2)} %, BN ${fmtNum(EXPECTED_ACCURACY.bn * 100, 2)} %) in every round`);
}
