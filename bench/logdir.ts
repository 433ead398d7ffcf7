/**
 * Generated logdirs for the loading and scale rows: `runs` runs of `pointsPerRun` points of the
 * bench's scalar stream (bench/scalar-stream.ts), each written by tbkit's SummaryWriter with its
 * hparams, as a training run writes them, and a last point on a tag of its own (END_TAG). That
 * tag is how a poller learns cheaply that a server has read a run to its end: it shows up in the
 * tag list only after every point before it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SummaryWriter } from '../src/summary/summary-writer';
import { SCALAR_TAGS, logScalars } from './scalar-stream';

export const END_TAG = 'bench/end';

export interface GeneratedLogdir {
  dir: string;
  runs: string[];
  pointsPerRun: number;
  /** Points per run and tag, END_TAG included (the counts a complete load serves). */
  tagCounts: Record<string, number>;
  /** Every point of every run, END_TAG included. */
  totalPoints: number;
  bytes: number;
}

/** Points of tag index t (0..3) among the first n scalars of the stream. */
function pointsOfTag(n: number, t: number): number {
  return Math.max(0, Math.ceil((n - t) / SCALAR_TAGS.length));
}

/** `run_0000`, …: fixed width, so name order is creation order. */
export function runName(i: number, runs: number): string {
  return `run_${String(i).padStart(Math.max(4, String(runs - 1).length), '0')}`;
}

export async function generateLogdir(dir: string, opts: { runs: number; pointsPerRun: number }): Promise<GeneratedLogdir> {
  const { runs, pointsPerRun } = opts;
  fs.mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  let bytes = 0;
  for (let r = 0; r < runs; r++) {
    const name = runName(r, runs);
    const w = new SummaryWriter(path.join(dir, name));
    w.hparams({ learning_rate: 0.01 * (1 + (r % 5)), use_bn: r % 2 === 0, batch_size: 100 }, [...SCALAR_TAGS]);
    logScalars(w, pointsPerRun);
    w.scalar(END_TAG, 1, pointsPerRun >> 2);
    await w.close();
    bytes += fs.statSync(w.path).size;
    names.push(name);
  }
  const tagCounts: Record<string, number> = {};
  SCALAR_TAGS.forEach((tag, t) => { tagCounts[tag] = pointsOfTag(pointsPerRun, t); });
  tagCounts[END_TAG] = 1;
  return { dir, runs: names, pointsPerRun, tagCounts, totalPoints: runs * (pointsPerRun + 1), bytes };
}
