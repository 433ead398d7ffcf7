/**
 * A run's hparams, from the hparams plugin's content (tensorboard.hparams.HParamsPluginData) of its
 * `_hparams_/session_start_info`, `_hparams_/session_end_info` and `_hparams_/experiment` values.
 *
 * hparams values are google.protobuf.Value; we turn them into the JS value they hold (number,
 * string, boolean, null, array, object) so callers never see the wrapper.
 */
import { T } from '../../proto';
import type { RunData, RunHParams } from './types';

type JsValue = null | number | string | boolean | JsValue[] | { [k: string]: JsValue };

/**
 * google.protobuf.Value as protobufjs gives it. The google/protobuf types come from protobufjs'
 * bundled definitions, which are camelCase even though our own protos are loaded with keepCase;
 * both spellings are accepted so a future loader change cannot silently empty the hparams.
 */
interface PbValue {
  null_value?: number; nullValue?: number;
  number_value?: number; numberValue?: number;
  string_value?: string; stringValue?: string;
  bool_value?: boolean; boolValue?: boolean;
  struct_value?: { fields?: Record<string, PbValue> }; structValue?: { fields?: Record<string, PbValue> };
  list_value?: { values?: PbValue[] }; listValue?: { values?: PbValue[] };
}

/** google.protobuf.Value (as a protobufjs plain object) → JS value. */
function fromPbValue(v: PbValue | undefined): JsValue {
  if (!v) return null;
  const num = v.number_value ?? v.numberValue;
  if (num !== undefined) return num;
  const str = v.string_value ?? v.stringValue;
  if (str !== undefined) return str;
  const bool = v.bool_value ?? v.boolValue;
  if (bool !== undefined) return bool;
  const list = v.list_value ?? v.listValue;
  if (list !== undefined) return (list.values ?? []).map(fromPbValue);
  const struct = v.struct_value ?? v.structValue;
  if (struct !== undefined) {
    const out: { [k: string]: JsValue } = {};
    for (const [k, f] of Object.entries(struct.fields ?? {})) out[k] = fromPbValue(f);
    return out;
  }
  return null;
}

export interface DecodedHParamsPluginData {
  version?: number;
  experiment?: Record<string, unknown>;
  session_start_info?: {
    hparams?: Record<string, PbValue>;
    model_uri?: string;
    monitor_url?: string;
    group_name?: string;
    start_time_secs?: number;
  };
  session_end_info?: { status?: string; end_time_secs?: number };
}

/** Decodes plugin content; enums as their names (e.g. 'STATUS_SUCCESS'), int64 as numbers. */
export function decodeHParamsPluginData(content: Uint8Array): DecodedHParamsPluginData {
  const M = T.HParamsPluginData;
  return M.toObject(M.decode(content), { longs: Number, enums: String }) as DecodedHParamsPluginData;
}

/** The experiment config with every google.protobuf.Value in `domain_discrete` turned into JS values. */
function experimentToJs(exp: Record<string, unknown>): Record<string, unknown> {
  const infos = exp.hparam_infos as Array<Record<string, unknown>> | undefined;
  if (!infos) return exp;
  return {
    ...exp,
    hparam_infos: infos.map((info) => {
      const dd = info.domain_discrete as { values?: PbValue[] } | undefined;
      return dd ? { ...info, domain_discrete: (dd.values ?? []).map(fromPbValue) } : info;
    }),
  };
}

/**
 * Takes the hparams plugin `content` of the value tagged `tag` into `run`. Undecodable content is
 * ignored (the tag is still listed by the caller).
 */
export function applyHParams(run: Pick<RunData, 'hparams' | 'experiment'>, tag: string, content: Uint8Array): void {
  let d;
  try {
    d = decodeHParamsPluginData(content);
  } catch {
    return;
  }
  if (tag === '_hparams_/session_start_info' && d.session_start_info) {
    const s = d.session_start_info;
    const hp: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(s.hparams ?? {})) {
      const x = fromPbValue(v);
      if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') hp[k] = x;
    }
    const h: RunHParams = { ...run.hparams, hparams: hp };
    if (s.group_name) h.groupName = s.group_name;
    if (s.start_time_secs !== undefined) h.startTimeSecs = s.start_time_secs;
    run.hparams = h;
  } else if (tag === '_hparams_/session_end_info' && d.session_end_info) {
    const e = d.session_end_info;
    const h: RunHParams = run.hparams ?? { hparams: {} };
    if (e.status !== undefined) h.status = e.status;
    if (e.end_time_secs !== undefined) h.endTimeSecs = e.end_time_secs;
    run.hparams = h;
  } else if (tag === '_hparams_/experiment' && d.experiment) {
    run.experiment = experimentToJs(d.experiment);
  }
}
