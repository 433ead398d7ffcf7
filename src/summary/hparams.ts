/**
 * HParams, as TensorBoard's `hparams.summary_v2.hparams_pb` / `hparams_config_pb` write them,
 * but into the SAME run as the training scalars (no tensorboardX-style sub-run):
 *
 * - `_hparams_/session_start_info`: HParamsPluginData{session_start_info{hparams (map, keys in
 *   sorted order), group_name, start_time_secs}}. No group_name by default: TensorBoard then makes
 *   each run its own group named by the run, so the Trial ID column shows run names.
 * - `_hparams_/experiment`, only when asked for or needed (see HparamsOptions.experiment):
 *   Experiment{time_created_secs, hparam_infos, metric_infos} (./hparams-experiment.ts).
 * - `_hparams_/session_end_info`: SessionEndInfo{status, end_time_secs}.
 * Each value holds TensorBoard's NULL tensor (DT_FLOAT, shape [0]); plugin `hparams`, data class
 * TENSOR (tbkit flavor).
 *
 * Why no experiment by default: TensorBoard's HParams backend (backend_context.py) uses the first
 * `_hparams_/experiment` it finds for the WHOLE logdir, as written; only when no run has one does
 * it derive the table from every run's session: each hparam's `differs` computed across all runs
 * (the dashboard shows those columns first), every scalar tag of the runs as a metric. A config
 * written by one run knows no other run, so it marks nothing as differing (unless the caller does,
 * HparamInfo.differs) and the dashboard shows the first five hparams by name; in a logdir mixing
 * several experiments one config would hide the others' hparams.
 *
 * A writer's session is open from hparams() until endHparams() or close(), which ends it.
 */
import { DataClass, messageType, pushVarint } from '../proto';
import { experimentObject, type ExperimentConfig, type HparamDomain, type HparamInfo, type MetricInfo } from './hparams-experiment';
import { checkHparams, sortedKeys, valueObject, type HparamValue } from './hparams-values';
import { argError, checkOptionalString, checkStep, checkTag, checkWallTime, type Step } from './validate';
import type { StepOptions, WriterContext } from './writer-context';

export type HparamsStatus = 'success' | 'failure' | 'running' | 'unknown';

export interface HparamsOptions {
  /**
   * Session group; default none: each run is its own group, named by the run. Sessions with the same
   * group name form one row of the table (metrics averaged); `defaultGroupName(hparams)` is
   * TensorBoard's own default (a hash of the hparams: runs with equal hparams form one group).
   */
  groupName?: string;
  /** Default: the wall time. */
  startTimeSecs?: number;
  wallTime?: number;
  /**
   * Step of the hparams events; default 0. Metric values given as numbers go to their tag's last
   * step in this writer (TensorBoard's table shows that step), or to this step for a tag this
   * writer has not logged.
   */
  step?: Step;
  /** Domains to declare in the experiment (only when given: a discrete domain missing another run's value hides that run). */
  domains?: Record<string, HparamDomain>;
  /** Display names / descriptions / `differs` of hparams in the experiment. */
  hparamInfos?: Record<string, Omit<HparamInfo, 'name' | 'domain'>>;
  /** Metric display names, descriptions, dataset types, groups. */
  metricInfos?: Record<string, Omit<MetricInfo, 'tag'>>;
  /**
   * Write `_hparams_/experiment` into this run. Default: only when something that lives only there
   * is given — metric names (a string[]), `domains`, `hparamInfos` or `metricInfos`. TensorBoard
   * takes the first experiment config it finds for the whole logdir; without one it computes the
   * table from all runs (see the top of this file).
   */
  experiment?: boolean;
}

export interface EndHparamsOptions extends StepOptions {
  /** Default: the wall time. */
  endTimeSecs?: number;
}

const TAG_EXPERIMENT = '_hparams_/experiment';
const TAG_SESSION_START = '_hparams_/session_start_info';
const TAG_SESSION_END = '_hparams_/session_end_info';
const PLUGIN = 'hparams';

/** TensorBoard's NULL tensor: DT_FLOAT, shape [0]. */
const NULL_TENSOR = { dtype: 1, tensor_shape: { dim: [{}] } };

const STATUS = { unknown: 0, success: 1, failure: 2, running: 3 } as const;

/** Writes the final metric values given to hparams() (ScalarTags.writeFinal). */
type WriteMetrics = (values: Record<string, number>, step: Step, wallTime: number) => void;

/** One writer's HParams session. */
export class HparamsSession {
  private started = false;
  private ended = false;

  constructor(
    private readonly ctx: WriterContext,
    private readonly writeMetrics: WriteMetrics,
  ) {}

  /** SummaryWriter.hparams(). */
  start(hparams: Record<string, HparamValue>, metrics: Record<string, number> | readonly string[] | undefined, opts: HparamsOptions): void {
    const method = 'SummaryWriter.hparams';
    const ctx = this.ctx;
    ctx.checkOpen('hparams');
    const hp = checkHparams(method, hparams);
    const step = checkStep(method, opts.step ?? 0, 'options.step');
    const wallTime = ctx.wallTime(method, opts.wallTime);
    const startTime = opts.startTimeSecs === undefined ? wallTime : checkWallTime(method, opts.startTimeSecs, 'options.startTimeSecs');
    const groupName = checkOptionalString(method, opts.groupName, 'options.groupName') ?? '';
    let metricTags: string[] = [];
    let metricValues: Record<string, number> | undefined;
    if (Array.isArray(metrics)) {
      metrics.forEach((m, i) => checkTag(method, m, `metrics[${i}]`));
      metricTags = metrics.slice();
    } else if (metrics !== undefined) {
      if (metrics === null || typeof metrics !== 'object') throw argError(method, 'metrics', 'an object of metric tag → number, or a string[] of metric tags', metrics);
      for (const [k, v] of Object.entries(metrics)) {
        checkTag(method, k, 'metrics key');
        if (typeof v !== 'number') throw argError(method, `metrics[${JSON.stringify(k)}]`, 'a number', v);
      }
      metricTags = Object.keys(metrics);
      metricValues = metrics as Record<string, number>;
    }
    if (opts.domains !== undefined) {
      for (const k of Object.keys(opts.domains)) if (!(k in hp)) throw argError(method, `options.domains[${JSON.stringify(k)}]`, 'a domain for one of the hparams passed', k);
    }
    let expBytes: Uint8Array | undefined;
    const declared = Array.isArray(metrics) || opts.domains !== undefined || opts.hparamInfos !== undefined || opts.metricInfos !== undefined;
    if (opts.experiment ?? declared) {
      const cfg: ExperimentConfig = {
        hparams: Object.keys(hp).map((name) => {
          const info: HparamInfo = { name, ...(opts.hparamInfos?.[name] ?? {}) };
          const d = opts.domains?.[name];
          if (d !== undefined) info.domain = d;
          else if (info.type === undefined) info.type = typeof hp[name] === 'string' ? 'string' : typeof hp[name] === 'boolean' ? 'bool' : 'float64';
          return info;
        }),
        metrics: metricTags.map((tag) => ({ tag, ...(opts.metricInfos?.[tag] ?? {}) })),
        timeCreatedSecs: startTime,
      };
      expBytes = experimentContent(method, cfg, wallTime);
    }
    const startBytes = sessionStartContent(method, hp, groupName, startTime);
    if (expBytes) writeValue(ctx, TAG_EXPERIMENT, expBytes, wallTime, step);
    writeValue(ctx, TAG_SESSION_START, startBytes, wallTime, step);
    this.started = true;
    this.ended = false;
    if (metricValues) this.writeMetrics(metricValues, step, wallTime);
  }

  /** SummaryWriter.endHparams(). */
  end(status: HparamsStatus, endTime: number | EndHparamsOptions | undefined): void {
    const method = 'SummaryWriter.endHparams';
    const ctx = this.ctx;
    ctx.checkOpen('endHparams');
    const st = statusValue(method, status);
    const o: EndHparamsOptions = typeof endTime === 'number' ? { endTimeSecs: endTime } : endTime ?? {};
    const wallTime = ctx.wallTime(method, o.wallTime);
    const end = o.endTimeSecs === undefined ? wallTime : checkWallTime(method, o.endTimeSecs, 'endTimeSecs');
    const step = checkStep(method, o.step ?? 0, 'options.step');
    writeValue(ctx, TAG_SESSION_END, sessionEndContent(st, end), wallTime, step);
    this.ended = true;
  }

  /** At close: ends a session that hparams() started and endHparams() did not end. */
  endIfOpen(status: HparamsStatus): void {
    if (this.started && !this.ended) this.end(status, undefined);
  }
}

/** SummaryWriter.hparamsConfig() and writeHparamsExperiment(): an experiment config alone. */
export function writeExperiment(ctx: WriterContext, config: ExperimentConfig, opts: StepOptions): void {
  const method = 'writeHparamsExperiment';
  ctx.checkOpen('hparamsConfig');
  const step = checkStep(method, opts.step ?? 0, 'options.step');
  const wallTime = ctx.wallTime(method, opts.wallTime);
  writeValue(ctx, TAG_EXPERIMENT, experimentContent(method, config, wallTime), wallTime, step);
}

function writeValue(ctx: WriterContext, tag: string, content: Uint8Array, wallTime: number, step: Step): void {
  ctx.emitValue(tag, step, wallTime, ctx.spec(PLUGIN, DataClass.TENSOR, {}, content), NULL_TENSOR, (t) => ({ tensor: t }));
}

function pluginData(obj: Record<string, unknown>): Uint8Array {
  const t = messageType('tensorboard.hparams.HParamsPluginData');
  return t.encode(t.fromObject(obj)).finish();
}

function lenField(field: number, payload: Uint8Array): Uint8Array {
  const head: number[] = [(field << 3) | 2];
  pushVarint(head, payload.length);
  return Buffer.concat([Buffer.from(head), payload]);
}

/** Serialized HParamsPluginData{session_start_info}, map entries in sorted key order (as Python). */
function sessionStartContent(method: string, hparams: Record<string, HparamValue>, groupName: string, startTimeSecs: number): Uint8Array {
  const ValueT = messageType('google.protobuf.Value');
  const entries: Uint8Array[] = [];
  for (const k of sortedKeys(hparams)) {
    const val = ValueT.encode(ValueT.fromObject(valueObject(method, k, hparams[k]))).finish();
    entries.push(lenField(1, Buffer.concat([lenField(1, Buffer.from(k, 'utf8')), lenField(2, val)])));
  }
  const SSI = messageType('tensorboard.hparams.SessionStartInfo');
  const rest: Record<string, unknown> = {};
  if (groupName) rest.group_name = groupName;
  if (startTimeSecs !== 0) rest.start_time_secs = startTimeSecs;
  const restBytes = SSI.encode(SSI.fromObject(rest)).finish();
  const ssi = Buffer.concat([...entries, restBytes]);
  return lenField(3, ssi); // HParamsPluginData.session_start_info = 3 (version 0 omitted)
}

function sessionEndContent(status: number, endTimeSecs: number): Uint8Array {
  const end: Record<string, unknown> = {};
  if (status) end.status = status;
  if (endTimeSecs !== 0) end.end_time_secs = endTimeSecs;
  return pluginData({ session_end_info: end });
}

function experimentContent(method: string, cfg: ExperimentConfig, wallTime: number): Uint8Array {
  return pluginData({ experiment: experimentObject(method, cfg, wallTime) });
}

function statusValue(method: string, status: unknown): number {
  if (typeof status !== 'string' || !(status in STATUS)) throw argError(method, 'status', "'success', 'failure', 'running' or 'unknown'", status);
  return STATUS[status as keyof typeof STATUS];
}
