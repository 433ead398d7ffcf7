/** What `tbkit inspect` reports about a run: files, tags by plugin, hparams, problems, discarded points (also its --json form). */
import type { RunData } from '../events';
import { byName, displayPath, isCorruption, type RecordProblem, type RunInfo } from './common';

/** Display order of the plugin groups; others follow alphabetically. */
const PLUGIN_ORDER = ['scalars', 'histograms', 'distributions', 'images', 'audio', 'text', 'hparams', 'pr_curves', 'custom_scalars', 'mesh', 'graphs'];

/** Tags with more steps than this do not list them (in --json); the range and count are exact. */
const MAX_LISTED_STEPS = 1000;

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

/** The report of one run from its data (`readRun`), paths shown relative to `base`, tags filtered by `keepTag`. */
export function inspectRun(run: RunInfo, data: RunData, base: string, keepTag: (t: string) => boolean): InspectRun {
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
