/** What readRun and readRunColumns return: one run's scalars, tags, hparams and problems. */
import type { RecordProblem } from '../problems';

export interface ScalarPoint { step: number; wallTime: number; value: number }

export interface TagInfo {
  tag: string;
  /** scalars|histograms|images|audio|text|hparams|pr_curves|custom_scalars|graphs|…; '' if unknown. */
  plugin: string;
  dataClass: number;
  /** Steps still present after purging, ascending. */
  steps: number[];
  /** Values read for this tag, including purged and duplicate ones. */
  count: number;
  description?: string;
}

/** A scalar tag's points as columns: point i is (steps[i], wallTimes[i], values[i]), i < length. */
export interface ScalarColumns {
  steps: Float64Array;
  wallTimes: Float64Array;
  values: Float64Array;
  /** Number of points; each array has exactly this length. */
  length: number;
}

export interface RunHParams {
  hparams: Record<string, string | number | boolean>;
  groupName?: string;
  startTimeSecs?: number;
  status?: string;
  endTimeSecs?: number;
}

export interface RunData {
  scalars: Map<string, ScalarPoint[]>;
  tags: Map<string, TagInfo>;
  hparams?: RunHParams;
  experiment?: unknown;
  problems: RecordProblem[];
  purged: Array<{ tag: string; step: number; reason: 'session-start' | 'out-of-order' }>;
  duplicates: Array<{ tag: string; step: number }>;
  records: number;
  files: Array<{ path: string; records: number; bytes: number }>;
}

/** What `readRunColumns` returns: RunData with each scalar tag's points as columns. */
export interface RunColumnsData extends Omit<RunData, 'scalars'> {
  scalars: Map<string, ScalarColumns>;
}
