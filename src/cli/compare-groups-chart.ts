/**
 * `tbkit compare --plot` for grouped runs: per tag one chart, per group its mean line with a shaded
 * band, the group's runs drawn faintly, and an open circle on every point of a step that not
 * every run of the group logged (those steps are not averaged: aggregate/align.ts).
 *
 * With --smoothing, each run is smoothed first (TensorBoard's smoothing, over the whole run) and the
 * mean and band are taken over the smoothed runs: the chart shows what TensorBoard would show for
 * each run, averaged, rather than a smoothed average that no single run's chart matches.
 */
import { alignSeries, type RunGroup } from '../aggregate';
import { bandLayer, PALETTE, renderChartGrid, smoothTensorBoard, svgToPng, type ChartPanel, type ChartPoint } from '../chart';
import type { PlotOptions, PlotResult } from './compare-chart';
import type { LoadedRun } from './compare-rows';
import { UsageError } from './errors';

export type BandKind = 'minmax' | 'std';

export interface GroupPlotOptions extends PlotOptions {
  /** The band: min–max of the runs (default) or mean ± one sample std. */
  band?: BandKind;
}

/** A run's points, smoothed as TensorBoard's slider does when `weight` > 0. */
function smoothed(points: readonly ChartPoint[], weight: number): ChartPoint[] {
  if (weight === 0) return points.map((p) => ({ step: p.step, value: p.value }));
  const values = smoothTensorBoard(points.map((p) => p.value), weight);
  return points.map((p, i) => ({ step: p.step, value: values[i] }));
}

/** One panel's drawing of one group: its mean series and its band layer; undefined when no run has the tag. */
function drawGroup(group: RunGroup<LoadedRun>, tag: string, name: string, color: string, opts: GroupPlotOptions): { series: ChartPanel['series'][number]; layer: NonNullable<ChartPanel['layers']>[number] } | undefined {
  const runs = group.runs.map((r) => r.scalars.get(tag)).filter((p): p is NonNullable<typeof p> => !!p && p.length > 0).map((p) => smoothed(p, opts.smoothing ?? 0));
  if (runs.length === 0) return undefined;
  const aligned = alignSeries(runs);
  const std = opts.band === 'std';
  // With one finite value the std is NaN: the band closes to the mean there instead of breaking.
  const spread = (s: number) => (Number.isFinite(s) ? s : 0);
  const partial = new Set(aligned.partialSteps);
  const marks = [
    ...runs.flatMap((pts) => pts.filter((p) => partial.has(p.step))),
    ...aligned.points.filter((p) => p.nonFinite > 0).map((p) => ({ step: p.step, value: p.mean })),
  ];
  return {
    series: { name, color, points: aligned.points.map((p) => ({ step: p.step, value: p.mean })) },
    layer: bandLayer({
      name,
      color,
      lower: aligned.points.map((p) => ({ step: p.step, value: std ? p.mean - spread(p.std) : p.min })),
      upper: aligned.points.map((p) => ({ step: p.step, value: std ? p.mean + spread(p.std) : p.max })),
      runs,
      marks,
    }),
  };
}

/** Charts of grouped runs loaded with their points; no tag to draw is a usage error. `runs` of the result are the legend's group names. */
export function plotGroups(groups: ReadonlyArray<RunGroup<LoadedRun>>, tags: string[], opts: GroupPlotOptions): PlotResult {
  if (tags.length === 0) throw new UsageError('nothing to plot: no scalar tag in the selected runs' + (opts.tags ? ` matches ${opts.tags.join(', ')}` : ''));
  const drawn = groups.filter((g) => tags.some((t) => g.runs.some((r) => r.scalars.has(t))));
  const names = drawn.map((g) => `${g.label} (${g.runs.length} run${g.runs.length === 1 ? '' : 's'})`);
  const panels: ChartPanel[] = tags.map((tag) => {
    const parts = drawn.map((g, i) => drawGroup(g, tag, names[i], PALETTE[i % PALETTE.length], opts)).filter((p) => p !== undefined);
    return { title: tag, series: parts.map((p) => p.series), layers: parts.map((p) => p.layer) };
  });
  const band = opts.band === 'std' ? '±1 std' : 'min–max';
  const chart = renderChartGrid(panels, {
    width: opts.width,
    height: opts.height,
    smoothing: 0, // the runs are smoothed before they are averaged
    logY: opts.logY,
    columns: opts.columns,
    title: opts.title ?? `group means, ${band} band, faint runs, hollow dots: steps not every run logged`,
    names,
  });
  const result: PlotResult = { svg: chart.svg, width: chart.width, height: chart.height, tags, runs: names };
  if (opts.format === 'png') result.png = svgToPng(chart.svg);
  return result;
}
