/**
 * readRun and readRunColumns: the scalars, tags and hparams of one run, from its event files read
 * in name order, with TensorBoard's purge rules applied (reservoir.ts).
 *
 * This is the inner loop of `tbkit export`. Records are scanned in place (record/scan.ts) and
 * scalar Events decoded by hand (scalar-event-decoder.ts); everything else goes through protobufjs
 * and RunBuilder.event. A scalar event's tag is found by comparing its bytes with the tag that
 * followed the previous event's tag last time (tag-cache.ts), never decoded to a string. Scalar
 * points go to growable Float64Array columns (column-store.ts: nothing allocated per event);
 * `readRun` then makes its one `{ step, wallTime, value }` object per point from the columns.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanRecordFile } from '../../record';
import { T } from '../../proto';
import { decodeEvent, type DecodedEvent } from '../read-events';
import { badEventProblem, unreadableProblem, type RecordProblem } from '../problems';
import { spareFor, type ColumnStore } from './column-store';
import type { TagMetadata } from './data-compat';
import { RunBuilder, startTagState, type TagState } from './run-builder';
import { decodeScalarEvent, newScalarScratch } from './scalar-event-decoder';
import { TagCache, TagKey } from './tag-cache';
import type { RunColumnsData, RunData, ScalarColumns, ScalarPoint } from './types';

// Local binding: under CommonJS transpilation an imported function is read through an exports
// getter at every call, here once per event.
const decodeScalar = decodeScalarEvent;

/**
 * Like readRun (same files, purge rules, tags, problems), with each scalar tag's points as columns
 * instead of one object per point: for bulk consumers (export), faster than readRun and a fraction
 * of its memory (24 bytes per point and at most 25 % of slack, see column-store.ts; each of
 * readRun's points is an object, two boxed doubles and an array slot).
 */
export function readRunColumns(files: string[]): RunColumnsData {
  return columnsOf(readInto(files));
}

/** @internal readRunColumns with a given read chunk size: tests split records across chunks. */
export function readRunColumnsChunked(files: string[], chunkSize: number): RunColumnsData {
  return columnsOf(readInto(files, chunkSize));
}

export function readRun(files: string[]): RunData {
  const run = readInto(files);
  const scalars = new Map<string, ScalarPoint[]>();
  for (const [tag, st] of run.scalarTags) scalars.set(tag, toPoints(st.cols!));
  return { scalars, ...run.data };
}

function columnsOf(run: RunBuilder): RunColumnsData {
  const scalars = new Map<string, ScalarColumns>();
  for (const [tag, st] of run.scalarTags) scalars.set(tag, st.cols!.columns());
  return { scalars, ...run.data };
}

/**
 * readRun's points, made from the columns once reading is done rather than one object per event
 * while reading: the read loop stays allocation-free, and these objects come in one burst into an
 * array allocated at its final size, which measured faster and far steadier.
 */
function toPoints(c: ColumnStore): ScalarPoint[] {
  const n = c.length;
  const s = c.steps, w = c.wallTimes, v = c.values;
  const out = new Array<ScalarPoint>(n);
  for (let i = 0; i < n; i++) out[i] = { step: s[i], wallTime: w[i], value: v[i] };
  return out;
}

/**
 * TensorBoard reads a run's files in lexicographic basename order ("designed to coincide with
 * actual start time"); callers may pass them in any order.
 */
function inNameOrder(files: string[]): string[] {
  const key = (f: string) => path.basename(f);
  return [...files].sort((a, b) => {
    const ka = key(a), kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
}

/** The file's size, or 0 if it cannot be stat'ed (reading it then reports the problem). */
function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function decodeMetadata(b: Buffer, start: number, end: number): TagMetadata | undefined {
  try {
    return T.SummaryMetadata.toObject(T.SummaryMetadata.decode(b.subarray(start, end)), { longs: Number }) as TagMetadata;
  } catch {
    return undefined;
  }
}

function readInto(files: string[], chunkSize?: number): RunBuilder {
  const run = new RunBuilder();
  const data = run.data;
  const reservoir = run.reservoir;
  const s = newScalarScratch();
  const tags = new TagCache<TagState>();
  // The tag state of the previous scalar event: its `next` is the guess for this one.
  let prev = startTagState();
  const progress = run.progress;
  const ordered = inNameOrder(files);
  const sizes = ordered.map(fileSize);
  for (const size of sizes) progress.total += size;
  progress.spare = spareFor(progress.total);
  let before = 0; // bytes of the files already read

  for (let f = 0; f < ordered.length; f++) {
    const file = ordered[f];
    let records = 0;
    const onProblem = (p: RecordProblem) => { data.problems.push(p); };
    let bytes = 0;
    try {
      bytes = scanRecordFile(file, (b, start, end, offset) => {
        records++;
        if (decodeScalar(b, start, end, s)) {
          const ts = s.tagStart, te = s.tagEnd;
          let st = prev.next;
          if (st === undefined || !st.key.matches(b, ts, te)) {
            st = tags.get(b, ts, te);
            if (st === undefined) {
              const tag = b.toString('utf8', ts, te);
              st = run.tag(tag, s.metaStart >= 0 ? decodeMetadata(b, s.metaStart, s.metaEnd) : undefined, s.simple ? 'scalars' : '');
              tags.set(b, ts, te, st);
              if (st.keyless) st.key = new TagKey(b, ts, te);
            }
          }
          prev.next = st;
          prev = st;
          progress.at = before + offset;
          reservoir.add(st, s.step, s.wallTime, s.value);
          return;
        }
        let ev: DecodedEvent;
        try {
          ev = decodeEvent(b.subarray(start, end));
        } catch (err) {
          data.problems.push(badEventProblem(file, offset, err));
          return;
        }
        run.event(ev);
      }, onProblem, { chunkSize });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (typeof code !== 'string') throw err; // a bug, not an I/O problem: do not disguise it
      data.problems.push(unreadableProblem(file, code));
    }
    data.records += records;
    data.files.push({ path: file, records, bytes });
    before += sizes[f];
  }
  run.finish();
  return run;
}
