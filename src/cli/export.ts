/**
 * `tbkit export`: every scalar point of a logdir as rows `run, tag, step, wall_time, value`, with each
 * run's hparams. Runs are read and written one at a time (only one run's scalars are in memory) and
 * the text goes out in ~1 MiB chunks, so the size of a log is bounded by the disk, not by a string.
 */
import { Command, Option } from 'commander';
import { readRunColumns, type RunColumnsData } from '../events';
import { selectRuns, byName, type HParamValue, type RunInfo } from './common';
import { csvField, writeCsvRows } from './csv-rows';
import { scanHparamNames } from './export-hparams';
import { makeFilter, runFilterOption, tagFilterOption } from './filters';
import { csvNumber, jsonNumber } from './format';
import { nothingToShow } from './no-data';
import { TextSink } from './output';

export type ExportFormat = 'csv' | 'json' | 'jsonl';
const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'jsonl'];

export interface ExportOptions {
  format?: ExportFormat;
  /** Run filters (glob or /regex/), OR-ed. */
  runs?: string[];
  /** Tag filters (glob or /regex/), OR-ed. */
  tags?: string[];
  /** CSV line ending (default "\n"). */
  crlf?: boolean;
  /** Called with every reader problem (the export goes on; `inspect` is the tool to diagnose). */
  onProblem?: (run: string, message: string) => void;
}

export interface ExportStats {
  runs: number;
  points: number;
  bytes: number;
}

function hparamCsv(v: HParamValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return csvNumber(v);
  return csvField(String(v));
}

function hparamsJson(h: Record<string, HParamValue> | undefined): string {
  if (!h) return '{}';
  const keys = Object.keys(h).sort(byName);
  return '{' + keys.map((k) => `${JSON.stringify(k)}:${typeof h[k] === 'number' ? jsonNumber(h[k] as number) : JSON.stringify(h[k])}`).join(',') + '}';
}

/** Streams the export of `logdir` into `sink` (not ended). */
export async function exportLogdir(logdir: string, sink: TextSink, opts: ExportOptions = {}): Promise<ExportStats> {
  const format = opts.format ?? 'csv';
  if (!EXPORT_FORMATS.includes(format)) throw new Error(`unknown export format ${format}`);
  const runs = selectRuns(logdir, opts.runs);
  const keepTag = makeFilter(opts.tags, '--tag');
  const nl = opts.crlf ? '\r\n' : '\n';
  const stats: ExportStats = { runs: 0, points: 0, bytes: 0 };
  const startBytes = sink.bytes;

  let hparamNames: string[] = [];
  if (format === 'csv') {
    hparamNames = [...scanHparamNames(runs.flatMap((r) => r.files))].sort(byName);
    sink.write(['run', 'tag', 'step', 'wall_time', 'value', ...hparamNames.map((n) => csvField(`hparam/${n}`))].join(',') + nl);
  } else if (format === 'json') {
    sink.write('{"scalars":[');
  }

  const allHparams: Array<[string, Record<string, HParamValue> | undefined]> = [];
  let firstRow = true;
  for (const run of runs) {
    const data = readOne(run, opts);
    const tags = [...data.scalars.keys()].filter(keepTag).sort(byName);
    allHparams.push([run.name, data.hparams?.hparams]);
    stats.runs++;
    if (format === 'jsonl' && (data.hparams || tags.length)) sink.write(`{"run":${JSON.stringify(run.name)},"hparams":${hparamsJson(data.hparams?.hparams)}}\n`);
    const hp = data.hparams?.hparams;
    const csvSuffix = format === 'csv' ? hparamNames.map((n) => ',' + hparamCsv(hp?.[n])).join('') + nl : '';
    for (const tag of tags) {
      const cols = data.scalars.get(tag)!;
      if (format === 'csv') {
        await writeCsvRows(cols, sink, `${csvField(run.name)},${csvField(tag)},`, csvSuffix);
      } else {
        const prefix = `{"run":${JSON.stringify(run.name)},"tag":${JSON.stringify(tag)},"step":`;
        const { steps, wallTimes, values } = cols;
        const rest = (i: number) => `${prefix}${steps[i]},"wall_time":${jsonNumber(wallTimes[i])},"value":${jsonNumber(values[i])}}`;
        if (format === 'jsonl') {
          await writeRows(cols.length, sink, (i) => rest(i) + '\n');
        } else {
          await writeRows(cols.length, sink, (i) => {
            const sep = firstRow ? '\n' : ',\n';
            firstRow = false;
            return sep + rest(i);
          });
        }
      }
      stats.points += cols.length;
    }
  }
  if (stats.points === 0) throw nothingToShow('scalar', opts.tags);
  if (format === 'json') {
    sink.write(`\n],"hparams":{`);
    sink.write(allHparams.filter(([, h]) => h).map(([name, h]) => `\n${JSON.stringify(name)}:${hparamsJson(h)}`).join(','));
    sink.write('\n}}\n');
  }
  await sink.flush();
  stats.bytes = sink.bytes - startBytes;
  return stats;
}

/** Columns, not one object per point: the export only streams them out (see readRunColumns). */
function readOne(run: RunInfo, opts: ExportOptions): RunColumnsData {
  const data = readRunColumns(run.files);
  if (opts.onProblem) for (const p of data.problems) opts.onProblem(run.name, p.message);
  return data;
}

/** Rows 0..n-1, `row(i)` each. */
async function writeRows(n: number, sink: TextSink, row: (i: number) => string): Promise<void> {
  const BATCH = 4096;
  for (let i = 0; i < n; i += BATCH) {
    const end = Math.min(n, i + BATCH);
    let s = '';
    for (let j = i; j < end; j++) s += row(j);
    sink.write(s);
    const f = sink.maybeFlush();
    if (f) await f;
  }
}

/** Exports to `file` (stdout when undefined or "-"). */
export async function exportToFile(logdir: string, file: string | undefined, opts: ExportOptions = {}): Promise<ExportStats> {
  selectRuns(logdir, opts.runs); // usage errors before the output file is created
  const sink = TextSink.open(file);
  try {
    return await exportLogdir(logdir, sink, opts);
  } finally {
    await sink.end();
  }
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('export every scalar point (TensorBoard purge rules applied) with each run\'s hparams')
    .argument('<logdir>', 'log directory (runs are its subdirectories holding *tfevents* files), or one event file')
    .addOption(new Option('-f, --format <format>', 'output format').choices(EXPORT_FORMATS as string[]).default('csv'))
    .addOption(runFilterOption())
    .addOption(tagFilterOption())
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--crlf', 'end CSV lines with CRLF (RFC 4180) instead of LF')
    .addHelpText(
      'after',
      `
Output
  csv    header: run,tag,step,wall_time,value,hparam/<name>...  One row per point; the hparam
         columns are the union over the exported runs (empty when a run lacks one).
         Fields are quoted per RFC 4180 (a field with , " CR or LF is quoted, quotes doubled).
  jsonl  one object per line: {"run","hparams":{...}} once per run before its points, then
         {"run","tag","step","wall_time","value"} per point.
  json   {"scalars":[{"run","tag","step","wall_time","value"},...],"hparams":{"<run>":{...}}}

  wall_time is seconds since the epoch (float64); value is the float32 stored in the file, printed
  in the shortest form that round-trips. NaN and infinities are written as NaN, Infinity, -Infinity
  in CSV, and as the strings "NaN", "Infinity", "-Infinity" in JSON/JSONL (JSON has no such numbers).
  Rows are in run order, then tag order (both sorted by name), then step order. Steps that
  TensorBoard would discard (restart purges, out-of-order steps) are not exported; see
  'tbkit inspect' for what was dropped. The root of the logdir is the run ".".

Examples
  $ tbkit export logs > scalars.csv
  $ tbkit export logs --format jsonl --run 'run_*' --tag loss --tag '/^acc/' -o out.jsonl
  $ tbkit export logs -f json --run '/^(run_a|run_b)$/' | jq '.hparams'
`,
    )
    .action(async (logdir: string, o: { format: ExportFormat; run?: string[]; tag?: string[]; output?: string; crlf?: boolean }) => {
      const problems: string[] = [];
      await exportToFile(logdir, o.output, {
        format: o.format,
        runs: o.run,
        tags: o.tag,
        crlf: o.crlf,
        onProblem: (_run, msg) => problems.push(msg),
      });
      for (const m of problems) process.stderr.write(`tbkit: warning: ${m}\n`);
    });
}
