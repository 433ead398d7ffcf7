/**
 * graph(): tfjs' Keras 2 `inbound_nodes` become the Keras 3 form TensorBoard's keras_util.py reads
 * (issue 12 item 3), on the JSON tfjs-layers 4.22 writes (trimmed to the fields that matter);
 * written rank 0 without a data class, as keras_model_summary does (item 4).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { SummaryWriter } from '../../src/summary';
import { keras3Model } from '../../src/summary/keras-inbound-nodes';
import { BASE, decode, records, tmpdir } from './helpers';

const ref = (name: string) => ({ class_name: '__keras_tensor__', config: { keras_history: [name, 0, 0] } });

/** tf.model({ inputs: x, outputs: y }) with y = dense(add(dense_a(x), dense_b(x))), as tfjs' toJSON() writes it. */
const FUNCTIONAL = {
  class_name: 'Model',
  config: {
    name: 'fn',
    layers: [
      { name: 'x', class_name: 'InputLayer', config: { batch_input_shape: [null, 4], dtype: 'float32', name: 'x' }, inbound_nodes: [] },
      { name: 'a', class_name: 'Dense', config: { units: 3, name: 'a' }, inbound_nodes: [[['x', 0, 0, {}]]] },
      { name: 'b', class_name: 'Dense', config: { units: 3, name: 'b' }, inbound_nodes: [[['x', 0, 0, {}]]] },
      { name: 'sum', class_name: 'Add', config: { name: 'sum' }, inbound_nodes: [[['a', 0, 0, {}], ['b', 0, 0, {}]]] },
      { name: 'y', class_name: 'Dense', config: { units: 2, name: 'y' }, inbound_nodes: [[['sum', 0, 0, { training: true }]]] },
    ],
    input_layers: [['x', 0, 0]],
    output_layers: [['y', 0, 0]],
  },
  keras_version: 'tfjs-layers 4.22.0',
  backend: 'tensor_flow.js',
};

test('functional model: one input → args [tensor]; a merge → args [[tensors]]; kwargs kept; the input is not changed', () => {
  const before = JSON.stringify(FUNCTIONAL);
  const out = keras3Model(FUNCTIONAL) as typeof FUNCTIONAL;
  assert.equal(JSON.stringify(FUNCTIONAL), before);
  assert.deepEqual(out.config.layers.map((l) => l.inbound_nodes), [
    [],
    [{ args: [ref('x')], kwargs: {} }],
    [{ args: [ref('x')], kwargs: {} }],
    [{ args: [[ref('a'), ref('b')]], kwargs: {} }],
    [{ args: [ref('sum')], kwargs: { training: true } }],
  ]);
  // Everything else as it was.
  assert.deepEqual({ ...out, config: { ...out.config, layers: [] } }, { ...FUNCTIONAL, config: { ...FUNCTIONAL.config, layers: [] } });
  assert.deepEqual(out.config.layers.map((l) => l.config), FUNCTIONAL.config.layers.map((l) => l.config));
});

test('a Sequential model (no inbound nodes), a nested model, a node already in Keras 3 form', () => {
  const seq = { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'd' } }] } };
  assert.deepEqual(keras3Model(seq), seq);
  const keras3 = { args: [ref('x')], kwargs: {} };
  const outer = {
    class_name: 'Model',
    config: {
      name: 'outer',
      layers: [
        { name: 'x', class_name: 'InputLayer', config: { name: 'x' }, inbound_nodes: [] },
        { name: 'inner', class_name: 'Model', config: { name: 'inner', layers: [{ name: 'i', class_name: 'Dense', config: {}, inbound_nodes: [[['in', 0, 0, {}]]] }] }, inbound_nodes: [[['x', 0, 0, {}]]] },
        { name: 'k3', class_name: 'Dense', config: {}, inbound_nodes: [keras3] },
      ],
    },
  };
  const out = keras3Model(outer) as any;
  assert.deepEqual(out.config.layers[1].inbound_nodes, [{ args: [ref('x')], kwargs: {} }]);
  assert.deepEqual(out.config.layers[1].config.layers[0].inbound_nodes, [{ args: [ref('in')], kwargs: {} }]);
  assert.deepEqual(out.config.layers[2].inbound_nodes, [keras3]);
});

test('graph() writes the converted JSON, rank 0, no data class; a JSON string or object is accepted; bad input names the argument', async () => {
  const dir = tmpdir();
  const w = new SummaryWriter(dir, { now: () => BASE });
  w.graph({ toJSON: (_: unknown, returnString: boolean) => (returnString ? JSON.stringify(FUNCTIONAL) : FUNCTIONAL) });
  w.graph(JSON.stringify(FUNCTIONAL), { tag: 'as-string' });
  w.graph(FUNCTIONAL, { tag: 'as-object' });
  assert.throws(() => w.graph('{not json'), /SummaryWriter\.graph: model must be a LayersModel .* received "a string that is not JSON"/);
  assert.throws(() => w.graph(42), /model must be a LayersModel/);
  await w.close();
  const values = records(w.path).slice(1).map(decode).map((e) => e.summary.value[0]);
  assert.deepEqual(values.map((v) => v.tag), ['keras', 'as-string', 'as-object']);
  for (const v of values) {
    assert.deepEqual(v.metadata, { plugin_data: { plugin_name: 'graph_keras_model', content: Buffer.from('1') } });
    assert.equal(v.tensor.tensor_shape.dim, undefined, 'rank 0, as keras_model_summary writes it');
    assert.deepEqual(JSON.parse(Buffer.from(v.tensor.string_val[0]).toString()), keras3Model(FUNCTIONAL));
  }
  fs.rmSync(dir, { recursive: true });
});
