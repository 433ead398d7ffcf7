/**
 * `tbkit compare`: one row per run with its hparams and, per scalar tag, the last value and the best
 * value with its step (compare-rows.ts, shown by compare-text.ts); optional line charts of the tags
 * across runs (compare-chart.ts: SVG, or PNG through resvg). Grouped (--group-by, or runs that
 * record a seed): one row per group and tag with statistics over its runs (compare-groups.ts,
 * compare-groups-text.ts), charts with a mean line and a band per group (compare-groups-chart.ts).
 *
 * `compareRuns`, `plotRuns` and `compareGroups` are the programmatic entry points (used by the
 * experiment command).
 */
import * as path from 'node:path';
import { Command, Option, InvalidArgumentError } from 'commander';
import { plotLoaded, type PlotOptions, type PlotResult } from './compare-chart';
import { buildGroups, chooseGrouping, groupedJson, type GroupedCompare } from './compare-groups';
import { plotGroups, type BandKind } from './compare-groups-chart';
import { formatGroupedCompare } from './compare-groups-text';
import { buildRows, loadRuns, type BestMode, type CompareOptions, type CompareRow, type KeepPoints } from './compare-rows';
import { formatCompare } from './compare-text';
import { DEFAULT_GROUP_BY, parseGroupBy } from './group-by';
import { UsageError } from './errors';
import { runFilterOption, tagFilterOption } from './filters';
import { detectStyle, nonFiniteReplacer } from './format';
import { nothingToShow } from './no-data';
import { writeOutputFile } from './output';

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

/**
 * Grouped comparison of the selected runs (grouped by `groupBy`, as --group-by takes it; default
 * every hparam except seed), with its banded chart when `plot` is given.
 */
export function compareGroups(
  logdir: string,
  opts: CompareOptions & { groupBy?: string; plot?: PlotOptions & { band?: BandKind } } = {},
): { result: GroupedCompare; plot?: PlotResult } {
  const { runs, tags } = loadRuns(logdir, opts, true);
  const { result, groups } = buildGroups(runs, tags, opts.groupBy === undefined ? DEFAULT_GROUP_BY : parseGroupBy(opts.groupBy), opts);
  return { result, plot: opts.plot && plotGroups(groups, tags, { ...opts, ...opts.plot }) };
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
    .argument('<logdir>', 'log directory (runs are its subdirectories holding *tfevents* files), or one event file')
    .option('-m, --metric <tag>', 'sort runs by this scalar tag (best first)')
    .addOption(new Option('--by <which>', 'sort by the metric\'s last or best value').choices(['last', 'best']).default('last'))
    .addOption(new Option('--mode <mode>', 'direction of "best" for tags whose name implies none').choices(['min', 'max']).default('min'))
    .addOption(tagFilterOption())
    .addOption(runFilterOption())
    .option('--json', 'machine-readable rows (NaN/Infinity as strings)')
    .option('-p, --plot <file>', 'draw the tags as line charts into <file> (.png or .svg)')
    .option('-s, --smoothing <w>', 'TensorBoard smoothing weight 0..0.999 (raw line drawn faded)', parseNumberOption('--smoothing', 0, 0.999), 0)
    .option('--log-y', 'logarithmic value axis (values <= 0 are not drawn)')
    .option('--width <px>', 'image width in pixels', parseNumberOption('--width', 100, 20000, true))
    .option('--height <px>', 'image height in pixels', parseNumberOption('--height', 100, 20000, true))
    .option('--columns <n>', 'charts per row', parseNumberOption('--columns', 1, 20, true))
    .option('-g, --group-by <keys|pattern>', "group runs by these hparams (use_bn,learning_rate) or by a run-name pattern ('{bn}-lr{lr}-s*')")
    .option('--no-group', 'one row per run even when the runs record a seed')
    .addOption(new Option('--band <kind>', 'grouped charts: the shaded band').choices(['minmax', 'std']).default('minmax'))
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

Groups (--group-by, or by default every hparam except "seed" when some run records a seed): one
row per group and tag with n (runs), mean ± sample std of the last and of the best values, each
with its 95 % interval of the mean (Student t, n − 1 degrees of freedom; none for a group of one),
and the best value of the group's mean curve with its step. Runs are aligned on the steps all of
them logged; "last" is each run's value at the last such step; steps that only some runs logged
are not averaged. NaN/Inf values are left out of the statistics and counted beside n. A pattern
is a glob whose {name} placeholders capture the grouping values. --plot then draws per group the
mean of the (smoothed) runs with a band (--band minmax: the runs' range; std: mean ± 1 std), the
runs faintly, and open circles on points at steps not every run logged.

Examples
  $ tbkit compare logs
  $ tbkit compare logs --group-by use_bn,learning_rate --plot groups.png --band std
  $ tbkit compare logs --group-by '{bn}-lr{lr}-s*' --json
  $ tbkit compare logs --metric accuracy --by best
  $ tbkit compare logs --run 'run_*' --tag loss --tag accuracy --plot chart.png --smoothing 0.6
  $ tbkit compare logs --tag '/loss/' --plot loss.svg --log-y --width 1200 --height 500
`,
    )
    .action(
      async (
        logdir: string,
        o: { metric?: string; by: 'last' | 'best'; mode: BestMode; tag?: string[]; run?: string[]; json?: boolean; plot?: string; smoothing: number; logY?: boolean; width?: number; height?: number; columns?: number; groupBy?: string; group: boolean; band: BandKind },
      ) => {
        let format: 'svg' | 'png' | undefined;
        if (o.plot) {
          const ext = path.extname(o.plot).toLowerCase();
          if (ext !== '.png' && ext !== '.svg') throw new UsageError(`--plot ${o.plot}: unknown image format "${ext || '(none)'}" (use .png or .svg)`);
          format = ext === '.png' ? 'png' : 'svg';
        }
        const copts: CompareOptions = { runs: o.run, tags: o.tag, metric: o.metric, by: o.by, mode: o.mode };
        // Points only when something needs them (charts, groups): a table alone is computed run by
        // run, holding one run's columns at a time.
        const keep: KeepPoints = o.plot !== undefined || (o.group !== false && o.groupBy !== undefined) ? true : o.group === false ? false : 'if-seeded';
        const { runs, tags, summaries } = loadRuns(logdir, copts, keep);
        if (tags.length === 0) throw nothingToShow('scalar', o.tag);
        const grouping = chooseGrouping(runs, o);
        const popts = { ...copts, format, smoothing: o.smoothing, logY: o.logY, width: o.width, height: o.height, columns: o.columns };
        let plot: PlotResult | undefined;
        let drawn = '';
        if (grouping) {
          const { result, groups } = buildGroups(runs, tags, grouping, copts);
          if (o.json) process.stdout.write(JSON.stringify(groupedJson(result), nonFiniteReplacer, 2) + '\n');
          else process.stdout.write(formatGroupedCompare(result, detectStyle(process.stdout), copts));
          if (format) {
            plot = plotGroups(groups, tags, { ...popts, band: o.band });
            drawn = `${groups.length} group${groups.length === 1 ? '' : 's'} of ${groups.reduce((n, g) => n + g.runs.length, 0)} runs`;
          }
        } else {
          const rows = buildRows(runs, tags, summaries, copts);
          if (o.json) process.stdout.write(JSON.stringify(rows, nonFiniteReplacer, 2) + '\n');
          else process.stdout.write(formatCompare(rows, detectStyle(process.stdout), copts));
          if (format) {
            plot = plotLoaded(runs, tags, popts);
            drawn = `${plot.runs.length} run${plot.runs.length === 1 ? '' : 's'}`;
          }
        }
        if (o.plot && plot) {
          writeOutputFile(o.plot, format === 'png' ? plot.png! : plot.svg);
          process.stderr.write(`tbkit: wrote ${plot.tags.length} chart${plot.tags.length === 1 ? '' : 's'} of ${drawn} to ${o.plot} (${plot.width}x${plot.height})\n`);
        }
      },
    );
}
