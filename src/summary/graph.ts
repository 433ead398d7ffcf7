/**
 * Model graphs for tfjs LayersModels: the `graph_keras_model` plugin that Keras' TensorBoard
 * callback writes (tf.summary.keras_model): tag `keras`, plugin content `b"1"`, a rank-0
 * DT_STRING tensor holding the model's Keras JSON (`model.toJSON()`); TensorBoard's graphs
 * dashboard converts it to a graph (keras_util.py). Data class BLOB_SEQUENCE (RustBoard accepts a
 * rank-0 string for this plugin).
 */
import { DataClass } from '../proto';
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
  const json = modelJson('SummaryWriter.graph', model);
  ctx.emitValue(tag, step, wallTime, ctx.spec(KERAS_PLUGIN, DataClass.BLOB_SEQUENCE, {}, KERAS_CONTENT), json, (j) => ({
    tensor: stringTensorObject([], [j]),
  }));
}

/** The model JSON string from a LayersModel (duck-typed `toJSON()`), a JSON string, or a plain object. */
function modelJson(method: string, model: unknown): string {
  if (typeof model === 'string') {
    try {
      JSON.parse(model);
    } catch {
      throw argError(method, 'model', 'a LayersModel (with toJSON()), a Keras model JSON string or object', 'a string that is not JSON');
    }
    return model;
  }
  if (model && typeof model === 'object') {
    const m = model as { toJSON?: (a?: unknown, b?: boolean) => unknown };
    if (typeof m.toJSON === 'function') {
      // tfjs: toJSON(unused?, returnString = true) returns the Keras JSON string.
      const j = m.toJSON(null, true);
      return typeof j === 'string' ? j : JSON.stringify(j);
    }
    return JSON.stringify(model);
  }
  throw argError(method, 'model', 'a LayersModel (with toJSON()), a Keras model JSON string or object', model);
}
