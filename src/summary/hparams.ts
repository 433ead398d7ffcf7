/**
 * HParams, as TensorBoard's `hparams.summary_v2.hparams_pb` / `hparams_config_pb` write them,
 * but into the SAME run as the training scalars (no tensorboardX-style sub-run):
 *
 * - `_hparams_/session_start_info`: HParamsPluginData{session_start_info{hparams (map, keys in
 *   sorted order), group_name, start_time_secs}}; group_name defaults to TensorBoard's
 *   `sha256(json.dumps(hparams, sort_keys=True, separators=(",", ":")))` — sessions with equal
 *   hparams form one group (repeats).
 * - `_hparams_/experiment`: Experiment{time_created_secs, hparam_infos, metric_infos}.
 * - `_hparams_/session_end_info`: SessionEndInfo{status, end_time_secs}.
 * Each value holds TensorBoard's NULL tensor (DT_FLOAT, shape [0]); plugin `hparams`, data class
 * TENSOR (tbkit flavor).
 */
import * as crypto from 'node:crypto';
import { messageType, pushVarint } from '../proto';
import { argError, describe } from './validate';

export type HparamValue = string | number | boolean;
export type HparamDomain = { min: number; max: number } | readonly HparamValue[];
export type DatasetType = 'training' | 'validation' | 'unknown';

export interface HparamInfo {
  name: string;
  displayName?: string;
  description?: string;
  /** Default: inferred from the domain (interval → float64; discrete → type of its values). */
  type?: 'string' | 'bool' | 'float64';
  domain?: HparamDomain;
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

export const TAG_EXPERIMENT = '_hparams_/experiment';
export const TAG_SESSION_START = '_hparams_/session_start_info';
export const TAG_SESSION_END = '_hparams_/session_end_info';

/** TensorBoard's NULL tensor: DT_FLOAT, shape [0]. */
export const NULL_TENSOR = { dtype: 1, tensor_shape: { dim: [{}] } };

const TYPE = { string: 1, bool: 2, float64: 3 } as const;
const DATASET = { unknown: 0, training: 1, validation: 2 } as const;
export const STATUS = { unknown: 0, success: 1, failure: 2, running: 3 } as const;

/**
 * google.protobuf.Value for an hparam value, with a clear error for unsupported types.
 * (protobufjs loads google/protobuf/struct.proto from its bundled camelCase definitions.)
 */
export function valueObject(method: string, key: string, v: unknown, argument = 'hparams'): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw argError(method, `${argument}[${JSON.stringify(key)}]`, 'a finite number, a string or a boolean', v);
    return { numberValue: v };
  }
  if (typeof v === 'bigint') return { numberValue: Number(v) };
  throw argError(method, `${argument}[${JSON.stringify(key)}]`, 'a string, a finite number or a boolean (stringify objects/arrays yourself)', v);
}

export function checkHparams(method: string, hparams: unknown): Record<string, HparamValue> {
  if (hparams === null || typeof hparams !== 'object' || Array.isArray(hparams)) {
    throw argError(method, 'hparams', 'an object of name → string | number | boolean', hparams);
  }
  const out: Record<string, HparamValue> = {};
  for (const [k, v] of Object.entries(hparams)) {
    if (k.length === 0) throw argError(method, 'hparams', 'an object whose keys are non-empty names', hparams);
    valueObject(method, k, v);
    out[k] = typeof v === 'bigint' ? Number(v) : (v as HparamValue);
  }
  return out;
}

/** Python `sorted()` order of str: by code point (= UTF-8 byte order). */
export function sortedKeys(o: object): string[] {
  return Object.keys(o).sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

/** Python `repr(float)` (used by json.dumps). */
export function pyFloatRepr(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  const [mant, expS] = x.toExponential().split('e');
  const exp = Number(expS);
  if (exp >= -4 && exp < 16) {
    return String(x).includes('e') ? x.toFixed(Math.max(0, -exp + (mant.replace('-', '').replace('.', '').length - 1))) : String(x);
  }
  const sign = exp < 0 ? '-' : '+';
  const e = String(Math.abs(exp)).padStart(2, '0');
  return `${mant}e${sign}${e}`;
}

function pyJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (c >= 0x7f && c <= 0xffff)) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (c > 0xffff) {
      const v = c - 0x10000;
      out += '\\u' + (0xd800 + (v >> 10)).toString(16) + '\\u' + (0xdc00 + (v & 0x3ff)).toString(16);
    } else out += ch;
  }
  return out + '"';
}

/**
 * TensorBoard's default group name: sha256 of `json.dumps(hparams, sort_keys=True, separators=(",", ":"))`.
 * JS cannot tell 3 from 3.0: integral numbers are rendered as Python ints.
 */
export function defaultGroupName(hparams: Record<string, HparamValue>): string {
  const parts = sortedKeys(hparams).map((k) => {
    const v = hparams[k];
    let s: string;
    if (typeof v === 'string') s = pyJsonString(v);
    else if (typeof v === 'boolean') s = v ? 'true' : 'false';
    else s = Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? String(v) : pyFloatRepr(v);
    return `${pyJsonString(k)}:${s}`;
  });
  return crypto.createHash('sha256').update(`{${parts.join(',')}}`, 'utf8').digest('hex');
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
export function sessionStartContent(method: string, hparams: Record<string, HparamValue>, groupName: string, startTimeSecs: number): Uint8Array {
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

export function sessionEndContent(status: number, endTimeSecs: number): Uint8Array {
  const end: Record<string, unknown> = {};
  if (status) end.status = status;
  if (endTimeSecs !== 0) end.end_time_secs = endTimeSecs;
  return pluginData({ session_end_info: end });
}

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

export function experimentContent(method: string, cfg: ExperimentConfig, wallTime: number): Uint8Array {
  return pluginData({ experiment: experimentObject(method, cfg, wallTime) });
}

export function statusValue(method: string, status: unknown): number {
  if (typeof status !== 'string' || !(status in STATUS)) throw argError(method, 'status', "'success', 'failure', 'running' or 'unknown'", status);
  return STATUS[status as keyof typeof STATUS];
}

export { describe };
