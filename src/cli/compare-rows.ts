/**
 * What `tbkit compare` computes: the selected runs read back, and per run its hparams and, per
 * scalar tag, the last value and the best value with its step; rows sorted by a metric.
 */
import { bestModeFor, SEED_HPARAM, summarize, type BestMode, type MetricSummary } from '../aggregate';
import { readRunColumns, type ScalarColumns, type ScalarPoint } from '../events';
import { byName, selectRuns, type HParamValue } from './common';
import { UsageError } from './errors';
import { makeFilter } from './filters';

export type { BestMode, MetricSummary };

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

export interface LoadedRun {
  name: string;
  hparams: Record<string, HParamValue>;
  hasHparams: boolean;
  scalars: Map<string, ScalarPoint[]>;
}

/**
 * Which runs' points `loadRuns` keeps: none (the table needs only each run's summaries), all (charts,
 * --group-by), or 'if-seeded': all when some run records a seed (compare then groups by default,
 * see chooseGrouping), else none.
 */
export type KeepPoints = boolean | 'if-seeded';

/**
 * Reads the selected runs one at a time, keeping only the selected scalar tags (and the metric).
 * A run is read into columns, summarized, and its columns let go before the next run is read, so
 * without kept points the memory is one run's columns whatever the size of the logdir. Points,
 * when kept, are those of the selected tags only. With 'if-seeded', runs read before the first
 * seeded one are read again for their points once a seed shows up.
 */
export function loadRuns(logdir: string, opts: CompareOptions, keepPoints: KeepPoints): { runs: LoadedRun[]; tags: string[]; summaries: Map<string, Map<string, MetricSummary>> } {
  const infos = selectRuns(logdir, opts.runs);
  const keepTag = makeFilter(opts.tags, '--tag');
  const wanted = (tag: string): boolean => keepTag(tag) || tag === opts.metric;
  const mode = opts.mode ?? 'min';
  const runs: LoadedRun[] = [];
  const summaries = new Map<string, Map<string, MetricSummary>>();
  const tagSet = new Set<string>();
  let keeping = keepPoints === true;
  const withoutPoints: Array<{ run: LoadedRun; files: string[] }> = [];
  for (const info of infos) {
    const data = readRunColumns(info.files);
    const sums = new Map<string, MetricSummary>();
    for (const [tag, cols] of data.scalars) {
      if (!wanted(tag)) continue;
      const s = summarize(tag, cols, bestModeFor(tag, mode));
      if (!s) continue;
      sums.set(tag, s);
      if (keepTag(tag)) tagSet.add(tag);
    }
    if (sums.size === 0 && !data.hparams) continue; // e.g. the root run holding only the experiment config
    const hparams = data.hparams?.hparams ?? {};
    if (keepPoints === 'if-seeded' && !keeping && SEED_HPARAM in hparams) {
      keeping = true;
      for (const w of withoutPoints) w.run.scalars = pointsOf(readRunColumns(w.files).scalars, wanted);
    }
    const run: LoadedRun = { name: info.name, hparams, hasHparams: !!data.hparams, scalars: keeping ? pointsOf(data.scalars, wanted) : new Map() };
    if (!keeping) withoutPoints.push({ run, files: info.files });
    runs.push(run);
    summaries.set(info.name, sums);
  }
  return { runs, tags: [...tagSet].sort(byName), summaries };
}

/** The wanted tags' columns as points (the metric's too: grouped runs are sorted by its aggregate). */
function pointsOf(scalars: Map<string, ScalarColumns>, wanted: (tag: string) => boolean): Map<string, ScalarPoint[]> {
  const out = new Map<string, ScalarPoint[]>();
  for (const [tag, c] of scalars) {
    if (!wanted(tag) || c.length === 0) continue;
    const pts = new Array<ScalarPoint>(c.length);
    for (let i = 0; i < c.length; i++) pts[i] = { step: c.steps[i], wallTime: c.wallTimes[i], value: c.values[i] };
    out.set(tag, pts);
  }
  return out;
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
    sortByMetric(rows, metric, tags, (r) => {
      const m = r.metrics[metric];
      return m && { value: opts.by === 'best' ? m.best : m.last, mode: m.mode };
    }, (r) => r.run);
  }
  return rows;
}

/**
 * Sorts `items` best first by the metric value `valueOf` gives (in its direction); items without
 * one or with NaN go last, ties by name. None having the metric is a usage error naming the tags.
 */
export function sortByMetric<T>(items: T[], metric: string, tags: readonly string[], valueOf: (t: T) => { value: number; mode: BestMode } | undefined, nameOf: (t: T) => string): void {
  if (!items.some((t) => valueOf(t))) {
    throw new UsageError(`--metric ${metric}: no selected run has this scalar tag; tags are: ${tags.join(', ') || '(none)'}`);
  }
  const key = (t: T): number => {
    const m = valueOf(t);
    return m ? (m.mode === 'min' ? m.value : -m.value) : NaN;
  };
  items.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (Number.isNaN(ka) || Number.isNaN(kb)) return Number.isNaN(ka) ? (Number.isNaN(kb) ? 0 : 1) : -1;
    return ka - kb || byName(nameOf(a), nameOf(b));
  });
}
