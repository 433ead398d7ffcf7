/**
 * SummaryMetadata and generic Event encoding (protobufjs; used off the scalar hot path).
 *
 * Plain objects are built with every proto3 default-valued field OMITTED, so that protobufjs
 * produces exactly the bytes TensorBoard's Python writer produces.
 */
import { encodeEvent } from '../events';
import { DataClass, T } from '../proto';
import type { Step } from './validate';

export type Flavor = 'tbkit' | 'tensorboard';

/** How a writer writes SummaryMetadata. */
export interface MetadataPolicy {
  /** 'first': only on the first value of a tag per writer (tbkit default); 'always': on every value (TensorBoard's `*_pb`). */
  when: 'first' | 'always';
  /** Whether to set `data_class` (tbkit default true; TensorBoard's Python `*_pb` helpers leave it unset). */
  dataClass: boolean;
}

export interface MetadataSpec {
  pluginName: string;
  /** Serialized `*PluginData`; omitted when empty (version 0 of every plugin serializes to nothing). */
  content?: Uint8Array;
  displayName?: string;
  description?: string;
  /** DataClass value; written only when the policy says so and it is not UNKNOWN. */
  dataClass?: number;
}

export function metadataObject(spec: MetadataSpec, policy: MetadataPolicy): Record<string, unknown> {
  const pluginData: Record<string, unknown> = { plugin_name: spec.pluginName };
  if (spec.content && spec.content.length > 0) pluginData.content = spec.content;
  const md: Record<string, unknown> = { plugin_data: pluginData };
  if (spec.displayName) md.display_name = spec.displayName;
  if (spec.description) md.summary_description = spec.description;
  if (policy.dataClass && spec.dataClass) md.data_class = spec.dataClass;
  return md;
}

/** Serialized SummaryMetadata. */
export function encodeMetadata(spec: MetadataSpec, policy: MetadataPolicy): Uint8Array {
  const t = T.SummaryMetadata;
  return t.encode(t.fromObject(metadataObject(spec, policy))).finish();
}

/** Serialized Event holding the given summary values. */
export function encodeSummaryEvent(wallTime: number, step: Step, values: Record<string, unknown>[]): Uint8Array {
  return encodeEvent({ wall_time: wallTime, step, summary: { value: values } });
}

/** A TensorProto plain object. `dims` empty = rank 0. Zero-sized dims are written as `{}` like Python. */
function tensorShapeObject(dims: readonly number[]): Record<string, unknown> {
  if (dims.length === 0) return {};
  return { dim: dims.map((d) => (d === 0 ? {} : { size: d })) };
}

/** The string tensor TensorBoard's `make_tensor_proto` writes: `string_val` for every element. */
export function stringTensorObject(dims: readonly number[], values: readonly (string | Uint8Array)[]): Record<string, unknown> {
  return {
    dtype: 7,
    tensor_shape: tensorShapeObject(dims),
    string_val: values.map((v) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v)),
  };
}

/** DT_DOUBLE / DT_FLOAT tensor as `make_tensor_proto` writes it: `tensor_content` when size > 1, else `*_val`. */
export function floatTensorObject(dtype: 'float32' | 'float64', dims: readonly number[], values: ArrayLike<number>): Record<string, unknown> {
  const size = dims.reduce((a, b) => a * b, 1);
  const o: Record<string, unknown> = { dtype: dtype === 'float32' ? 1 : 2, tensor_shape: tensorShapeObject(dims) };
  if (size === 1) {
    o[dtype === 'float32' ? 'float_val' : 'double_val'] = [values[0]];
  } else if (size > 1) {
    const bytes = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
    for (let i = 0; i < size; i++) bytes[i] = values[i];
    o.tensor_content = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return o;
}
