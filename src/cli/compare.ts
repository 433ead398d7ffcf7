/**
 * `tbkit compare`: one row per run with its hparams and, per scalar tag, the last value and the best
 * value with its step; optional line charts of the tags across runs (SVG, or PNG through resvg).
 *
 * `compareRuns` and `plotRuns` are the programmatic entry points (used by the experiment code).
 */
import * as path from 'node:path';
import { Command, Option, InvalidArgumentError } from 'commander';
import { readRun, type ScalarPoint } from '../events';
import { renderChartGrid, type ChartPanel } from '../chart/chart';
import { svgToPng } from '../chart/png';
import { PALETTE } from '../chart/chart';
import { selectRuns, byName, nonFiniteReplacer } from './common';
import { UsageError } from './errors';
import { collect, makeFilter } from './filters';
import { detectStyle, colorizer, table, num, hparamText } from './format';
import { writeOutputFile } from './output';

export type BestMode = 'min' | 'max';
export type HParamValue = string | number | boolean;

export interface MetricSummary {
  tag: string;
  /** Direction of "best" for this tag. */
  mode: BestMode;
  count: number;
  last: number;
  lastStep: number;
  lastWallTime: number;
  /** Best non-NaN value (NaN when every value is NaN); the earliest step on ties. */
  best: number;
  bestStep: number;
}

export interface CompareRow {
  run: string;
  hparams: Record<string, HParamValue>;
  metrics: Record<string, MetricSummary>;
}

export interface CompareOptions {
  /** Run filters (glob or /regex/), OR-ed. */
  runs?: string[];
  /** Tag filters (glob or /regex/), OR-ed; default all scalar tags. */
  tags?: string[];
  /** Sort runs by this tag (best run first, in the tag's direction); runs without it go last. */
  metric?: string;
  /** Sort by the metric's last (default) or best value. */
  by?: 'last' | 'best';
  /** Direction for tags whose name does not imply one (default 'min'). */
  mode?: BestMode;
}

export interface PlotOptions extends CompareOptions {
  /** 'png' also returns the PNG bytes; default 'svg'. */
  format?: 'svg' | 'png';
  /** TensorBoard smoothing weight in [0, 1). */
  smoothing?: number;
  logY?: boolean;
  /** Whole image size in pixels (default: 460 per column, 300 per row of charts + legend). */
  width?: number;
  height?: number;
  /** Charts per row. */
  columns?: number;
  title?: string;
}

export interface PlotResult {
  svg: string;
  png?: Buffer;
  width: number;
  height: number;
  /** Tags drawn, one chart each, in order. */
  tags: string[];
  /** Runs drawn, in legend order. */
  runs: string[];
}

/**
 * "min" for tags containing loss/cost/error, "max" for accuracy/acc, else `fallback`.
 * (Checked on the lower-cased tag; loss/cost/error win, so "acc_loss" is minimized.)
 */
export function bestModeFor(tag: string, fallback: BestMode = 'min'): BestMode {
  const t = tag.toLowerCase();
  if (t.includes('loss') || t.includes('cost') || t.includes('error')) return 'min';
  if (t.includes('acc')) return 'max';
  return fallback;
}

export function summarize(tag: string, points: readonly ScalarPoint[], mode: BestMode): MetricSummary | undefined {
  if (points.length === 0) return undefined;
  const last = points[points.length - 1];
  let best = NaN;
  let bestStep = last.step;
  for (const p of points) {
    const v = p.value;
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (mode === 'min' ? v < best : v > best)) {
      best = v;
      bestStep = p.step;
    }
  }
  return { tag, mode, count: points.length, last: last.value, lastStep: last.step, lastWallTime: last.wallTime, best, bestStep };
}

interface LoadedRun {
  name: string;
  hparams: Record<string, HParamValue>;
  hasHparams: boolean;
  scalars: Map<string, ScalarPoint[]>;
}

/** Reads the selected runs, keeping only the selected scalar tags (and the metric). */
function loadRuns(logdir: string, opts: CompareOptions, keepPoints: boolean): { runs: LoadedRun[]; tags: string[]; summaries: Map<string, Map<string, MetricSummary>> } {
  const infos = selectRuns(logdir, opts.runs);
  const keepTag = makeFilter(opts.tags, '--tag');
  const mode = opts.mode ?? 'min';
  const runs: LoadedRun[] = [];
  const summaries = new Map<string, Map<string, MetricSummary>>();
  const tagSet = new Set<string>();
  for (const info of infos) {
    const data = readRun(info.files);
    const kept = new Map<string, ScalarPoint[]>();
    const sums = new Map<string, MetricSummary>();
    for (const [tag, pts] of data.scalars) {
      const selected = keepTag(tag);
      if (!selected && tag !== opts.metric) continue;
      const s = summarize(tag, pts, bestModeFor(tag, mode));
      if (!s) continue;
      sums.set(tag, s);
      if (selected) {
        tagSet.add(tag);
        if (keepPoints) kept.set(tag, pts);
      }
    }
    if (sums.size === 0 && !data.hparams) continue; // e.g. the root run holding only the experiment config
    runs.push({ name: info.name, hparams: data.hparams?.hparams ?? {}, hasHparams: !!data.hparams, scalars: kept });
    summaries.set(info.name, sums);
  }
  return { runs, tags: [...tagSet].sort(byName), summaries };
}

function buildRows(runs: LoadedRun[], tags: string[], summaries: Map<string, Map<string, MetricSummary>>, opts: CompareOptions): CompareRow[] {
  const rows: CompareRow[] = runs.map((r) => {
    const metrics: Record<string, MetricSummary> = {};
    const sums = summaries.get(r.name)!;
    for (const t of tags) {
      const s = sums.get(t);
      if (s) metrics[t] = s;
    }
    if (opts.metric && sums.has(opts.metric)) metrics[opts.metric] = sums.get(opts.metric)!;
    return { run: r.name, hparams: r.hparams, metrics };
  });
  if (opts.metric) {
    const metric = opts.metric;
    if (!rows.some((r) => r.metrics[metric])) {
      throw new UsageError(`--metric ${metric}: no selected run has this scalar tag; tags are: ${tags.join(', ') || '(none)'}`);
    }
    const key = (r: CompareRow): number => {
      const m = r.metrics[metric];
      if (!m) return NaN;
      const v = opts.by === 'best' ? m.best : m.last;
      return m.mode === 'min' ? v : -v;
    };
    rows.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (Number.isNaN(ka) || Number.isNaN(kb)) return Number.isNaN(ka) ? (Number.isNaN(kb) ? 0 : 1) : -1;
      return ka - kb || byName(a.run, b.run);
    });
  }
  return rows;
}

/** One row per run (runs with neither scalars nor hparams are left out): hparams, last and best per tag. */
export function compareRuns(logdir: string, opts: CompareOptions = {}): CompareRow[] {
  const { runs, tags, summaries } = loadRuns(logdir, opts, false);
  return buildRows(runs, tags, summaries, opts);
}

/** Line charts of the selected tags (one chart each) over the selected runs (one colour each). */
export function plotRuns(logdir: string, opts: PlotOptions = {}): PlotResult {
  const { runs, tags } = loadRuns(logdir, opts, true);
  return plotLoaded(runs, tags, opts);
}

function plotLoaded(runs: LoadedRun[], tags: string[], opts: PlotOptions): PlotResult {
  if (tags.length === 0) throw new UsageError('nothing to plot: no scalar tag in the selected runs' + (opts.tags ? ` matches ${opts.tags.join(', ')}` : ''));
  const plotted = runs.filter((r) => r.scalars.size > 0);
  const color = new Map(plotted.map((r, i) => [r.name, PALETTE[i % PALETTE.length]]));
  const panels: ChartPanel[] = tags.map((tag) => ({
    title: tag,
    series: plotted
      .filter((r) => r.scalars.has(tag))
      .map((r) => ({ name: r.name, color: color.get(r.name), points: r.scalars.get(tag)! })),
  }));
  const chart = renderChartGrid(panels, {
    width: opts.width,
    height: opts.height,
    smoothing: opts.smoothing,
    logY: opts.logY,
    columns: opts.columns,
    title: opts.title,
    names: plotted.map((r) => r.name),
  });
  const result: PlotResult = { svg: chart.svg, width: chart.width, height: chart.height, tags, runs: plotted.map((r) => r.name) };
  if (opts.format === 'png') result.png = svgToPng(chart.svg);
  return result;
}

export function formatCompare(rows: CompareRow[], style = detectStyle(process.stdout), opts: CompareOptions = {}): string {
  const c = colorizer(style.color);
  const hpNames = [...new Set(rows.flatMap((r) => Object.keys(r.hparams)))].sort(byName);
  const tags = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort(byName);
  const modeOf = new Map<string, BestMode>();
  for (const r of rows) for (const m of Object.values(r.metrics)) modeOf.set(m.tag, m.mode);
  const head = ['run', ...hpNames, ...tags.flatMap((t) => [`${t} last`, `${t} ${modeOf.get(t)}@step`])];
  const body = rows.map((r) => [
    r.run,
    ...hpNames.map((h) => (h in r.hparams ? hparamText(r.hparams[h]) : '')),
    ...tags.flatMap((t) => {
      const m = r.metrics[t];
      return m ? [num(m.last), `${num(m.best)} @${m.bestStep}`] : ['', ''];
    }),
  ]);
  // Highlight each tag's best "best" across runs.
  if (style.color) {
    tags.forEach((t, ti) => {
      const col = 1 + hpNames.length + ti * 2 + 1;
      let bestRow = -1;
      rows.forEach((r, ri) => {
        const m = r.metrics[t];
        if (!m || Number.isNaN(m.best)) return;
        const cur = bestRow >= 0 ? rows[bestRow].metrics[t]!.best : NaN;
        if (bestRow < 0 || (m.mode === 'min' ? m.best < cur : m.best > cur)) bestRow = ri;
      });
      if (bestRow >= 0) body[bestRow][col] = c.green(body[bestRow][col]);
    });
  }
  const align = head.map((_, i) => (i <= hpNames.length ? 'left' : 'right') as 'left' | 'right');
  let out = table(head, body, style, { align }) + '\n';
  if (opts.metric) out += c.gray(`sorted by ${opts.by === 'best' ? 'best' : 'last'} ${opts.metric} (${modeOf.get(opts.metric) === 'max' ? 'highest' : 'lowest'} first)`) + '\n';
  return out;
}

function parseNumberOption(name: string, lo: number, hi: number, integer = false) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < lo || n > hi || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}]`);
    }
    return n;
  };
}

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description('compare runs: hparams, last and best value of each scalar tag; optional line charts')
    .argument('<logdir>', 'log directory (runs are its subdirectories holding *tfevents* files)')
    .option('-m, --metric <tag>', 'sort runs by this scalar tag (best first)')
    .addOption(new Option('--by <which>', 'sort by the metric\'s last or best value').choices(['last', 'best']).default('last'))
    .addOption(new Option('--mode <mode>', 'direction of "best" for tags whose name implies none').choices(['min', 'max']).default('min'))
    .option('-t, --tag <pattern>', 'only tags matching this glob or /regex/ (repeatable)', collect)
    .option('-r, --run <pattern>', 'only runs matching this glob or /regex/ (repeatable)', collect)
    .option('--json', 'machine-readable rows (NaN/Infinity as strings)')
    .option('-p, --plot <file>', 'draw the tags as line charts into <file> (.png or .svg)')
    .option('-s, --smoothing <w>', 'TensorBoard smoothing weight 0..0.999 (raw line drawn faded)', parseNumberOption('--smoothing', 0, 0.999), 0)
    .option('--log-y', 'logarithmic value axis (values <= 0 are not drawn)')
    .option('--width <px>', 'image width in pixels', parseNumberOption('--width', 100, 20000, true))
    .option('--height <px>', 'image height in pixels', parseNumberOption('--height', 100, 20000, true))
    .option('--columns <n>', 'charts per row', parseNumberOption('--columns', 1, 20, true))
    .addHelpText(
      'after',
      `
Best value: the minimum for tags whose name contains "loss", "cost" or "error", the maximum for
tags containing "acc" (accuracy), otherwise --mode. NaN values are ignored for "best"; ties keep
the earliest step. "last" is the value at the highest step after TensorBoard's purge rules.
Runs with neither scalars nor hparams (such as a root run holding only the hparams experiment
config) are not listed.

Charts (--plot): one chart per selected scalar tag in a grid, one colour per run (the same in
every chart), shared legend, step on x, value on y. --smoothing is TensorBoard's slider: a
debiased exponential moving average; the raw series is drawn faded behind the smoothed one.
--width/--height set the size of the whole image.

Examples
  $ tbkit compare logs
  $ tbkit compare logs --metric accuracy --by best
  $ tbkit compare logs --run 'run_*' --tag loss --tag accuracy --plot chart.png --smoothing 0.6
  $ tbkit compare logs --tag '/loss/' --plot loss.svg --log-y --width 1200 --height 500
`,
    )
    .action(
      async (
        logdir: string,
        o: { metric?: string; by: 'last' | 'best'; mode: BestMode; tag?: string[]; run?: string[]; json?: boolean; plot?: string; smoothing: number; logY?: boolean; width?: number; height?: number; columns?: number },
      ) => {
        let format: 'svg' | 'png' | undefined;
        if (o.plot) {
          const ext = path.extname(o.plot).toLowerCase();
          if (ext !== '.png' && ext !== '.svg') throw new UsageError(`--plot ${o.plot}: unknown image format "${ext || '(none)'}" (use .png or .svg)`);
          format = ext === '.png' ? 'png' : 'svg';
        }
        const copts: CompareOptions = { runs: o.run, tags: o.tag, metric: o.metric, by: o.by, mode: o.mode };
        const { runs, tags, summaries } = loadRuns(logdir, copts, !!o.plot);
        const rows = buildRows(runs, tags, summaries, copts);
        if (o.json) process.stdout.write(JSON.stringify(rows, nonFiniteReplacer, 2) + '\n');
        else process.stdout.write(formatCompare(rows, detectStyle(process.stdout), copts));
        if (o.plot && format) {
          const plot = plotLoaded(runs, tags, { ...copts, format, smoothing: o.smoothing, logY: o.logY, width: o.width, height: o.height, columns: o.columns });
          writeOutputFile(o.plot, format === 'png' ? plot.png! : plot.svg);
          process.stderr.write(`tbkit: wrote ${plot.tags.length} chart${plot.tags.length === 1 ? '' : 's'} of ${plot.runs.length} run${plot.runs.length === 1 ? '' : 's'} to ${o.plot} (${plot.width}x${plot.height})\n`);
        }
      },
    );
}
