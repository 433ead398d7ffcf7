/**
 * What `tbkit compare` computes: the selected runs read back, and per run its hparams and, per
 * scalar tag, the last value and the best value with its step; rows sorted by a metric.
 */
import { readRun, type ScalarPoint } from '../events';
import { byName, selectRuns, type HParamValue } from './common';
import { UsageError } from './errors';
import { makeFilter } from './filters';

export type BestMode = 'min' | 'max';

export interface MetricSummary {
  tag: string;
  /** Direction of "best" for this tag. */
  mode: BestMode;
  count: number;
  last: number;
  lastStep: number;
  lastWallTime: number;
  /** Best non-NaN value (NaN when every value is NaN); the earliest step on ties. */
  best: number;
  bestStep: number;
}

export interface CompareRow {
  run: string;
  hparams: Record<string, HParamValue>;
  metrics: Record<string, MetricSummary>;
}

export interface CompareOptions {
  /** Run filters (glob or /regex/), OR-ed. */
  runs?: string[];
  /** Tag filters (glob or /regex/), OR-ed; default all scalar tags. */
  tags?: string[];
  /** Sort runs by this tag (best run first, in the tag's direction); runs without it go last. */
  metric?: string;
  /** Sort by the metric's last (default) or best value. */
  by?: 'last' | 'best';
  /** Direction for tags whose name does not imply one (default 'min'). */
  mode?: BestMode;
}

/**
 * "min" for tags containing loss/cost/error, "max" for accuracy/acc, else `fallback`.
 * (Checked on the lower-cased tag; loss/cost/error win, so "acc_loss" is minimized.)
 */
export function bestModeFor(tag: string, fallback: BestMode = 'min'): BestMode {
  const t = tag.toLowerCase();
  if (t.includes('loss') || t.includes('cost') || t.includes('error')) return 'min';
  if (t.includes('acc')) return 'max';
  return fallback;
}

export function summarize(tag: string, points: readonly ScalarPoint[], mode: BestMode): MetricSummary | undefined {
  if (points.length === 0) return undefined;
  const last = points[points.length - 1];
  let best = NaN;
  let bestStep = last.step;
  for (const p of points) {
    const v = p.value;
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (mode === 'min' ? v < best : v > best)) {
      best = v;
      bestStep = p.step;
    }
  }
  return { tag, mode, count: points.length, last: last.value, lastStep: last.step, lastWallTime: last.wallTime, best, bestStep };
}

export interface LoadedRun {
  name: string;
  hparams: Record<string, HParamValue>;
  hasHparams: boolean;
  scalars: Map<string, ScalarPoint[]>;
}

/** Reads the selected runs, keeping only the selected scalar tags (and the metric). */
export function loadRuns(logdir: string, opts: CompareOptions, keepPoints: boolean): { runs: LoadedRun[]; tags: string[]; summaries: Map<string, Map<string, MetricSummary>> } {
  const infos = selectRuns(logdir, opts.runs);
  const keepTag = makeFilter(opts.tags, '--tag');
  const mode = opts.mode ?? 'min';
  const runs: LoadedRun[] = [];
  const summaries = new Map<string, Map<string, MetricSummary>>();
  const tagSet = new Set<string>();
  for (const info of infos) {
    const data = readRun(info.files);
    const kept = new Map<string, ScalarPoint[]>();
    const sums = new Map<string, MetricSummary>();
    for (const [tag, pts] of data.scalars) {
      const selected = keepTag(tag);
      if (!selected && tag !== opts.metric) continue;
      const s = summarize(tag, pts, bestModeFor(tag, mode));
      if (!s) continue;
      sums.set(tag, s);
      if (selected) {
        tagSet.add(tag);
        if (keepPoints) kept.set(tag, pts);
      }
    }
    if (sums.size === 0 && !data.hparams) continue; // e.g. the root run holding only the experiment config
    runs.push({ name: info.name, hparams: data.hparams?.hparams ?? {}, hasHparams: !!data.hparams, scalars: kept });
    summaries.set(info.name, sums);
  }
  return { runs, tags: [...tagSet].sort(byName), summaries };
}

/** The loaded runs as rows, sorted by `opts.metric` when given (a metric no run has is a usage error). */
export function buildRows(runs: LoadedRun[], tags: string[], summaries: Map<string, Map<string, MetricSummary>>, opts: CompareOptions): CompareRow[] {
  const rows: CompareRow[] = runs.map((r) => {
    const metrics: Record<string, MetricSummary> = {};
    const sums = summaries.get(r.name)!;
    for (const t of tags) {
      const s = sums.get(t);
      if (s) metrics[t] = s;
    }
    if (opts.metric && sums.has(opts.metric)) metrics[opts.metric] = sums.get(opts.metric)!;
    return { run: r.name, hparams: r.hparams, metrics };
  });
  if (opts.metric) {
    const metric = opts.metric;
    if (!rows.some((r) => r.metrics[metric])) {
      throw new UsageError(`--metric ${metric}: no selected run has this scalar tag; tags are: ${tags.join(', ') || '(none)'}`);
    }
    const key = (r: CompareRow): number => {
      const m = r.metrics[metric];
      if (!m) return NaN;
      const v = opts.by === 'best' ? m.best : m.last;
      return m.mode === 'min' ? v : -v;
    };
    rows.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (Number.isNaN(ka) || Number.isNaN(kb)) return Number.isNaN(ka) ? (Number.isNaN(kb) ? 0 : 1) : -1;
      return ka - kb || byName(a.run, b.run);
    });
  }
  return rows;
}
