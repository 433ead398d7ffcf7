/**
 * Reduced runs: per group, one run directory whose scalars are the group's statistics at each
 * aligned step (`<tag>/mean`, `<tag>/min`, `<tag>/max`, and `<tag>/std` when the group has two or
 * more runs), with a custom-scalars Margin layout (TensorBoard's Custom Scalars dashboard draws
 * the mean with the min–max band) and the group's hparams, so TensorBoard's HParams tab lists the
 * configurations with their mean metrics. What tensorboard-reducer does in Python, as event files
 * any TensorBoard reads.
 *
 * Steps follow align.ts: only steps every run of the group logged are written; each `/mean`'s
 * description says how many runs went in and how many steps were left out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SummaryWriter } from '../summary';
import { aggregate } from './aggregate';
import { GroupingError, SEED_HPARAM, type GroupableRun, type HParamValue, type RunGroup } from './group';

/** The hparam a reduced run records: how many runs it reduces. Default grouping keeps such runs apart from the raw ones. */
const REDUCED_RUNS_HPARAM = 'reduced_runs';

export interface ReduceOptions {
  /** Tags to reduce; default every scalar tag of the group's runs. */
  tags?: readonly string[];
  /** Replace existing reduced run directories (default: refuse to mix into them). */
  overwrite?: boolean;
}

export interface ReducedRun {
  group: string;
  dir: string;
  runs: string[];
  tags: Array<{ tag: string; steps: number; partialSteps: number }>;
}

/** A group label as one directory name: path separators and NUL replaced by "_". */
function reducedRunName(label: string): string {
  const name = label.replace(/[\\/\0]/g, '_');
  return name === '.' || name === '..' ? `_${name}` : name;
}

/** Writes one reduced run per group under `outDir` (checked for existing runs first: nothing is half-written). */
export async function reduceGroups(groups: ReadonlyArray<RunGroup>, outDir: string, opts: ReduceOptions = {}): Promise<ReducedRun[]> {
  const dirs = groups.map((g) => path.join(outDir, reducedRunName(g.label)));
  const taken = dirs.filter((d) => fs.existsSync(d) && fs.readdirSync(d).length > 0);
  if (taken.length > 0 && !opts.overwrite) {
    throw new GroupingError(`${taken.join(', ')} already ${taken.length === 1 ? 'holds a run' : 'hold runs'}: TensorBoard would merge old and new points (choose another output directory, or overwrite)`);
  }
  for (const d of taken) fs.rmSync(d, { recursive: true, force: true });
  const out: ReducedRun[] = [];
  for (const [i, group] of groups.entries()) out.push(await reduceGroup(group, dirs[i], opts.tags));
  return out;
}

async function reduceGroup(group: RunGroup, dir: string, only: readonly string[] | undefined): Promise<ReducedRun> {
  const tags = only ?? [...new Set(group.runs.flatMap((r) => [...r.scalars.keys()]))].sort();
  const w = new SummaryWriter(dir);
  const written: ReducedRun['tags'] = [];
  for (const tag of tags) {
    const agg = aggregate(group, tag);
    if (!agg) continue;
    const { points, partialSteps } = agg.aligned;
    const n = agg.runs.length;
    const left = partialSteps.length ? `; ${partialSteps.length} step${partialSteps.length === 1 ? '' : 's'} logged by only some of them left out` : '';
    const nonFinite = points.filter((p) => p.nonFinite > 0).length;
    const nan = nonFinite ? `; NaN/Inf values left out at ${nonFinite} step${nonFinite === 1 ? '' : 's'}` : '';
    const about = `of ${n} run${n === 1 ? '' : 's'} (${agg.runs.join(', ')}) at the ${points.length} step${points.length === 1 ? '' : 's'} all of them logged${left}${nan}`;
    const series: Array<['mean' | 'min' | 'max' | 'std', string]> = [['mean', `Mean ${about}.`], ['min', `Minimum ${about}.`], ['max', `Maximum ${about}.`]];
    if (n >= 2) series.push(['std', `Sample standard deviation ${about}.`]);
    for (const [stat, description] of series) {
      points.forEach((p, k) => {
        const wallTime = Number.isFinite(p.wallTime) ? p.wallTime : undefined;
        w.scalar(`${tag}/${stat}`, p[stat], p.step, k === 0 ? { wallTime, description } : { wallTime });
      });
    }
    written.push({ tag, steps: points.length, partialSteps: partialSteps.length });
  }
  w.customScalars({
    categories: [{
      title: 'mean with the min–max band of the runs (tbkit reduce)',
      charts: written.map(({ tag }) => ({ title: tag, margin: [{ value: `${tag}/mean`, lower: `${tag}/min`, upper: `${tag}/max` }] })),
    }],
  });
  // No experiment config: TensorBoard takes the first config it finds for a whole logdir, and the
  // reduced runs often sit inside the experiment's logdir (LOGDIR/agg) beside runs that write one.
  // Served alone, a logdir of reduced runs gets its columns and `<tag>/mean` metrics computed.
  w.hparams(groupHparams(group.runs));
  await w.close();
  return { group: group.label, dir, runs: group.runs.map((r) => r.name), tags: written };
}

/** The hparams every run of the group has with the same value, the seeds (when the runs record them), and the run count. */
function groupHparams(runs: readonly GroupableRun[]): Record<string, HParamValue> {
  const out: Record<string, HParamValue> = {};
  for (const [k, v] of Object.entries(runs[0].hparams)) {
    if (k !== SEED_HPARAM && runs.every((r) => r.hparams[k] === v)) out[k] = v;
  }
  const seeds = runs.map((r) => r.hparams[SEED_HPARAM]).filter((s) => s !== undefined);
  if (seeds.length > 0) out.seeds = seeds.join(',');
  out[REDUCED_RUNS_HPARAM] = runs.length;
  return out;
}
