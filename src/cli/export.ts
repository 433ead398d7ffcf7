/**
 * `tbkit export`: every scalar point of a logdir as rows `run, tag, step, wall_time, value`, with each
 * run's hparams. Runs are read and written one at a time (only one run's scalars are in memory) and
 * the text goes out in ~1 MiB chunks, so the size of a log is bounded by the disk, not by a string.
 */
import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import { decodeEvent, readRunColumns, type RunColumnsData, type ScalarColumns } from '../events';
import { iterateRecordFile } from '../record';
import { T } from '../proto';
import { selectRuns, byName, jsonNumber, type RunInfo } from './common';
import { collect, makeFilter } from './filters';
import { TextSink } from './output';

export type ExportFormat = 'csv' | 'json' | 'jsonl';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'jsonl'];

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

type HParamValue = string | number | boolean;

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, and its quotes doubled. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A number for CSV: shortest round-trip form; NaN, Infinity, -Infinity by name; -0 kept. */
export function csvNumber(v: number): string {
  return v === 0 && 1 / v < 0 ? '-0' : '' + v;
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

const NEEDLE = Buffer.from('session_start_info');

/**
 * Names of the hparams in `_hparams_/session_start_info` of these files, without decoding the rest:
 * a raw byte search finds the files that can contain one, and only records containing the tag are
 * decoded. Used to write the CSV header (hparam columns) before the first run is streamed.
 */
export function scanHparamNames(files: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    if (!fileContains(file, NEEDLE)) continue;
    for (const rec of iterateRecordFile(file)) {
      if (rec.data.indexOf(NEEDLE) < 0) continue;
      try {
        const ev = decodeEvent(rec.data);
        for (const v of ev.summary?.value ?? []) {
          const content = v.metadata?.plugin_data?.plugin_name === 'hparams' ? v.metadata.plugin_data.content : undefined;
          if (!content) continue;
          const pd = T.HParamsPluginData.toObject(T.HParamsPluginData.decode(content)) as { session_start_info?: { hparams?: Record<string, unknown> } };
          for (const k of Object.keys(pd.session_start_info?.hparams ?? {})) names.add(k);
        }
      } catch {
        // undecodable: readRun reports it
      }
    }
  }
  return names;
}

function fileContains(file: string, needle: Buffer): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = 4 << 20;
    const buf = Buffer.allocUnsafe(chunk + needle.length);
    let pos = 0;
    let carry = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, carry, chunk, pos);
      if (n <= 0) return false;
      const have = carry + n;
      if (buf.subarray(0, have).indexOf(needle) >= 0) return true;
      carry = Math.min(needle.length - 1, have);
      buf.copy(buf, 0, have - carry, have);
      pos += n;
    }
  } finally {
    fs.closeSync(fd);
  }
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

// ------------------------------------------------------------------------------ CSV hot loop
//
// Profiling `export` of 1 M points showed the row strings dominating: `'' + wallTime` alone costs
// ~115 ns (V8's shortest-form dtoa), then the concatenations, their garbage, and the UTF-8 encoding
// of the result. So when the run and tag names are ASCII, rows are written as bytes into one buffer
// (handed to the sink as a latin1 string, which for ASCII is the same text), and numbers are
// formatted by `putNumber`, which produces exactly the characters of `'' + x` (test/cli/export.test.ts
// checks it against `'' + x` on over a million values, and the export against the golden manifest).

/** 10^d, exact as doubles for d ≤ 22. */
const POW10 = Float64Array.from({ length: 23 }, (_, d) => Number(`1e${d}`));
/** Below this scaled magnitude the fixed-point form below is provably the shortest (see putNumber). */
const FIXED_LIMIT = 2 ** 50;
const ZERO = 48;

/**
 * Writes the digits of the int32 0 ≤ v < 2^31 (callers pass `| 0` values, so that V8 divides by 10
 * with an integer multiply instead of a ~15-cycle float division).
 */
function putInt(buf: Buffer, off: number, v: number): number {
  const n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5
    : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
  let p = off + n;
  do {
    const q = (v / 10) | 0;
    buf[--p] = ZERO + v - q * 10;
    v = q;
  } while (p > off);
  return off + n;
}

/** Writes the decimal digits of the integer 0 ≤ m < 2^53 at `off`; returns the end offset. */
function putDigits(buf: Buffer, off: number, m: number): number {
  if (m < 1e8) return putInt(buf, off, m | 0);
  const hi = Math.floor(m / 1e8); // < 2^53 / 1e8 < 2^31
  let lo = (m - hi * 1e8) | 0; // exact: 8 digits, zero-padded below
  off = putInt(buf, off, hi | 0);
  for (let p = off + 7; p >= off; p--) {
    const q = (lo / 10) | 0;
    buf[p] = ZERO + lo - q * 10;
    lo = q;
  }
  return off + 8;
}

/** The characters of a string known to be ASCII. */
function putAscii(buf: Buffer, off: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[off++] = s.charCodeAt(i);
  return off;
}

// Reads a double's binary exponent (one store and one load, no Math.log10).
const f64 = new Float64Array(1);
const hiWord = new Int32Array(f64.buffer, 4, 1); // little-endian: the sign/exponent word
const LOG10_2 = 0.30102999566398120;

/**
 * Writes exactly `'' + x` (ECMAScript Number::toString: the shortest digit string that reads back
 * as x) at `off`; returns the end offset.
 * - |x| a safe integer: its digits (no shorter string reads back: integers < 2^53 are all exact).
 * - 1e-5 ≤ |x| < 2^49 with at most ~15 significant digits: take D, the largest d with
 *   |x|·10^D < 2^50, and m = round(|x|·10^D). At that scale the rounding interval of x spans less
 *   than 1/4, and the float product is within 0.19 of the exact one, so m is the only integer with
 *   m / 10^D === |x| (a correctly rounded division: "reads back as x"), and every shorter form is m
 *   without some of its trailing zeros. So: check m / 10^D === |x|, strip m's trailing zeros (the
 *   shortest form), print it in fixed notation (as JS does for 1e-6 ≤ |x| < 1e21).
 * - Anything else (17-digit wall times, most float32 values, NaN, ±Infinity): `'' + x` itself.
 * -0 is written as "0", as `'' + x` does.
 */
function putNumber(buf: Buffer, off: number, x: number): number {
  let a = x;
  if (a < 0) {
    buf[off++] = 45; // '-'
    a = -a;
  }
  if (a <= 9007199254740991 && Math.floor(a) === a) return putDigits(buf, off, a);
  if (a >= 1e-5 && a < 2 ** 49) {
    f64[0] = a;
    const e2 = (hiWord[0] >>> 20) - 1023; // 2^e2 ≤ a < 2^(e2+1)
    let d = Math.floor((49 - e2) * LOG10_2); // a·10^d < 2^(e2+1)·10^d ≤ 2^50
    if (d > 22) d = 22;
    if (d < 22 && a * POW10[d + 1] < FIXED_LIMIT) d++;
    let m = Math.round(a * POW10[d]);
    if (d >= 1 && a * POW10[d] < FIXED_LIMIT && m / POW10[d] === a) {
      for (;;) { // strip trailing zeros: d > 0 remains, as x is not an integer
        const q = Math.floor(m / 10);
        if (q * 10 !== m) break;
        m = q;
        d--;
      }
      const ip = Math.floor(m / POW10[d]);
      off = putDigits(buf, off, ip);
      buf[off++] = 46; // '.'
      const frac = m - ip * POW10[d]; // ≥ 1: its last digit is not 0
      for (let z = POW10[d - 1]; z > frac; z /= 10) buf[off++] = ZERO; // leading zeros of the fraction
      return putDigits(buf, off, frac);
    }
  }
  return putAscii(buf, x < 0 ? off - 1 : off, '' + x);
}

/** A CSV cell for a float: as csvNumber (-0 kept as "-0"). */
function putCsvNumber(buf: Buffer, off: number, v: number): number {
  if (v === 0 && 1 / v < 0) {
    buf[off] = 45;
    buf[off + 1] = ZERO;
    return off + 2;
  }
  return putNumber(buf, off, v);
}

/** Test hook: `csvNumber` computed by the byte formatter. */
export function csvNumberFast(v: number): string {
  const buf = Buffer.allocUnsafe(32);
  return buf.toString('latin1', 0, putCsvNumber(buf, 0, v));
}

const isAscii = (s: string) => /^[\x00-\x7f]*$/.test(s);

/** Longest `'' + x` of a double: "-1.2345678901234567e-308" is 24 characters. */
const MAX_NUMBER_CHARS = 25;
const CSV_BATCH = 8192;

/** The CSV hot loop: `prefix` = "run,tag,", `suffix` = hparam columns + newline. */
async function writeCsvRows(cols: ScalarColumns, sink: TextSink, prefix: string, suffix: string): Promise<void> {
  if (!isAscii(prefix) || !isAscii(suffix)) return writeCsvRowsText(cols, sink, prefix, suffix);
  const { steps, wallTimes, values } = cols;
  const n = cols.length;
  const pre = Buffer.from(prefix, 'latin1');
  const suf = Buffer.from(suffix, 'latin1');
  const pl = pre.length, sl = suf.length;
  const buf = Buffer.allocUnsafe(Math.min(n, CSV_BATCH) * (pl + sl + 3 * MAX_NUMBER_CHARS + 2));
  let i = 0;
  while (i < n) {
    const end = Math.min(n, i + CSV_BATCH);
    let o = 0;
    for (; i < end; i++) {
      for (let k = 0; k < pl; k++) buf[o++] = pre[k];
      o = putNumber(buf, o, steps[i]);
      buf[o++] = 44; // ','
      o = putCsvNumber(buf, o, wallTimes[i]);
      buf[o++] = 44;
      o = putCsvNumber(buf, o, values[i]);
      for (let k = 0; k < sl; k++) buf[o++] = suf[k];
    }
    sink.write(buf.toString('latin1', 0, o));
    const f = sink.maybeFlush();
    if (f) await f;
  }
}

/** The same rows built as strings (run or tag names with non-ASCII characters). */
async function writeCsvRowsText(cols: ScalarColumns, sink: TextSink, prefix: string, suffix: string): Promise<void> {
  const { steps, wallTimes, values } = cols;
  const n = cols.length;
  let i = 0;
  while (i < n) {
    const end = Math.min(n, i + 8192);
    let s = '';
    for (; i < end; i++) {
      const w = wallTimes[i];
      const v = values[i];
      s += prefix + steps[i] + ',' + (w === 0 && 1 / w < 0 ? '-0' : '' + w) + ',' + (v === 0 && 1 / v < 0 ? '-0' : '' + v) + suffix;
    }
    sink.write(s);
    const f = sink.maybeFlush();
    if (f) await f;
  }
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
    .argument('<logdir>', 'log directory (runs are its subdirectories holding *tfevents* files)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(EXPORT_FORMATS as string[]).default('csv'))
    .option('-r, --run <pattern>', 'only runs matching this glob or /regex/ (repeatable)', collect)
    .option('-t, --tag <pattern>', 'only tags matching this glob or /regex/ (repeatable)', collect)
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
