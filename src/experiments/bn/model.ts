import type { Tf, tfTypes as tfType } from '../../tfjs/tf-types';
import { fuseAdam, fuseBatchNormTraining } from '../../tfjs';

type TF = Tf;

export interface BuildModelOptions {
  useBn: boolean;
  seed: number;
}

/**
 * The BN-experiment CNN:
 * Conv(32,3x3,valid) → [BN] → ReLU → MaxPool 2x2 → Conv(64,3x3,valid) → [BN] → ReLU
 * → MaxPool 2x2 → Flatten → Dense(10, softmax).
 *
 * Every initializer gets its own seed derived from `seed`, so equal seeds give
 * bit-identical weights (tfjs's seeded initializers do not share state).
 * Both convs keep a bias even with BN (redundant after BN's mean subtraction,
 * but harmless, and it keeps the two variants' parameter lists parallel).
 * BN uses the tf.layers defaults (momentum 0.99, epsilon 1e-3), the same as
 * Keras / tf.layers.batch_normalization; on wasm its training pass runs as one
 * fused op (fuseBatchNormTraining), elsewhere as tf.layers' own ops.
 */
export function buildModel(tf: TF, opts: BuildModelOptions): tfType.LayersModel {
  const { useBn, seed } = opts;
  let k = 0;
  const glorot = (): ReturnType<TF['initializers']['glorotUniform']> => tf.initializers.glorotUniform({ seed: seed * 100 + k++ });
  const input = tf.input({ shape: [28, 28, 1], name: 'images' });
  const conv1 = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'valid', useBias: true, kernelInitializer: glorot(), name: 'conv1' });
  withoutInputGradient(tf, conv1);
  let h = conv1.apply(input) as tfType.SymbolicTensor;
  const batchNorm = (name: string): tfType.layers.Layer => {
    const layer = tf.layers.batchNormalization({ axis: -1, name });
    fuseBatchNormTraining(tf, layer);
    return layer;
  };
  if (useBn) h = batchNorm('bn1').apply(h) as tfType.SymbolicTensor;
  h = tf.layers.reLU({ name: 'relu1' }).apply(h) as tfType.SymbolicTensor;
  h = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'pool1' }).apply(h) as tfType.SymbolicTensor;
  h = tf.layers
    .conv2d({ filters: 64, kernelSize: 3, padding: 'valid', useBias: true, kernelInitializer: glorot(), name: 'conv2' })
    .apply(h) as tfType.SymbolicTensor;
  if (useBn) h = batchNorm('bn2').apply(h) as tfType.SymbolicTensor;
  h = tf.layers.reLU({ name: 'relu2' }).apply(h) as tfType.SymbolicTensor;
  h = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'pool2' }).apply(h) as tfType.SymbolicTensor;
  h = tf.layers.flatten({ name: 'flatten' }).apply(h) as tfType.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 10, activation: 'softmax', kernelInitializer: glorot(), name: 'logits' })
    .apply(h) as tfType.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: useBn ? 'cnn_bn' : 'cnn' });
}

/**
 * Makes a stride-1, 'valid', linear conv layer whose input needs no gradient (the first layer: its
 * input is the image batch) skip that gradient. tf.layers runs convs through `tf.fused.conv2d`,
 * whose custom gradient computes the gradients of the input, the kernel and the bias together,
 * wanted or not: for the first layer the input gradient is a whole conv nobody reads. Here the
 * same fused forward op runs inside a custom gradient whose only inputs
 * are the kernel and the bias (the images are closed over), so backprop computes just those two.
 * (Plain conv2d + add ops would also let the tape skip it, but the broadcasting bias add costs
 * more on WASM than the fused bias.) The layer object (class, config, weights, names) is
 * unchanged, so the graph, checkpoints and the optimizer see the same model, and the forward
 * values are bit-identical.
 */
function withoutInputGradient(tf: TF, layer: tfType.layers.Layer): void {
  const cfg = layer.getConfig() as { strides?: number[]; padding?: string; dilationRate?: number[]; activation?: string; dataFormat?: string };
  const ones = (v: number[] | undefined) => v == null || v.every((d) => d === 1);
  if (!ones(cfg.strides) || cfg.padding !== 'valid' || !ones(cfg.dilationRate) || cfg.activation !== 'linear' || cfg.dataFormat !== 'channelsLast') {
    throw new Error(`withoutInputGradient: layer ${layer.name} must be a stride-1 'valid' linear channelsLast conv`);
  }
  layer.call = (inputs: tfType.Tensor | tfType.Tensor[]): tfType.Tensor =>
    tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tfType.Tensor4D;
      const [kernelVar, biasVar] = layer.trainableWeights;
      const kernel = kernelVar.read() as tfType.Tensor4D;
      if (!biasVar) throw new Error(`withoutInputGradient: layer ${layer.name} needs a bias`);
      const conv = tf.customGrad(((k: tfType.Tensor4D, b: tfType.Tensor1D) => ({
        value: tf.fused.conv2d({ x, filter: k, bias: b, strides: 1, pad: 'valid' }),
        gradFunc: (dy: tfType.Tensor | tfType.Tensor[]) => {
          const g = (Array.isArray(dy) ? dy[0] : dy) as tfType.Tensor4D;
          const dk = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: g }, {
            strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: kernel.shape,
          } as unknown as tfType.NamedAttrMap) as tfType.Tensor;
          return [dk, tf.sum(g, [0, 1, 2])];
        },
      })) as unknown as Parameters<TF["customGrad"]>[0]);
      return conv(kernel, biasVar.read());
    });
}

/** −mean over the batch of Σ t·log(clip(y, 1e−10, 1)). */
export function clippedCrossEntropy(tf: TF, labels: tfType.Tensor, probs: tfType.Tensor): tfType.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.log(tf.clipByValue(probs, 1e-10, 1))), 1))) as tfType.Scalar);
}

export interface TrainerOptions {
  learningRate: number;
}

export interface Trainer {
  /** One Adam step on a batch; returns the cost still on the backend (caller decides when to download). */
  trainStep(xs: tfType.Tensor4D, ys: tfType.Tensor2D): tfType.Scalar;
  /** Inference-mode (BN moving averages) cost and accuracy over a dataset, in batches. */
  evaluate(xs: tfType.Tensor4D, ys: tfType.Tensor2D, batchSize?: number): Promise<{ cost: number; accuracy: number }>;
  optimizer: tfType.AdamOptimizer;
}

export function createTrainer(tf: TF, model: tfType.LayersModel, opts: TrainerOptions): Trainer {
  const optimizer = tf.train.adam(opts.learningRate);
  fuseAdam(tf, optimizer); // on wasm: one kernel per variable, the same values
  // BN moving statistics are non-trainable: they are updated inside the
  // training-mode forward pass, not by the optimizer.
  const vars = model.trainableWeights.map((w) => w.read() as tfType.Variable);

  const trainStep = (xs: tfType.Tensor4D, ys: tfType.Tensor2D): tfType.Scalar => {
    const cost = optimizer.minimize(
      () => {
        const probs = model.apply(xs, { training: true }) as tfType.Tensor;
        return clippedCrossEntropy(tf, ys, probs);
      },
      true,
      vars,
    );
    if (cost == null) throw new Error('optimizer.minimize returned no cost');
    return cost;
  };

  const evaluate = async (
    xs: tfType.Tensor4D,
    ys: tfType.Tensor2D,
    batchSize = 500,
  ): Promise<{ cost: number; accuracy: number }> => {
    const n = xs.shape[0];
    if (n === 0) return { cost: NaN, accuracy: NaN };
    let costSum = 0;
    let correct = 0;
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const [c, k] = tf.tidy(() => {
        const xb = tf.slice(xs, [start, 0, 0, 0], [size, -1, -1, -1]);
        const yb = tf.slice(ys, [start, 0], [size, -1]);
        const probs = model.apply(xb, { training: false }) as tfType.Tensor2D;
        const batchCost = tf.mul(clippedCrossEntropy(tf, yb, probs), size);
        const hits = tf.sum(tf.cast(tf.equal(tf.argMax(probs, 1), tf.argMax(yb, 1)), 'float32'));
        return [batchCost, hits];
      });
      const [cv, kv] = await Promise.all([c.data(), k.data()]);
      c.dispose();
      k.dispose();
      costSum += cv[0];
      correct += kv[0];
    }
    return { cost: costSum / n, accuracy: correct / n };
  };

  return { trainStep, evaluate, optimizer };
}
