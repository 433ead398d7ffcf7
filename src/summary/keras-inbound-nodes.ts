/**
 * A Keras model JSON's `inbound_nodes` in the form TensorBoard's graph code reads.
 *
 * tfjs (like Keras 2) writes each inbound node as a list of tensor references
 * `[["a", 0, 0, {}], ["b", 0, 0, {}]]` (layer name, node index, tensor index, call kwargs).
 * TensorBoard's keras_util.py (since 2.16) reads only Keras 3's form, a dict per node whose `args`
 * hold tensors `{class_name: "__keras_tensor__", config: {keras_history: [name, node, tensor]}}`
 * — one tensor as the first argument, several as a list in the first argument, as Keras 3 writes a
 * merge layer's call — and skips anything else, so a functional model's layers get no edges
 * (a Sequential model is chained by layer order and needs none).
 *
 * Nodes already in Keras 3's form and anything not recognised are kept as they are; nested models
 * (a model used as a layer) are converted too.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A Keras 2 tensor reference: [layer name, node index, tensor index, kwargs?]. */
function isTensorRef(t: unknown): t is [string, number, number, unknown?] {
  return Array.isArray(t) && t.length >= 3 && typeof t[0] === 'string' && typeof t[1] === 'number' && typeof t[2] === 'number';
}

function keras3Node(node: unknown): unknown {
  if (!Array.isArray(node) || node.length === 0 || !node.every(isTensorRef)) return node;
  const tensors = node.map((t) => ({ class_name: '__keras_tensor__', config: { keras_history: [t[0], t[1], t[2]] } }));
  const kwargs = node[0][3];
  return { args: tensors.length === 1 ? tensors : [tensors], kwargs: isObject(kwargs) ? kwargs : {} };
}

/**
 * The model JSON (a parsed `model.toJSON()`; a model is a layer whose config has layers) with
 * every inbound node in Keras 3's form. The input is not changed.
 */
export function keras3Model(layer: unknown): unknown {
  if (!isObject(layer)) return layer;
  const out: Json = { ...layer };
  if (Array.isArray(layer.inbound_nodes)) out.inbound_nodes = layer.inbound_nodes.map(keras3Node);
  if (isObject(layer.config) && Array.isArray(layer.config.layers)) {
    out.config = { ...layer.config, layers: layer.config.layers.map(keras3Model) };
  }
  return out;
}
