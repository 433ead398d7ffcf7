/** A tiny model.fit problem for the fit callback tests (not a test file itself). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-fit-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** 40 samples of 4 features, 2 classes (sign of the feature sum), 4 batches of 10; 10 validation samples. */
export function tinyProblem(seed = 1): { model: tf.LayersModel; xs: tf.Tensor; ys: tf.Tensor; vx: tf.Tensor; vy: tf.Tensor } {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 2, inputShape: [4], activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy', metrics: ['acc'] });
  const data = (n: number, s: number) => {
    const x = tf.randomUniform([n, 4], -1, 1, 'float32', s);
    const y = tf.oneHot(tf.cast(tf.greater(tf.sum(x, 1), 0), 'int32'), 2);
    return [x, y] as const;
  };
  const [xs, ys] = data(40, seed);
  const [vx, vy] = data(10, seed + 1);
  return { model, xs, ys, vx, vy };
}


/** The CPU backend, without its "install tfjs-node" banner. */
export async function cpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  const b = tf.backend() as unknown as { firstUse?: boolean };
  b.firstUse = false;
}
