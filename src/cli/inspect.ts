/**
 * `tbkit inspect`: what is in a logdir (or one event file), exactly — like `tensorboard --inspect`,
 * but with every point counted (no sampling), byte-exact problem locations, and an exit status.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { readRun, type RunData } from '../events';
import { selectRuns, isCorruption, displayPath, byName, nonFiniteReplacer, type RunInfo, type RecordProblem } from './common';
import { UsageError } from './errors';
import { collect, makeFilter } from './filters';
import { detectStyle, colorizer, table, num, bytes, hparamText, isoTime, type OutputStyle } from './format';

/** Display order of the plugin groups; others follow alphabetically. */
export const PLUGIN_ORDER = ['scalars', 'histograms', 'distributions', 'images', 'audio', 'text', 'hparams', 'pr_curves', 'custom_scalars', 'mesh', 'graphs'];

/** Tags with more steps than this do not list them (in --json); the range and count are exact. */
export const MAX_LISTED_STEPS = 1000;

export interface InspectTag {
  tag: string;
  plugin: string;
  dataClass: number;
  count: number;
  firstStep?: number;
  lastStep?: number;
  /** Every step (omitted when there are more than MAX_LISTED_STEPS; see firstStep/lastStep/count). */
  steps?: number[];
  description?: string;
  first?: { step: number; wallTime: number; value: number };
  last?: { step: number; wallTime: number; value: number };
}

export interface InspectProblem extends RecordProblem {
  run: string;
  severity: 'error' | 'warning';
}

export interface InspectRun {
  name: string;
  dir: string;
  files: Array<{ path: string; records: number; bytes: number }>;
  records: number;
  bytes: number;
  plugins: Record<string, InspectTag[]>;
  hparams?: RunData['hparams'];
  hasExperiment: boolean;
  problems: InspectProblem[];
  purged: RunData['purged'];
  duplicates: RunData['duplicates'];
}

export interface InspectReport {
  target: string;
  runs: InspectRun[];
  errors: number;
  warnings: number;
  /** 1 when any file is corrupt (not just truncated), else 0. */
  exitCode: 0 | 1;
}

export interface InspectOptions {
  runs?: string[];
  tags?: string[];
}

/** Inspects a logdir or a single event file. */
export function inspectPath(target: string, opts: InspectOptions = {}): InspectReport {
  let st: fs.Stats;
  try {
    st = fs.statSync(target);
  } catch {
    throw new UsageError(`no such log directory or event file: ${target}`);
  }
  let runs: RunInfo[];
  let base: string;
  if (st.isFile()) {
    runs = [{ name: path.basename(target), dir: path.dirname(target), files: [target] }];
    base = path.dirname(target);
  } else {
    runs = selectRuns(target, opts.runs);
    base = target;
  }
  const keepTag = makeFilter(opts.tags, '--tag');
  const out: InspectRun[] = runs.map((r) => inspectRun(r, readRun(r.files), base, keepTag));
  const all = out.flatMap((r) => r.problems);
  const errors = all.filter((p) => p.severity === 'error').length;
  return { target, runs: out, errors, warnings: all.length - errors, exitCode: errors > 0 ? 1 : 0 };
}

function inspectRun(run: RunInfo, data: RunData, base: string, keepTag: (t: string) => boolean): InspectRun {
  const plugins: Record<string, InspectTag[]> = {};
  for (const info of data.tags.values()) {
    if (!keepTag(info.tag)) continue;
    const steps = info.steps;
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of steps) {
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
    const t: InspectTag = {
      tag: info.tag,
      plugin: info.plugin,
      dataClass: info.dataClass,
      count: info.count,
      ...(steps.length <= MAX_LISTED_STEPS ? { steps: [...steps] } : {}),
      ...(steps.length ? { firstStep: lo, lastStep: hi } : {}),
      ...(info.description ? { description: info.description } : {}),
    };
    const pts = data.scalars.get(info.tag);
    if (pts && pts.length) {
      t.first = { ...pts[0] };
      t.last = { ...pts[pts.length - 1] };
    }
    (plugins[info.plugin || '(none)'] ??= []).push(t);
  }
  const sortedPlugins: Record<string, InspectTag[]> = {};
  for (const p of Object.keys(plugins).sort(pluginOrder)) sortedPlugins[p] = plugins[p].sort((a, b) => byName(a.tag, b.tag));
  const files = data.files.map((f) => ({ path: displayPath(base, f.path), records: f.records, bytes: f.bytes }));
  return {
    name: run.name,
    dir: run.dir,
    files,
    records: data.records,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    plugins: sortedPlugins,
    ...(data.hparams ? { hparams: data.hparams } : {}),
    hasExperiment: data.experiment !== undefined,
    problems: data.problems.map((p) => ({
      ...p,
      file: displayPath(base, p.file),
      run: run.name,
      severity: isCorruption(p) ? 'error' : 'warning',
    })),
    purged: data.purged,
    duplicates: data.duplicates,
  };
}

function pluginOrder(a: string, b: string): number {
  const ia = PLUGIN_ORDER.indexOf(a);
  const ib = PLUGIN_ORDER.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
  return byName(a, b);
}

function stepsText(t: InspectTag): string {
  if (t.firstStep === undefined) return '';
  const uniq = t.steps ? [...new Set(t.steps)].sort((a, b) => a - b) : [];
  if (t.steps && uniq.length <= 4) return uniq.join(', ');
  return `${t.firstStep}..${t.lastStep}`;
}

/** Groups per-step records into "tag: steps a..b (n)" lines. */
function summarizeSteps(items: Array<{ tag: string; step: number }>): Array<{ tag: string; text: string; count: number }> {
  const by = new Map<string, number[]>();
  for (const it of items) {
    let a = by.get(it.tag);
    if (!a) by.set(it.tag, (a = []));
    a.push(it.step);
  }
  return [...by.entries()].sort(([a], [b]) => byName(a, b)).map(([tag, steps]) => {
    const u = [...new Set(steps)].sort((x, y) => x - y);
    const text = u.length <= 6 ? u.join(', ') : `${u[0]}..${u[u.length - 1]} (${u.length} distinct)`;
    return { tag, text, count: steps.length };
  });
}

export function formatInspect(report: InspectReport, style: OutputStyle): string {
  const c = colorizer(style.color);
  const lines: string[] = [];
  const nFiles = report.runs.reduce((s, r) => s + r.files.length, 0);
  const nRecords = report.runs.reduce((s, r) => s + r.records, 0);
  const nBytes = report.runs.reduce((s, r) => s + r.bytes, 0);
  lines.push(
    `${c.bold(report.target)}: ${report.runs.length} run${report.runs.length === 1 ? '' : 's'}, ` +
      `${nFiles} event file${nFiles === 1 ? '' : 's'}, ${nRecords} records, ${bytes(nBytes)}`,
  );
  for (const run of report.runs) {
    lines.push('');
    lines.push(`${c.cyan(c.bold(`Run ${run.name}`))}  ${c.gray(`(${run.files.length} file${run.files.length === 1 ? '' : 's'}, ${run.records} records, ${bytes(run.bytes)})`)}`);
    lines.push(table(['file', 'records', 'bytes'], run.files.map((f) => [f.path, String(f.records), String(f.bytes)]), style, { indent: 2, align: ['left', 'right', 'right'] }));
    if (run.hparams) {
      const h = run.hparams;
      const kv = Object.keys(h.hparams).sort(byName).map((k) => `${k}=${hparamText(h.hparams[k])}`).join('  ');
      const extra = [
        h.groupName ? `group ${h.groupName}` : '',
        h.status ? `status ${h.status}` : '',
        h.startTimeSecs !== undefined ? `start ${isoTime(h.startTimeSecs)}` : '',
        h.endTimeSecs !== undefined ? `end ${isoTime(h.endTimeSecs)}` : '',
      ].filter(Boolean).join(', ');
      lines.push(`  ${c.bold('hparams')}: ${kv || '(none)'}${extra ? c.gray(`  (${extra})`) : ''}`);
    }
    if (run.hasExperiment) lines.push(`  ${c.bold('hparams experiment config')} (_hparams_/experiment)`);
    const rows: string[][] = [];
    for (const [plugin, tags] of Object.entries(run.plugins)) {
      for (const t of tags) {
        rows.push([
          plugin,
          t.tag,
          String(t.count),
          stepsText(t),
          t.first ? `${num(t.first.value)} @${t.first.step}` : '',
          t.last ? `${num(t.last.value)} @${t.last.step}` : '',
        ]);
      }
    }
    if (rows.length) lines.push(table(['plugin', 'tag', 'count', 'steps', 'first', 'last'], rows, style, { indent: 2, align: ['left', 'left', 'right', 'left', 'right', 'right'] }));
    else lines.push(`  ${c.gray('(no tags)')}`);
    for (const p of summarizeSteps(run.purged.filter((x) => x.reason === 'session-start'))) {
      lines.push(`  ${c.yellow('purged')} ${p.count} point${p.count === 1 ? '' : 's'} of ${p.tag} at steps ${p.text}: superseded after a restart (SessionLog.START)`);
    }
    for (const p of summarizeSteps(run.purged.filter((x) => x.reason === 'out-of-order'))) {
      lines.push(`  ${c.yellow('purged')} ${p.count} point${p.count === 1 ? '' : 's'} of ${p.tag} at steps ${p.text}: superseded by an out-of-order (earlier) step`);
    }
    for (const p of summarizeSteps(run.duplicates)) {
      lines.push(`  ${c.yellow('duplicate')} ${p.tag} at steps ${p.text}: ${p.count} value${p.count === 1 ? '' : 's'} replaced by a later value at the same step`);
    }
  }
  const problems = report.runs.flatMap((r) => r.problems);
  lines.push('');
  if (problems.length === 0) {
    lines.push(c.green('No problems found: every record has valid CRCs and decodes as an Event.'));
  } else {
    lines.push(c.bold(`Problems (${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}):`));
    for (const p of problems) {
      const tag = p.severity === 'error' ? c.red('error') : c.yellow('warning');
      lines.push(`  ${tag} ${p.kind} in ${p.file} at byte offset ${p.offset}: ${stripPrefix(p.message, p)}`);
      if (p.kind === 'truncated') {
        lines.push(c.gray('    (a truncated last record is what a file being written looks like; TensorBoard waits for the rest and shows the records before it)'));
      }
    }
  }
  return lines.join('\n') + '\n';
}

/** Problem messages read "<file>: <what> at byte offset N"; the line already shows the file and offset. */
function stripPrefix(message: string, p: RecordProblem): string {
  let m = message;
  const i = m.indexOf(': ');
  if (i > 0 && m.slice(0, i).includes('tfevents')) m = m.slice(i + 2);
  const suffix = ` at byte offset ${p.offset}`;
  if (m.endsWith(suffix)) m = m.slice(0, -suffix.length);
  return m;
}

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('list runs, files, tags by plugin, step ranges, hparams and every problem in a logdir or event file')
    .argument('<path>', 'log directory, or a single *tfevents* file')
    .option('-r, --run <pattern>', 'only runs matching this glob or /regex/ (repeatable)', collect)
    .option('-t, --tag <pattern>', 'only tags matching this glob or /regex/ (repeatable)', collect)
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
  2  usage error (no such path, no runs, bad option)

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
