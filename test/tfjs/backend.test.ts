import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { selectBackend } from '../../src/tfjs/backend';

let tfjsNodeLoads = true;
try {
  require('@tensorflow/tfjs-node');
} catch {
  tfjsNodeLoads = false;
}

test("'tensorflow' without tfjs-node fails with install instructions", { skip: tfjsNodeLoads }, async () => {
  await assert.rejects(selectBackend('tensorflow'), (e: Error) => {
    assert.match(e.message, /@tensorflow\/tfjs-node/);
    assert.match(e.message, /npm install @tensorflow\/tfjs-node/);
    assert.match(e.message, /--backend wasm/);
    return true;
  });
});

test("'auto' picks tensorflow if it loads, else wasm with the training kernels", async () => {
  const logs: string[] = [];
  const { name, tf } = await selectBackend('auto', { log: (m) => logs.push(m) });
  assert.equal(name, tfjsNodeLoads ? 'tensorflow' : 'wasm');
  assert.equal(tf.getBackend(), name);
  if (!tfjsNodeLoads) {
    assert.ok(logs.some((l) => l.includes('@tensorflow/tfjs-node')), logs.join('\n'));
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
  }
});

test("'cpu' works", async () => {
  const { name, tf } = await selectBackend('cpu');
  assert.equal(name, 'cpu');
  assert.equal(tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]), 3);
});
