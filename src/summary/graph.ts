/**
 * Model graphs for tfjs LayersModels: the `graph_keras_model` plugin that Keras' TensorBoard
 * callback writes (tf.summary.keras_model): tag `keras`, plugin content `b"1"`, a rank-0
 * DT_STRING tensor holding the model's Keras JSON; TensorBoard's graphs dashboard converts it to
 * a graph (plugins/graph/keras_util.py).
 *
 * - No data class, as keras_model_summary writes it: both loaders then store the rank-0 string as
 *   a one-blob sequence; with BLOB_SEQUENCE set the Python loader keeps it rank 0 and fails
 *   (HTTP 500, "array is 0-dimensional").
 * - The layers' `inbound_nodes` in Keras 3's form (./keras-inbound-nodes.ts): tfjs writes Keras 2's,
 *   which keras_util.py skips, leaving a functional model's layers without edges.
 */
import { DataClass } from '../proto';
import { keras3Model } from './keras-inbound-nodes';
import { stringTensorObject } from './metadata';
import { argError } from './validate';
import type { StepOptions, WriterContext } from './writer-context';

export interface GraphOptions extends StepOptions {
  /** Default 'keras' (what Keras writes). */
  tag?: string;
}

const KERAS_TAG = 'keras';
const KERAS_PLUGIN = 'graph_keras_model';
const KERAS_CONTENT = new Uint8Array([0x31]); // b"1"

/** SummaryWriter.graph(). */
export function writeGraph(ctx: WriterContext, model: unknown, opts: GraphOptions): void {
  const tag = opts.tag ?? KERAS_TAG;
  const step = opts.step ?? 0;
  const wallTime = ctx.begin('graph', tag, step, opts);
  const json = JSON.stringify(keras3Model(modelObject('SummaryWriter.graph', model)));
  ctx.emitValue(tag, step, wallTime, ctx.spec(KERAS_PLUGIN, DataClass.UNKNOWN, {}, KERAS_CONTENT), json, (j) => ({
    tensor: stringTensorObject([], [j]),
  }));
}

const EXPECTED = 'a LayersModel (with toJSON()), a Keras model JSON string or object';

/** The Keras model JSON object of a LayersModel (duck-typed `toJSON()`), a JSON string, or a plain object. */
function modelObject(method: string, model: unknown): unknown {
  let m = model;
  if (m && typeof m === 'object' && typeof (m as { toJSON?: unknown }).toJSON === 'function') {
    // tfjs: toJSON(unused?, returnString = true) returns the Keras JSON string.
    m = (m as { toJSON: (a: unknown, b: boolean) => unknown }).toJSON(null, true);
  }
  if (typeof m === 'string') {
    try {
      return JSON.parse(m);
    } catch {
      throw argError(method, 'model', EXPECTED, 'a string that is not JSON');
    }
  }
  if (m && typeof m === 'object') return m;
  throw argError(method, 'model', EXPECTED, model);
}
