/**
 * Older writers' values read as today's, like TensorBoard's data_compat.py and RustBoard's
 * data_compat.rs: a value without metadata is classified by its legacy kind (simple_value,
 * HistogramProto, Image, Audio), a known plugin's tag gets its data class when the metadata
 * leaves it UNKNOWN, and a scalar is a simple_value or a one-element number tensor.
 */
import { DataClass, DT } from '../../proto';
import type { SummaryValue } from '../read-events';

/** The SummaryMetadata fields the reader uses. */
export interface TagMetadata {
  plugin_data?: { plugin_name?: string; content?: Uint8Array };
  summary_description?: string;
  data_class?: number;
}

/** data_class for known plugins when the metadata leaves it UNKNOWN. */
const KNOWN_DATA_CLASS: Record<string, number> = {
  scalars: DataClass.SCALAR,
  histograms: DataClass.TENSOR,
  images: DataClass.BLOB_SEQUENCE,
  audio: DataClass.BLOB_SEQUENCE,
  text: DataClass.TENSOR,
  hparams: DataClass.TENSOR,
  pr_curves: DataClass.TENSOR,
  custom_scalars: DataClass.TENSOR,
  graphs: DataClass.BLOB_SEQUENCE,
  // The graph sub-plugins (Keras model JSON, run metadata), as dataclass_compat.py migrates them.
  graph_keras_model: DataClass.BLOB_SEQUENCE,
  graph_run_metadata: DataClass.BLOB_SEQUENCE,
  graph_run_metadata_graph: DataClass.BLOB_SEQUENCE,
};

/** The plugin a legacy value (one without metadata) belongs to, from the kind of value it holds; '' if none. */
export function legacyPluginOf(v: SummaryValue): string {
  return v.simple_value !== undefined ? 'scalars'
    : v.histo ? 'histograms'
    : v.image ? 'images'
    : v.audio ? 'audio'
    : '';
}

/** A tag's plugin: its metadata's, or without metadata the legacy kind's. */
export function pluginOf(meta: TagMetadata | undefined, legacyPlugin: string): string {
  return meta?.plugin_data?.plugin_name || (meta ? '' : legacyPlugin);
}

/** A tag's data class: its metadata's, else its plugin's. */
export function dataClassOf(meta: TagMetadata | undefined, plugin: string): number {
  return meta?.data_class || KNOWN_DATA_CLASS[plugin] || DataClass.UNKNOWN;
}

/** The scalar held by a Summary.Value, or undefined if it holds none (slow path). */
export function scalarOf(v: SummaryValue): number | undefined {
  if (v.simple_value !== undefined) return v.simple_value;
  const t = v.tensor;
  if (!t) return undefined;
  const dims = t.tensor_shape?.dim ?? [];
  for (const d of dims) if ((d.size ?? 0) !== 1) return undefined; // one element: rank 0 (or all 1s)
  const c = t.tensor_content;
  const view = c && c.length > 0 ? Buffer.from(c.buffer, c.byteOffset, c.length) : undefined;
  switch (t.dtype) {
    case DT.FLOAT:
      if (view) return view.length === 4 ? view.readFloatLE(0) : undefined;
      return t.float_val?.length === 1 ? t.float_val[0] : undefined;
    case DT.DOUBLE:
      if (view) return view.length === 8 ? view.readDoubleLE(0) : undefined;
      return t.double_val?.length === 1 ? t.double_val[0] : undefined;
    case DT.INT32:
      if (view) return view.length === 4 ? view.readInt32LE(0) : undefined;
      return t.int_val?.length === 1 ? t.int_val[0] : undefined;
    case DT.INT64:
      if (view) return view.length === 8 ? Number(view.readBigInt64LE(0)) : undefined;
      return t.int64_val?.length === 1 ? Number(t.int64_val[0]) : undefined;
    default:
      return undefined;
  }
}
