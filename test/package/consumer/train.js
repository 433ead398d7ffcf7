// A tiny model.fit with the one-line callback; prints the runs, tags and steps read back.
const tf = require('@tensorflow/tfjs');
const { tensorBoard } = require('tbkit/tfjs');
const { listRuns, readRun } = require('tbkit');

(async () => {
  await tf.setBackend('cpu');
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, inputShape: [2] }));
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const xs = tf.randomNormal([32, 2], 0, 1, 'float32', 1);
  const ys = tf.randomNormal([32, 1], 0, 1, 'float32', 2);
  const logdir = process.argv[2];
  await model.fit(xs, ys, { epochs: 2, batchSize: 8, validationSplit: 0.25, verbose: 0, callbacks: tensorBoard(logdir, { updateFreq: 'batch', histogramFreq: 1 }) });
  const runs = {};
  for (const r of listRuns(logdir)) {
    const d = readRun(r.files);
    runs[r.name] = { scalars: Object.fromEntries([...d.scalars].map(([tag, points]) => [tag, points.map((p) => p.step)])), tags: [...d.tags.values()].map((t) => `${t.plugin}:${t.tag}`).sort() };
  }
  console.log(JSON.stringify(runs));
})();
