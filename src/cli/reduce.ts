/**
 * `tbkit reduce`: per group of runs, one run of its statistics (`<tag>/mean`, `/min`, `/max`,
 * `/std`) with a custom-scalars Margin layout and the group's hparams, for TensorBoard
 * (aggregate/reduce.ts). The groups are compare's (--group-by, default every hparam except seed).
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { GroupingError, reduceGroups } from '../aggregate';
import { buildGroups } from './compare-groups';
import { loadRuns } from './compare-rows';
import { UsageError } from './errors';
import { runFilterOption, tagFilterOption } from './filters';
import { DEFAULT_GROUP_BY, parseGroupBy } from './group-by';

interface ReduceFlags {
  groupBy?: string;
  out?: string;
  tag?: string[];
  run?: string[];
  overwrite?: boolean;
}

export function registerReduceCommand(program: Command): void {
  program
    .command('reduce')
    .description('write one run per group of runs (mean, min, max, std of each scalar tag) for TensorBoard')
    .argument('<logdir>', 'log directory (runs are its subdirectories holding *tfevents* files)')
    .option('-g, --group-by <keys|pattern>', "hparams (use_bn,learning_rate) or a run-name pattern ('{bn}-lr{lr}-s*'); default: every hparam except seed")
    .option('-o, --out <dir>', 'where the reduced runs go (default: <logdir>/agg); runs already under it are not read')
    .addOption(tagFilterOption())
    .addOption(runFilterOption())
    .option('--overwrite', 'replace reduced runs that already exist (default: refuse, TensorBoard would mix old and new points)')
    .addHelpText(
      'after',
      `
Each group becomes the run <out>/<group>, e.g. agg/learning_rate=0.01,use_bn=true, with the scalar
tags <tag>/mean, <tag>/min, <tag>/max and (two or more runs) <tag>/std at every step that all runs
of the group logged (a step only some runs reached is left out, and each /mean's description says
how many were); NaN/Inf values are left out of the statistics at their step. The run's hparams are
those its runs share, their seeds, and reduced_runs (the number of runs); TensorBoard's Custom
Scalars dashboard draws each tag's mean with the min–max band.

Examples
  $ tbkit reduce logs
  $ tbkit reduce logs --group-by use_bn,learning_rate --out logs/agg && tensorboard --logdir logs/agg
`,
    )
    .action(async (logdir: string, o: ReduceFlags) => {
      const out = o.out ?? path.join(logdir, 'agg');
      // Reduced runs of an earlier call are not inputs: their names are relative to the logdir.
      const outName = path.relative(logdir, out).split(path.sep).join('/');
      const inside = (run: string) => outName === '' || run === outName || run.startsWith(outName + '/');
      const loaded = loadRuns(logdir, { runs: o.run, tags: o.tag }, true);
      const runs = loaded.runs.filter((r) => !inside(r.name));
      if (runs.length === 0) throw new UsageError(`no run to reduce in ${logdir} outside ${out}`);
      const { groups } = buildGroups(runs, loaded.tags, o.groupBy === undefined ? DEFAULT_GROUP_BY : parseGroupBy(o.groupBy), {});
      let reduced;
      try {
        reduced = await reduceGroups(groups, out, { tags: loaded.tags, overwrite: o.overwrite });
      } catch (e) {
        if (e instanceof GroupingError) throw new UsageError(`${e.message.replace('or overwrite', 'or pass --overwrite')}`);
        throw e;
      }
      for (const r of reduced) {
        const left = r.tags.reduce((n, t) => n + t.partialSteps, 0);
        const steps = [...new Set(r.tags.map((t) => t.steps))].join('/');
        process.stdout.write(
          `${r.dir}: ${r.runs.length} run${r.runs.length === 1 ? '' : 's'} (${r.runs.join(', ')}), ${r.tags.length} tag${r.tags.length === 1 ? '' : 's'}, ${steps} steps` +
            (left ? `; ${left} step${left === 1 ? '' : 's'} logged by only some runs left out` : '') + '\n',
        );
      }
      process.stdout.write(`TensorBoard: tensorboard --logdir ${out} (Custom Scalars: each tag's mean with its min–max band)\n`);
    });
}
