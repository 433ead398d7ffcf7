import type { Tf, tfTypes } from '../tf-types';
import { singleDy } from './wasm-util';

/**
 * Gradient of FusedBatchNorm (per-channel rank-1 statistics), used while the
 * wasm backend is active. tfjs-core's version makes ~14 full passes over the
 * activation (tiles, products recomputed per output). Per channel everything
 * reduces to two sums, Σdy and Σdy·(x−mean), so this version makes three
 * passes (x−mean, dy·(x−mean), dy·scale·rstd) plus cheap leading-axis sums:
 *   dx = dy·scale·rstd            dmean = −scale·rstd·Σdy
 *   dvar = −½·scale·rstd³·Σdy(x−mean)   dscale = rstd·Σdy(x−mean)   doffset = Σdy
 * Other shapes, and other backends, keep the stock gradient.
 */
export function makeFusedBatchNormGradConfig(tf: Tf, stock: tfTypes.GradConfig): tfTypes.GradConfig {
  return {
    kernelName: 'FusedBatchNorm',
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved;
      const g = singleDy(dy);
      const c = x.shape[x.rank - 1];
      const rank1 = (t: tfTypes.Tensor | undefined | null) => t == null || (t.rank === 1 && t.shape[0] === c);
      if (tf.getBackend() !== 'wasm' || x.rank < 2 || mean.rank !== 1 || !rank1(mean) || !rank1(variance) || !rank1(scale)) {
        return stock.gradFunc(dy, saved, attrs);
      }
      const eps = (attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      const rstd = tf.rsqrt(tf.add(variance, tf.scalar(eps)));
      const scaleRstd = scale == null ? rstd : tf.mul(scale, rstd);
      // Computed eagerly (in the backward pass's own scope, which frees them)
      // because several closures share them; the stock gradient likewise
      // computes x−mean and dy·scale up front.
      const sumDy = tf.sum(g, axes);
      const sumDyXm = tf.sum(tf.mul(g, tf.sub(x, mean)), axes);
      return {
        x: () => tf.mul(g, scaleRstd),
        mean: () => tf.reshape(tf.neg(tf.mul(scaleRstd, sumDy)), mean.shape),
        variance: () => tf.reshape(tf.mul(tf.mul(tf.mul(scaleRstd, tf.square(rstd)), tf.scalar(-0.5)), sumDyXm), mean.shape),
        scale: () => tf.reshape(tf.mul(rstd, sumDyXm), mean.shape),
        offset: () => tf.reshape(sumDy, mean.shape),
      };
    },
  };
}
