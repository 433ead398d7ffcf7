/**
 * Model graphs for tfjs LayersModels: the `graph_keras_model` plugin that Keras' TensorBoard
 * callback writes (tf.summary.keras_model): tag `keras`, plugin content `b"1"`, a rank-0
 * DT_STRING tensor holding the model's Keras JSON (`model.toJSON()`); TensorBoard's graphs
 * dashboard converts it to a graph (keras_util.py). Data class BLOB_SEQUENCE (RustBoard accepts a
 * rank-0 string for this plugin).
 */
import { argError } from './validate';

export const KERAS_TAG = 'keras';
export const KERAS_PLUGIN = 'graph_keras_model';
export const KERAS_CONTENT = new Uint8Array([0x31]); // b"1"

/** The model JSON string from a LayersModel (duck-typed `toJSON()`), a JSON string, or a plain object. */
export function modelJson(method: string, model: unknown): string {
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
