/**
 * What `tbkit compare` computes when it groups runs (--group-by, or by default when the runs
 * record a seed): per group and tag, aggregate/'s statistics of the runs' last and best values,
 * the best point of the group's mean curve, and the alignment of their steps.
 */
import { aggregate, bestModeFor, groupRuns, GroupingError, SEED_HPARAM, type Grouping, type RunGroup, type TagAggregate } from '../aggregate';
import { sortByMetric, type CompareOptions, type LoadedRun } from './compare-rows';
import { UsageError } from './errors';
import { DEFAULT_GROUP_BY, parseGroupBy, type ParsedGroupBy } from './group-by';

export interface GroupRow {
  label: string;
  key: RunGroup['key'];
  runs: string[];
  metrics: Record<string, TagAggregate>;
}

export interface GroupedCompare {
  groupedBy: string;
  keys: string[];
  /** The keys whose values differ between groups (the table's columns). */
  varying: string[];
  groups: GroupRow[];
  ungrouped: Grouping['ungrouped'];
}

/**
 * How `compare` groups: as --group-by says; with neither --group-by nor --no-group, by every hparam
 * except `seed` when some run records a seed (runs that differ only in their seed are repeats of
 * one configuration), else not at all (one row per run, as without seeds).
 */
export function chooseGrouping(runs: readonly LoadedRun[], o: { groupBy?: string; group?: boolean }): ParsedGroupBy | undefined {
  if (o.group === false) {
    if (o.groupBy !== undefined) throw new UsageError('--group-by and --no-group contradict each other: choose one');
    return undefined;
  }
  if (o.groupBy !== undefined) return parseGroupBy(o.groupBy);
  return runs.some((r) => SEED_HPARAM in r.hparams) ? DEFAULT_GROUP_BY : undefined;
}

/** The runs grouped, each group's tags aggregated; groups sorted by `opts.metric` when given. */
export function buildGroups(runs: LoadedRun[], tags: string[], grouping: ParsedGroupBy, opts: CompareOptions): { result: GroupedCompare; groups: Array<RunGroup<LoadedRun>> } {
  let g: Grouping<LoadedRun>;
  try {
    g = groupRuns(runs, grouping.by);
  } catch (e) {
    if (e instanceof GroupingError) throw new UsageError(`--group-by: ${e.message}`);
    throw e;
  }
  if (g.groups.length === 0) throw new UsageError(`no run can be grouped by ${grouping.text}: ${g.ungrouped.map((u) => `${u.run} (${u.reason})`).join(', ')}`);
  const wanted = opts.metric && !tags.includes(opts.metric) ? [...tags, opts.metric] : tags;
  const pairs = g.groups.map((group) => {
    const metrics: Record<string, TagAggregate> = {};
    for (const tag of wanted) {
      const a = aggregate(group, tag, bestModeFor(tag, opts.mode ?? 'min'));
      if (a) metrics[tag] = a;
    }
    return { group, row: { label: group.label, key: group.key, runs: group.runs.map((r) => r.name), metrics } };
  });
  if (opts.metric) {
    const metric = opts.metric;
    sortByMetric(pairs, metric, tags, ({ row }) => {
      const m = row.metrics[metric];
      return m && { value: opts.by === 'best' ? m.best.mean : m.last.mean, mode: m.mode };
    }, ({ row }) => row.label);
  }
  const varying = g.keys.filter((k) => g.groups.some((x) => x.key[k] !== g.groups[0].key[k]));
  return {
    result: { groupedBy: grouping.text, keys: g.keys, varying, groups: pairs.map((p) => p.row), ungrouped: g.ungrouped },
    groups: pairs.map((p) => p.group),
  };
}

/**
 * --json: the table's data per group and tag (each run's last and best value included, the aligned
 * curve summarized by its step counts); NaN/Infinity become strings through nonFiniteReplacer.
 */
export function groupedJson(result: GroupedCompare): unknown {
  return {
    ...result,
    groups: result.groups.map((g) => ({
      ...g,
      metrics: Object.fromEntries(
        Object.entries(g.metrics).map(([tag, { aligned, last, best, ...m }]) => [
          tag,
          // A group of one has no interval: null, said so, rather than a missing key.
          { ...m, last: { ...last, interval: last.interval ?? null }, best: { ...best, interval: best.interval ?? null }, sharedSteps: aligned.points.length, partialSteps: aligned.partialSteps },
        ]),
      ),
    })),
  };
}
