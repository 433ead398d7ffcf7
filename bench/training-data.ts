/**
 * The training benches' inputs (bench/training.ts, bench/profile-step.ts): batches of 100 on which
 * the BN-experiment CNN trains as it does on MNIST.
 */
import * as tf from '@tensorflow/tfjs';
import { syntheticDigits } from '../src/experiments/bn/data/synthetic';

export const BATCH = 100;

/** Random 0-255 pixels, ~80 % zeros (MNIST-like sparsity matters for the ReLU/pool kernels), random labels. */
export function noiseBatch(): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return tf.tidy(() => {
    const dense = tf.randomUniform([BATCH, 28, 28, 1], 0, 255, 'float32', 1);
    const mask = tf.cast(tf.greater(tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 2), 0.8), 'float32');
    const xs = tf.mul(dense, mask) as tf.Tensor4D;
    const labels = tf.randomUniform([BATCH], 0, 10, 'int32', 3) as tf.Tensor1D;
    const ys = tf.cast(tf.oneHot(labels, 10), 'float32') as tf.Tensor2D;
    return { xs, ys };
  });
}

/** 10 batches of generated digit images (src/experiments/bn/data/synthetic.ts), cycled. */
export function digitBatches(): Array<{ xs: tf.Tensor4D; ys: tf.Tensor2D }> {
  const d = syntheticDigits(10 * BATCH, 7);
  return Array.from({ length: 10 }, (_, b) => tf.tidy(() => {
    const px = d.images.subarray(b * BATCH * 784, (b + 1) * BATCH * 784);
    const xs = tf.tensor4d(Float32Array.from(px), [BATCH, 28, 28, 1]);
    const labels = tf.tensor1d(Int32Array.from(d.labels.subarray(b * BATCH, (b + 1) * BATCH)), 'int32');
    return { xs, ys: tf.cast(tf.oneHot(labels, 10), 'float32') as tf.Tensor2D };
  }));
}

