/** `tbkit compare --plot`: line charts of the selected tags (one chart each) over the runs (one colour each). */
import { PALETTE, renderChartGrid, svgToPng, type ChartPanel } from '../chart';
import type { CompareOptions, LoadedRun } from './compare-rows';
import { UsageError } from './errors';

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
  /** The legend's names in order: the runs drawn, or for grouped runs (compare-groups-chart.ts) the groups. */
  runs: string[];
}

/** Charts of runs loaded with their points (`loadRuns(…, true)`); no tag to draw is a usage error. */
export function plotLoaded(runs: LoadedRun[], tags: string[], opts: PlotOptions): PlotResult {
  if (tags.length === 0) throw new UsageError('nothing to plot: no scalar tag in the selected runs' + (opts.tags ? ` matches ${opts.tags.join(', ')}` : ''));
  const plotted = runs.filter((r) => tags.some((t) => r.scalars.has(t)));
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
