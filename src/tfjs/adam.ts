import type { Tf, tfTypes } from './tf-types';
import { ADAM_UPDATE } from './kernels/adam-update';

/** The parts of tf.train.adam's optimizer this needs (its fields are not public in the typings). */
interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tfTypes.Variable;
  accBeta2: tfTypes.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tfTypes.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tfTypes.Variable } | undefined>;
  incrementIterations(): void;
}

const fused = new WeakSet<object>();

/**
 * Makes a `tf.train.adam` optimizer update each variable with one kernel (kernels/adam-update.ts)
 * while the wasm backend with tbkit's kernels is active, instead of the 12 small ops per variable
 * of its applyGradients: the same float32 operations, so the same values bit for bit. Its state
 * (moments with the same names, the β powers, the iteration count) is kept where tfjs keeps it,
 * so getWeights / setWeights and checkpoints see the same optimizer. Other backends run its own
 * code. Idempotent.
 */
export function fuseAdam(tf: Tf, optimizer: tfTypes.AdamOptimizer): void {
  if (optimizer.getClassName() !== 'Adam') throw new Error(`fuseAdam: the optimizer is a ${optimizer.getClassName()}, not Adam`);
  if (fused.has(optimizer)) return;
  fused.add(optimizer);
  const opt = optimizer as unknown as AdamInternals;
  type Grads = Parameters<tfTypes.AdamOptimizer['applyGradients']>[0];
  const original = optimizer.applyGradients.bind(optimizer);
  optimizer.applyGradients = (variableGradients: Grads): void => {
    if (tf.getBackend() !== 'wasm' || tf.getKernel(ADAM_UPDATE, 'wasm') == null) return original(variableGradients);
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    tf.tidy(() => {
      const oneMinusAccBeta1 = tf.sub(1, opt.accBeta1);
      const oneMinusAccBeta2 = tf.sub(1, opt.accBeta2);
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        const moment = (slots: AdamInternals['accumulatedFirstMoment'], suffix: string): tfTypes.Variable => {
          slots[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
          return slots[i]!.variable;
        };
        const m = moment(opt.accumulatedFirstMoment, 'm');
        const v = moment(opt.accumulatedSecondMoment, 'v');
        const g = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (g == null) return;
        const [x1, m1, v1] = tf.engine().runKernel(
          ADAM_UPDATE,
          { x: value, m, v, g, oneMinusAccBeta1, oneMinusAccBeta2 },
          { beta1: opt.beta1, beta2: opt.beta2, epsilon: opt.epsilon, learningRate: opt.learningRate } as unknown as tfTypes.NamedAttrMap,
        ) as tfTypes.Tensor[];
        m.assign(m1);
        v.assign(v1);
        value.assign(x1);
      });
      opt.accBeta1.assign(tf.mul(opt.accBeta1, opt.beta1));
      opt.accBeta2.assign(tf.mul(opt.accBeta2, opt.beta2));
    });
    opt.incrementIterations();
  };
}
