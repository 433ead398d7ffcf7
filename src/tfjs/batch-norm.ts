import type { Tf, tfTypes as tfType } from './tf-types';
import { BN_TRAINING } from './kernels/batch-norm-training';

/** The parts of tf.layers' BatchNormalization this needs (its fields are not public in the typings). */
interface BatchNormLayer {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: { read(): tfType.Tensor };
  beta: { read(): tfType.Tensor };
  movingMean: { read(): tfType.Tensor; write(v: tfType.Tensor): void };
  movingVariance: { read(): tfType.Tensor; write(v: tfType.Tensor): void };
}

const fused = new WeakSet<object>();

/**
 * Makes a `tf.layers.batchNormalization` layer compute its training-mode pass as one fused op
 * (kernels/batch-norm-training.ts) whenever the wasm backend with tbkit's kernels is active: the same
 * math and the same moving-average updates as tf.layers, in 5 passes over the activation instead of
 * ~28. Everything else (inference, other backends,
 * a normalization axis other than the last, no gamma/beta) runs the layer's own code. The layer's
 * class, config, weights and names are unchanged, so saving, checkpoints and the graph see the
 * same model. Idempotent.
 */
export function fuseBatchNormTraining(tf: Tf, layer: tfType.layers.Layer): void {
  if (layer.getClassName() !== 'BatchNormalization') {
    throw new Error(`fuseBatchNormTraining: layer ${layer.name} is a ${layer.getClassName()}, not a BatchNormalization`);
  }
  if (fused.has(layer)) return;
  fused.add(layer);
  const bn = layer as unknown as BatchNormLayer;
  const original = layer.call.bind(layer);
  const fusable = (x: tfType.Tensor): boolean =>
    tf.getBackend() === 'wasm' &&
    tf.getKernel(BN_TRAINING, 'wasm') != null &&
    x.dtype === 'float32' &&
    x.rank >= 2 &&
    (bn.axis === -1 || bn.axis === x.rank - 1) &&
    bn.center &&
    bn.scale;
  layer.call = (inputs, kwargs): tfType.Tensor | tfType.Tensor[] => {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs?.training !== true || !fusable(x)) return original(inputs, kwargs);
    return tf.tidy(() => {
      const [y, mean, variance] = tf.engine().runKernel(
        BN_TRAINING,
        { x, scale: bn.gamma.read(), offset: bn.beta.read() },
        { varianceEpsilon: bn.epsilon },
      ) as tfType.Tensor[];
      // As tf.layers: moving = moving − (moving − batch)·(1 − momentum).
      for (const [variable, value] of [[bn.movingMean, mean], [bn.movingVariance, variance]] as const) {
        tf.tidy(() => {
          const orig = variable.read();
          variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), 1 - bn.momentum)));
        });
      }
      return y;
    });
  };
}
