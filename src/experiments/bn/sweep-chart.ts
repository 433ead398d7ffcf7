/**
 * The learning-rate sweep's chart: final validation accuracy against the learning rate (log
 * axis), one line per BN setting, each point the mean over the seeds with its 95 % Student-t
 * interval (none for a single seed). The BN paper's claim, that BN allows higher learning rates,
 * reads off it directly: where the no-BN line falls, the BN line stays up.
 */
import { PALETTE, intervalLayer, renderChartGrid, svgToPng, type ChartPanel, type ChartSeries } from '../../chart';
import { VERDICT_TAG, type VerdictGroup } from './verdict';

export function renderSweepChart(groups: readonly VerdictGroup[]): Buffer {
  const series: ChartSeries[] = [];
  const layers: NonNullable<ChartPanel['layers']>[number][] = [];
  [false, true].forEach((useBn, i) => {
    const points = groups
      .filter((g) => g.key.use_bn === useBn && typeof g.key.learning_rate === 'number' && g.metrics[VERDICT_TAG])
      .map((g) => {
        const last = g.metrics[VERDICT_TAG].last;
        return { step: g.key.learning_rate as number, value: last.mean, lo: last.interval?.lo, hi: last.interval?.hi };
      })
      .sort((a, b) => a.step - b.step);
    if (points.length === 0) return;
    const name = useBn ? 'BN' : 'no BN';
    series.push({ name, color: PALETTE[i], points });
    layers.push(intervalLayer({ name, color: PALETTE[i], points }));
  });
  const panel: ChartPanel = { title: `final ${VERDICT_TAG} (mean over seeds, 95 % interval)`, series, layers };
  const chart = renderChartGrid([panel], { width: 640, height: 420, logX: true, xLabel: 'learning rate', yLabel: 'validation accuracy' });
  return svgToPng(chart.svg);
}
