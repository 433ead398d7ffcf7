/**
 * Runs grouped into the configurations they repeat: by hparams (by default every hparam except
 * `seed`, so that the seeds of one configuration form one group) or by captures of a run-name
 * pattern. A group's `key` is what its runs share; its `label` names only the keys whose values
 * differ between groups ("learning_rate=0.01,use_bn=true"), which is what tells groups apart.
 */
import type { RunHParams, ScalarPoint } from '../events';

export type HParamValue = RunHParams['hparams'][string];

/** What grouping and aggregation need of a run (what `readRun` gives, with the run's name). */
export interface GroupableRun {
  name: string;
  /** The run's hparams ({} when it has none). */
  hparams: Readonly<Record<string, HParamValue>>;
  scalars: ReadonlyMap<string, readonly ScalarPoint[]>;
}

/** The hparam the BN experiment records per seed, and that default grouping leaves out. */
export const SEED_HPARAM = 'seed';

export type GroupBy =
  /** `keys`: the hparams to group by; default: every hparam of the runs except those in `except` (default `['seed']`). */
  | { hparams?: readonly string[]; except?: readonly string[] }
  /** Named capture groups of a regular expression matched against the run name (e.g. `/^(?<bn>[^-]+)-lr(?<lr>[^-]+)-s\d+$/`). */
  | { namePattern: RegExp };

export interface RunGroup<R extends GroupableRun = GroupableRun> {
  /** The grouping values: hparam values (null: the run has no such hparam) or the pattern's captures. */
  key: Record<string, HParamValue | null>;
  label: string;
  runs: R[];
}

export interface Grouping<R extends GroupableRun = GroupableRun> {
  /** The keys grouped by, in order. */
  keys: string[];
  groups: Array<RunGroup<R>>;
  /** Runs in no group, and why (no hparams at all, or a name the pattern does not match). */
  ungrouped: Array<{ run: string; reason: string }>;
}

/** A grouping that cannot be made (a key no run has, a pattern without captures). */
export class GroupingError extends Error {
  override name = 'GroupingError';
}

/** Groups `runs` (kept in their order within a group); groups are sorted by their key values. */
export function groupRuns<R extends GroupableRun>(runs: readonly R[], by: GroupBy = {}): Grouping<R> {
  const ungrouped: Grouping<R>['ungrouped'] = [];
  const keyed: Array<{ run: R; key: RunGroup['key'] }> = [];
  let keys: string[];
  if ('namePattern' in by) {
    keys = captureNames(by.namePattern);
    if (keys.length === 0) throw new GroupingError(`name pattern ${by.namePattern} has no named capture: put {name} (or (?<name>…)) where the grouping value is`);
    for (const run of runs) {
      const m = by.namePattern.exec(run.name);
      if (!m?.groups) ungrouped.push({ run: run.name, reason: 'name does not match the pattern' });
      else keyed.push({ run, key: Object.fromEntries(keys.map((k) => [k, m.groups![k] ?? null])) });
    }
  } else {
    const withHparams = runs.filter((r) => Object.keys(r.hparams).length > 0);
    for (const r of runs) if (!withHparams.includes(r)) ungrouped.push({ run: r.name, reason: 'no hparams' });
    const all = [...new Set(withHparams.flatMap((r) => Object.keys(r.hparams)))].sort();
    const except = new Set(by.except ?? [SEED_HPARAM]);
    keys = by.hparams ? [...by.hparams] : all.filter((k) => !except.has(k));
    const unknown = keys.filter((k) => !all.includes(k));
    if (unknown.length > 0) throw new GroupingError(`no run has the hparam ${unknown.map((k) => JSON.stringify(k)).join(', ')}; the runs' hparams are: ${all.join(', ') || '(none)'}`);
    for (const run of withHparams) keyed.push({ run, key: Object.fromEntries(keys.map((k) => [k, run.hparams[k] ?? null])) });
  }
  const byId = new Map<string, RunGroup<R>>();
  for (const { run, key } of keyed) {
    const id = JSON.stringify(keys.map((k) => key[k]));
    const g = byId.get(id);
    if (g) g.runs.push(run);
    else byId.set(id, { key, label: '', runs: [run] });
  }
  const groups = [...byId.values()].sort((a, b) => compareKeys(a.key, b.key, keys));
  const varying = keys.filter((k) => groups.some((g) => g.key[k] !== groups[0].key[k]));
  for (const g of groups) g.label = labelOf(g.key, varying.length > 0 ? varying : keys);
  return { keys, groups, ungrouped };
}

/** "k=v,k=v"; a missing hparam shows as "(unset)". */
function labelOf(key: RunGroup['key'], keys: readonly string[]): string {
  if (keys.length === 0) return 'all';
  return keys.map((k) => `${k}=${key[k] === null ? '(unset)' : String(key[k])}`).join(',');
}

function captureNames(re: RegExp): string[] {
  return [...re.source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1]);
}

const TYPE_ORDER = ['object', 'boolean', 'number', 'string']; // null first

/**
 * Key order: false before true, numbers by value, strings by code unit except that two numeric
 * strings (a name pattern's "0.1" and "0.03") compare as numbers; a missing value first.
 */
function compareKeys(a: RunGroup['key'], b: RunGroup['key'], keys: readonly string[]): number {
  for (const k of keys) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    const tx = TYPE_ORDER.indexOf(typeof x);
    const ty = TYPE_ORDER.indexOf(typeof y);
    if (tx !== ty) return tx - ty;
    if (typeof x === 'string' && isNumeric(x) && isNumeric(y as string)) return Number(x) - Number(y);
    return (x as string | number) < (y as string | number) ? -1 : 1;
  }
  return 0;
}

function isNumeric(s: string): boolean {
  return s.trim() !== '' && Number.isFinite(Number(s));
}
