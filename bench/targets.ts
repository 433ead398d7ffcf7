/**
 * The bench's ratios and its targets table, computed from a BenchReport. A target is `met`,
 * `NOT met`, or `undecided` (not measured in this run, skipped, or inside the noise); the bench
 * never fails on speed.
 */
import type { LoaderName, LoadingResult } from './peers/loading';
import { table, type BenchReport, type Target } from './report';
import { fmtNum, fmtPct, fmtRate, ratio, verdict } from './util';

export const WRITER_VS_TENSORBOARDX = 300;
export const LOAD_VS_RUSTBOARD = 5;
export const EXPERIMENT_VS_PYTORCH = 0.8;
/** Highest ÷ lowest ns/point over the scale sizes still called flat (the machine's noise is larger than 1). */
export const FLAT_SPREAD = 1.5;
/** Streaming: peak RSS growth with 10× more runs below this share of the added runs' columns. */
export const BOUNDED_SHARE = 0.25;
const MIN_DECIDABLE_COLUMNS_MB = 128;

/**
 * A/B verdict from a paired estimate and its 95 % interval: decided only when the interval is on
 * one side of the 2 % target. A session cannot make the same step faster: an interval wholly
 * below −2 % means the machine's load moved between the paired steps, so that run cannot decide.
 */
export function abVerdict(pct: number, [lo, hi]: [number, number]): { met: boolean | undefined; measured: string } {
  const disturbed = hi < -2;
  const met = disturbed ? undefined : hi <= 2 ? true : lo > 2 ? false : undefined;
  const why = disturbed ? ': session measured faster, load disturbed the pairs' : met === undefined ? ': inconclusive, within the noise' : '';
  return { met, measured: `${fmtPct(pct)}, 95 % CI [${fmtNum(lo, 1)}, ${fmtNum(hi, 1)}] %${why}` };
}

/** The size the loading target is judged on (full mode's main size), when RustBoard loaded it. */
export function loadingJudged(loading: readonly LoadingResult[] | undefined): LoadingResult | undefined {
  return (loading ?? []).find((l) => l.size.judged && l.rows.some((r) => r.loader === 'rustboard'));
}

function notMeasured(r: BenchReport, section: string, fallback: string): string {
  return `not measured: ${r.skipped[section] ?? r.errors[section] ?? fallback}`;
}

export function computeTargets(r: BenchReport): Target[] {
  const out: Target[] = [];
  const push = (name: string, target: string, measured: string, met: boolean | undefined): void => {
    out.push({ name, target, measured, met, verdict: verdict(met, measured) });
  };
  if (r.writer) {
    const w = r.writer;
    push('writer scalars/s', '≥ 2 M scalars/s (one core)', `${fmtRate(w.writerScalarsPerSec)}/s = ${fmtNum(w.writerScalarsPerSec / 2e6)}× the target`, w.writerScalarsPerSec >= 2e6);
  }
  const tbx = r.writerPeers?.tbkitSpeedup.tensorboardX;
  push('writer vs tensorboardX', `SummaryWriter.scalar ≥ ${WRITER_VS_TENSORBOARDX}× faster than add_scalar`,
    tbx === undefined ? notMeasured(r, 'writer-peers', r.writerPeers?.skipped.tensorboardX ?? 'section not run') : `${fmtNum(tbx, 0)}× (paired median)`, tbx === undefined ? undefined : tbx >= WRITER_VS_TENSORBOARDX);
  if (r.memory) {
    const m = r.memory;
    push('memory flat', `flat while logging ${fmtRate(m.scalars)} scalars synchronously`, `peak RSS +${fmtNum(m.peakRssGrowthMB, 1)} MB, heapUsed +${fmtNum(m.peakHeapGrowthMB, 1)} MB for ${fmtNum(m.fileMB, 0)} MB written`, m.flat);
  }
  if (r.flushLatency) {
    const f = r.flushLatency;
    push('sparse logging on disk', '≤ 2 s from the call at any rate', `worst ${fmtNum(f.worstMs / 1000, 2)} s`, f.worstMs <= 2000);
    const hot = f.hot.map((h) => `${h.writes} writes for ${fmtRate(h.scalars)} scalars (${h.loop}; batches: ${h.expectedWrites})`).join('; ');
    push('hot loop batching', 'one write() per batch', hot, f.hot.every((h) => h.writes <= h.expectedWrites + 1));
  }
  if (r.reader) {
    const rr = r.reader.rows[0];
    push('reader events/s (readRun)', '≥ 5 M scalar events/s, CRCs checked', `${fmtRate(rr.eventsPerSec)}/s = ${fmtNum(rr.eventsPerSec / 5e6)}× the target`, rr.eventsPerSec >= 5e6);
    const fast = r.reader.rows[1];
    push('reader events/s (fast scan)', '≥ 5 M scalar events/s, CRCs checked', `${fmtRate(fast.eventsPerSec)}/s = ${fmtNum(fast.eventsPerSec / 5e6)}× the target`, fast.eventsPerSec >= 5e6);
  }
  const judged = loadingJudged(r.loading);
  for (const loader of ['export', 'compare'] as LoaderName[]) {
    const x = judged?.speedupVsRustboard[loader];
    const where = judged ? ` on ${judged.size.name} (${fmtRate(judged.points)} points)` : '';
    push(`logdir loading vs RustBoard (tbkit ${loader})`, `≥ ${LOAD_VS_RUSTBOARD}× faster than RustBoard serving every point, our process start counted`,
      x === undefined ? notMeasured(r, 'loading', judged?.skipped.rustboard ?? r.loading?.find((l) => l.skipped.rustboard)?.skipped.rustboard ?? (r.loading ? (r.loading.some((l) => l.size.judged) ? 'no RustBoard row' : 'judged on the full mode\'s main size') : 'section not run')) : `${fmtNum(x, 1)}× (paired median)${where}`, x === undefined ? undefined : x >= LOAD_VS_RUSTBOARD);
  }
  if (r.scale) {
    const s = r.scale;
    const sizes = `${s.rows.length} sizes up to ${fmtRate(Math.max(...s.rows.map((x) => x.pointsPerRun)))} points/run and ${Math.max(...s.rows.map((x) => x.runs))} runs`;
    push('reader cost per point flat', `highest ÷ lowest ns/point ≤ ${FLAT_SPREAD} (${sizes})`, `${fmtNum(s.nsPerPointSpread, 2)}`, s.nsPerPointSpread <= FLAT_SPREAD);
    for (const k of ['export', 'compare'] as const) {
      const g = s.manyRunsGrowthMB[k];
      const { from, to } = s.manyRuns;
      // Below this many added columns, the GC's lag alone can exceed the share: too small to decide.
      const decidable = s.manyRunsColumnsMB >= MIN_DECIDABLE_COLUMNS_MB;
      const measured = g === undefined ? 'not measured' : `+${fmtNum(g, 0)} MB vs ${fmtNum(s.manyRunsColumnsMB, 0)} MB of added columns${decidable ? '' : ': too few to tell from GC lag'}`;
      push(`${k} streams run by run`, `peak RSS growth from ${from} to ${to} runs < ${BOUNDED_SHARE * 100} % of the added runs' columns`, measured,
        g === undefined || !decidable ? undefined : g < BOUNDED_SHARE * s.manyRunsColumnsMB);
    }
  }
  for (const c of r.trainingVsPytorch ?? []) {
    const setting = c.lr === undefined ? '' : `, lr ${c.lr} ${c.wasm.data ?? 'noise'}`;
    const dy = c.wasm.dyNonzeroPct === undefined ? '' : ` (dy ${fmtNum(c.wasm.dyNonzeroPct, 1)} % nonzero)`;
    push(`training step vs PyTorch (bn=${c.bn ? 'yes' : 'no'}${setting}, ${c.threads})`, 'WASM within 2× of PyTorch on the CPU', `${fmtNum(c.wasm.msPerStep, 1)} vs ${fmtNum(c.torch.msPerStep, 1)} ms/step = ${fmtNum(c.ratio)}×${dy}`, c.ratio <= 2);
  }
  if (r.experimentEstimateMin !== undefined) {
    // Two short concurrent runs, both starting cold, overstate a real run's step, so this only
    // informs; the experiment's target is judged on the timed whole experiment.
    push('default experiment (estimate: concurrent steps only)', '< 5 min on 2 cores', `${fmtNum(r.experimentEstimateMin, 1)} min of training steps; an estimate: the experiment row times the real one`, undefined);
  }
  const e = r.experiment;
  push('default experiment vs PyTorch', `wall time ≤ ${EXPERIMENT_VS_PYTORCH}× PyTorch's (both runs, same machine)`,
    e ? `${e.tbkit.map((t) => fmtNum(t.seconds, 0)).join('/')} s vs ${e.pytorch.map((t) => fmtNum(t.seconds, 0)).join('/')} s = ${fmtNum(e.ratio, 2)}× (paired median); results ${e.identical ? 'identical to' : 'DIFFER from'} the README's` : notMeasured(r, 'experiment', 'section not run'), e ? e.ratio <= EXPERIMENT_VS_PYTORCH && e.identical : undefined);
  if (r.overhead) {
    for (const v of r.overhead.variants) {
      const wall = abVerdict(v.overheadPct, v.overheadCi95Pct);
      push(`training overhead (${v.name}, A/B wall)`, '≤ 2 % per step', wall.measured, wall.met);
      const cpu = abVerdict(v.cpuOverheadPct, v.cpuOverheadCi95Pct);
      push(`training overhead (${v.name}, A/B CPU)`, '≤ 2 % per step', cpu.measured, cpu.met);
    }
    for (const [name, pct] of Object.entries(r.overhead.machineryPctOfStep)) {
      push(`training overhead (${name}, machinery)`, '≤ 2 % per step', `${fmtNum(r.overhead.machinery.usPerStep[name as 'defaults'], 1)} µs/step = ${fmtNum(pct, 3)} % of a plain step`, pct <= 2);
    }
  }
  return out;
}

export function computeRatios(r: BenchReport): Record<string, number> {
  const out: Record<string, number> = {};
  if (r.writer) out['raw write of the same bytes / SummaryWriter.scalar (scalars/s)'] = r.writer.rawOverWriter;
  for (const [w, x] of Object.entries(r.writerPeers?.tbkitSpeedup ?? {})) out[`SummaryWriter.scalar / ${w} add_scalar (speed, paired)`] = x;
  for (const l of r.loading ?? []) {
    for (const [k, x] of Object.entries(l.speedupVsRustboard)) out[`${k} / RustBoard, ${l.size.name} (speed, paired)`] = x;
  }
  if (r.experiment) out['default experiment: tbkit / PyTorch (wall time)'] = r.experiment.ratio;
  if (r.reader) out['readRun events/s / SummaryWriter.scalar scalars/s'] = ratio(r.reader.rows[0].eventsPerSec, r.writer?.writerScalarsPerSec ?? NaN);
  if (r.overhead) {
    for (const v of r.overhead.variants) out[`session / plain training step (${v.name}, medians)`] = ratio(v.sessionMsPerStep, v.plainMsPerStep);
    const plain = r.overhead.variants[0]?.plainMsPerStep;
    if (r.writer && plain !== undefined) out['scalar() calls per plain training step (same time)'] = (plain / 1000) * r.writer.writerScalarsPerSec;
    if (r.images && plain !== undefined) out['256x256 RGB image summaries per plain training step'] = ratio(plain, r.images[0].msPerImage);
    if (r.histograms && plain !== undefined) out['1M-value histograms per plain training step'] = ratio(plain, r.histograms.msPerHistogram);
  }
  if (r.training && r.overhead) {
    // The overhead bench uses selectBackend('wasm') defaults (one thread per core); benchTraining
    // names that row 'wasm' or 'wasm-<n>threads'.
    const bn = r.overhead.bn;
    const names = ['wasm', `wasm-${r.machine.cpus}threads`];
    const wasm = r.training.find((t) => t.bn === bn && names.includes(t.backend)) ??
      r.training.find((t) => t.bn === bn && t.backend.startsWith('wasm') && !t.backend.includes('stock'));
    if (wasm) out[`overhead-bench plain step / benchTraining ${wasm.backend} step (consistency)`] = ratio(r.overhead.variants[0]?.plainMsPerStep ?? NaN, wasm.msPerStep);
  }
  return out;
}

export function printSummary(r: BenchReport, out: (s: string) => void): void {
  out('\n## Ratios');
  const t = table(['ratio', 'value']);
  for (const [k, v] of Object.entries(r.ratios)) t.push([k, Number.isFinite(v) ? (Math.abs(v) >= 100 ? fmtRate(v) : fmtNum(v, 3)) : 'n/a']);
  out(t.toString());
  out('\n## Targets');
  const tt = table(['target', 'wanted', 'result']);
  for (const x of r.targets) tt.push([x.name, x.target, x.verdict]);
  out(tt.toString());
  for (const [k, v] of Object.entries(r.skipped)) out(`${k}: skipped: ${v}`);
  for (const [k, v] of Object.entries(r.errors)) out(`${k}: FAILED: ${v}`);
}
