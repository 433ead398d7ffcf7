/**
 * `tbkit inspect`: what is in a logdir (or one event file), exactly — like `tensorboard --inspect`,
 * but with every point counted (no sampling), byte-exact problem locations, and an exit status.
 * inspect-report.ts builds the report of a run, inspect-text.ts prints it for people.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { readRun } from '../events';
import { selectRuns } from './common';
import { makeFilter, runFilterOption, tagFilterOption } from './filters';
import { detectStyle, nonFiniteReplacer } from './format';
import { inspectRun, type InspectOptions, type InspectReport, type InspectRun } from './inspect-report';
import { formatInspect } from './inspect-text';
import { nothingToShow } from './no-data';

/** Inspects a logdir or a single event file. */
export function inspectPath(target: string, opts: InspectOptions = {}): InspectReport {
  const runs = selectRuns(target, opts.runs);
  const base = fs.statSync(target).isFile() ? path.dirname(target) : target;
  const keepTag = makeFilter(opts.tags, '--tag');
  const out: InspectRun[] = runs.map((r) => inspectRun(r, readRun(r.files), base, keepTag));
  if (opts.tags && out.every((r) => Object.values(r.plugins).every((tags) => tags.length === 0))) throw nothingToShow('tag', opts.tags);
  const all = out.flatMap((r) => r.problems);
  const errors = all.filter((p) => p.severity === 'error').length;
  return { target, runs: out, errors, warnings: all.length - errors, exitCode: errors > 0 ? 1 : 0 };
}

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('list runs, files, tags by plugin, step ranges, hparams and every problem in a logdir or event file')
    .argument('<path>', 'log directory, or a single *tfevents* file')
    .addOption(runFilterOption())
    .addOption(tagFilterOption())
    .option('--json', 'machine-readable output (NaN/Infinity values as strings)')
    .addHelpText(
      'after',
      `
Reports, per run: its event files (record count, bytes), hparams (session_start_info, status),
every tag grouped by plugin (scalars, histograms, images, audio, text, hparams, pr_curves,
graphs, ...) with its number of points and step range, the first and last value of each scalar,
and the points TensorBoard discards: steps purged by a restart (SessionLog.START) or by an
out-of-order step, and duplicate steps. Every record's CRCs are checked.

Exit status
  0  no corruption (a truncated last record is only a warning: TensorBoard treats it as a
     record still being written, waits for the rest, and shows everything before it)
  1  some file is corrupt: a bad length CRC (the rest of that file is unreadable), a bad data
     CRC (that record is skipped), or a record that is not an Event
  2  usage error (no such path, not an event file, bad option), or nothing to show (no runs,
     no run matching --run, no tag matching --tag)

Examples
  $ tbkit inspect logs
  $ tbkit inspect logs/run_a/events.out.tfevents.1700000000.host.0.1
  $ tbkit inspect logs --run 'run_*' --json | jq '.runs[].plugins.scalars'
`,
    )
    .action((target: string, o: { run?: string[]; tag?: string[]; json?: boolean }) => {
      const report = inspectPath(target, { runs: o.run, tags: o.tag });
      if (o.json) process.stdout.write(JSON.stringify(report, nonFiniteReplacer, 2) + '\n');
      else process.stdout.write(formatInspect(report, detectStyle(process.stdout)));
      if (report.errors) process.stderr.write(`tbkit: ${report.errors} corrupt record${report.errors === 1 ? '' : 's'} found (see above)\n`);
      else if (report.warnings) process.stderr.write(`tbkit: warning: ${report.warnings} truncated file${report.warnings === 1 ? '' : 's'} (probably still being written)\n`);
      process.exitCode = report.exitCode;
    });
}
