/**
 * What `tbkit experiment` prints when its runs end. One seed per configuration (the default): the
 * `tbkit compare` table of every run in the logdir and its chart, as always. Several seeds, or a
 * sweep: the grouped table of this invocation's runs, the banded chart, one verdict line per
 * learning rate (BN vs no BN, Welch's interval of the difference), and for --sweep the chart of
 * final accuracy against learning rate.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bnVerdicts, renderSweepChart, type BnVerdict, type ExperimentConfig } from '../experiments/bn';
import { compareGroups, compareRuns, plotRuns } from './compare';
import { formatGroupedCompare } from './compare-groups-text';
import { formatCompare } from './compare-text';
import { meanStd } from './format';

const TAGS = ['cost', 'validation/cost', 'validation/accuracy'];

/** Writes a chart, saying where; a failure to draw is reported, never fatal (training succeeded). */
function writeChart(file: string, draw: () => Buffer | undefined): void {
  try {
    const png = draw();
    if (png) fs.writeFileSync(file, png);
    process.stdout.write(`chart: ${file}\n`);
  } catch (e) {
    process.stderr.write(`tbkit: could not draw ${file}: ${(e as Error).message}\n`);
  }
}

/**
 * Every run of the logdir side by side (`tbkit compare`), and a chart of their curves: the same
 * runs TensorBoard shows for `--logdir`, including those of earlier invocations (other rates).
 */
export function printSummary(logdir: string): void {
  const opts = { tags: TAGS, metric: 'validation/accuracy' };
  try {
    process.stdout.write(`\nSummary of the runs in ${logdir} (tbkit compare ${logdir}):\n` + formatCompare(compareRuns(logdir, opts), undefined, opts) + '\n');
  } catch (e) {
    // E.g. the event files could not be written (already reported): training itself succeeded.
    process.stderr.write(`tbkit: no summary: ${(e as Error).message}\n`);
    return;
  }
  writeChart(path.join(logdir, 'bn-experiment.png'), () => plotRuns(logdir, { ...opts, format: 'png', columns: 3, smoothing: 0 }).png);
  process.stdout.write(`TensorBoard: tensorboard --logdir ${logdir}\n`);
}

/** "98.3 ± 0.2 %" from accuracies in [0, 1]; one run's value to 0.01 % (no std to round it by). */
function percent(s: BnVerdict['bn']): string {
  return s.n < 2 && Number.isFinite(s.mean) ? `${(s.mean * 100).toFixed(2)} %` : `${meanStd(s.mean * 100, s.std * 100)} %`;
}

/** One line: the two means, the interval of their difference, and what it supports. */
export function verdictLine(v: BnVerdict): string {
  const seeds = v.bn.n === v.noBn.n ? `${v.bn.n} seed${v.bn.n === 1 ? '' : 's'} each` : `${v.bn.n} and ${v.noBn.n} seeds`;
  const nonFinite = v.bn.nonFinite + v.noBn.nonFinite;
  const left = nonFinite ? `; ${nonFinite} NaN run${nonFinite === 1 ? '' : 's'} left out` : '';
  const head = `BN vs no BN at lr ${v.learningRate}: validation accuracy ${percent(v.bn)} vs ${percent(v.noBn)} (${v.bn.n < 2 && v.noBn.n < 2 ? '' : 'mean ± std, '}${seeds}${left}`;
  if (!v.difference) return `${head}): too few seeds for an interval (--seeds 3 gives one)`;
  const { lo, hi } = v.difference.interval;
  const points = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(Math.abs(hi - lo) * 100 >= 1 ? 1 : 2)}`;
  const interval = `95 % interval of the difference ${points(lo)} to ${points(hi)} points, Welch`;
  const says = { 'bn-higher': 'BN higher', 'bn-lower': 'BN lower', 'no-difference-shown': 'no difference shown (the interval contains 0)', 'too-few-seeds': '' }[v.conclusion];
  return `${head}; ${interval}): ${says}`;
}

/** The grouped summary of the runs named `runs` (this invocation's), its charts and verdicts. */
export function printGroupedSummary(config: ExperimentConfig, runs: readonly string[]): void {
  const { logdir } = config;
  let grouped;
  try {
    // Run names are plain (letters, digits, '.', '-'): as --run globs they match only themselves.
    grouped = compareGroups(logdir, { tags: TAGS, runs: [...runs], plot: { format: 'png', columns: 3, smoothing: 0 } });
  } catch (e) {
    process.stderr.write(`tbkit: no summary: ${(e as Error).message}\n`);
    return;
  }
  const { result, plot } = grouped;
  const n = result.groups.length;
  process.stdout.write(`\nSummary of the ${runs.length} runs of this experiment in ${n} group${n === 1 ? '' : 's'} (tbkit compare ${logdir} --group-by …):\n` + formatGroupedCompare(result, undefined, {}) + '\n');
  writeChart(path.join(logdir, 'bn-experiment.png'), () => plot?.png);
  if (config.sweep) writeChart(path.join(logdir, 'bn-sweep.png'), () => renderSweepChart(result.groups));
  for (const v of bnVerdicts(result.groups)) process.stdout.write(verdictLine(v) + '\n');
  process.stdout.write(`TensorBoard: tensorboard --logdir ${logdir}; tbkit reduce ${logdir} writes one run per group for it\n`);
}
