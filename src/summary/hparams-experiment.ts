/**
 * The HParams experiment config, as TensorBoard's `hparams_config_pb` writes it:
 * `Experiment{time_created_secs, hparam_infos, metric_infos}`: the hparams (with their types and
 * domains) and the metrics the dashboard offers as columns.
 */
import { valueObject, type HparamValue } from './hparams-values';
import { argError } from './validate';

export type HparamDomain = { min: number; max: number } | readonly HparamValue[];
export type DatasetType = 'training' | 'validation' | 'unknown';

export interface HparamInfo {
  name: string;
  displayName?: string;
  description?: string;
  /** Default: inferred from the domain (interval → float64; discrete → type of its values). */
  type?: 'string' | 'bool' | 'float64';
  domain?: HparamDomain;
  /**
   * Marks the hparam as one that differs between the runs: TensorBoard's HParams dashboard shows
   * those columns first (it shows five hparams without ticking, the others by name).
   */
  differs?: boolean;
}

export interface MetricInfo {
  tag: string;
  /** Sub-run holding the metric, relative to the session run ('' = the run itself). */
  group?: string;
  displayName?: string;
  description?: string;
  datasetType?: DatasetType;
}

export interface ExperimentConfig {
  hparams: readonly (HparamInfo | string)[];
  metrics: readonly (MetricInfo | string)[];
  name?: string;
  description?: string;
  user?: string;
  /** Default: the wall time of the event. */
  timeCreatedSecs?: number;
}

const TYPE = { string: 1, bool: 2, float64: 3 } as const;
const DATASET = { unknown: 0, training: 1, validation: 2 } as const;

function inferType(method: string, arg: string, info: HparamInfo): number {
  if (info.type !== undefined) {
    if (!(info.type in TYPE)) throw argError(method, `${arg}.type`, "'string', 'bool' or 'float64'", info.type);
    return TYPE[info.type];
  }
  const d = info.domain;
  if (d === undefined) return 0;
  if (Array.isArray(d)) {
    if (d.every((x) => typeof x === 'string')) return TYPE.string;
    if (d.every((x) => typeof x === 'boolean')) return TYPE.bool;
    if (d.every((x) => typeof x === 'number')) return TYPE.float64;
    throw argError(method, `${arg}.domain`, 'a list of values of one type (all strings, all booleans or all numbers)', d);
  }
  return TYPE.float64;
}

function domainObject(method: string, arg: string, d: HparamDomain | undefined): Record<string, unknown> {
  if (d === undefined) return {};
  if (Array.isArray(d)) {
    if (d.length === 0) throw argError(method, arg, 'a non-empty list of values or { min, max }', d);
    return { domain_discrete: { values: d.map((v, i) => valueObject(method, String(i), v, arg)) } };
  }
  const iv = d as { min: number; max: number };
  if (typeof iv.min !== 'number' || typeof iv.max !== 'number' || !(iv.min <= iv.max)) {
    throw argError(method, arg, 'a list of values or an interval { min, max } with min ≤ max', d);
  }
  const o: Record<string, unknown> = {};
  if (iv.min !== 0) o.min_value = iv.min;
  if (iv.max !== 0) o.max_value = iv.max;
  return { domain_interval: o };
}

export function experimentObject(method: string, cfg: ExperimentConfig, wallTime: number): Record<string, unknown> {
  if (cfg === null || typeof cfg !== 'object') throw argError(method, 'config', '{ hparams: [...], metrics: [...] }', cfg);
  if (!Array.isArray(cfg.hparams)) throw argError(method, 'config.hparams', 'an array of hparam names or { name, domain?, displayName?, description?, type? }', cfg.hparams);
  if (!Array.isArray(cfg.metrics)) throw argError(method, 'config.metrics', 'an array of metric tags or { tag, group?, displayName?, description?, datasetType? }', cfg.metrics);
  const exp: Record<string, unknown> = {};
  if (cfg.name) exp.name = cfg.name;
  if (cfg.description) exp.description = cfg.description;
  if (cfg.user) exp.user = cfg.user;
  const created = cfg.timeCreatedSecs ?? wallTime;
  if (created !== 0) exp.time_created_secs = created;
  exp.hparam_infos = cfg.hparams.map((h0, i) => {
    const arg = `config.hparams[${i}]`;
    const h: HparamInfo = typeof h0 === 'string' ? { name: h0 } : h0;
    if (!h || typeof h.name !== 'string' || h.name === '') throw argError(method, `${arg}.name`, 'a non-empty string', h?.name);
    const o: Record<string, unknown> = { name: h.name };
    if (h.displayName) o.display_name = h.displayName;
    if (h.description) o.description = h.description;
    const type = inferType(method, arg, h);
    if (type) o.type = type;
    Object.assign(o, domainObject(method, `${arg}.domain`, h.domain));
    if (h.differs !== undefined && typeof h.differs !== 'boolean') throw argError(method, `${arg}.differs`, 'true or false', h.differs);
    if (h.differs) o.differs = true;
    return o;
  });
  exp.metric_infos = cfg.metrics.map((m0, i) => {
    const arg = `config.metrics[${i}]`;
    const m: MetricInfo = typeof m0 === 'string' ? { tag: m0 } : m0;
    if (!m || typeof m.tag !== 'string' || m.tag === '') throw argError(method, `${arg}.tag`, 'a non-empty string', m?.tag);
    const name: Record<string, unknown> = {};
    if (m.group) name.group = m.group;
    name.tag = m.tag;
    const o: Record<string, unknown> = { name };
    if (m.displayName) o.display_name = m.displayName;
    if (m.description) o.description = m.description;
    if (m.datasetType !== undefined) {
      if (!(m.datasetType in DATASET)) throw argError(method, `${arg}.datasetType`, "'training', 'validation' or 'unknown'", m.datasetType);
      if (DATASET[m.datasetType]) o.dataset_type = DATASET[m.datasetType];
    }
    return o;
  });
  return exp;
}
