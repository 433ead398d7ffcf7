import type { Tf, tfTypes } from '../tf-types';
import { singleDy } from './wasm-util';

/**
 * Gradient of Mean, used while the wasm backend is active. tfjs-core's version is
 * div(mul(dy, ones(x.shape)), n): it fills a full-size ones array in JS, uploads it to the wasm
 * heap and makes two passes over it (tf.moments takes two means per BN layer). Dividing the small
 * dy first and broadcasting (Tile) gives bit-identical values in one pass. Other backends keep the
 * stock gradient.
 */
export function makeMeanGradConfig(tf: Tf, stock: tfTypes.GradConfig): tfTypes.GradConfig {
  return {
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      if (tf.getBackend() !== 'wasm') return stock.gradFunc(dy, saved, attrs);
      const [x] = saved;
      const g = singleDy(dy);
      const axes = tf.util.parseAxisParam((attrs as unknown as { axis: number | number[] }).axis, x.shape);
      let reduceSize = 1;
      const expanded = x.shape.slice();
      for (const a of axes) {
        reduceSize *= x.shape[a];
        expanded[a] = 1;
      }
      return { x: () => tf.broadcastTo(tf.div(tf.reshape(g, expanded), reduceSize), x.shape) };
    },
  };
}
