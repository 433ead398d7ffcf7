import type { Tf, tfTypes } from '../tf-types';
import { convInputGradDense, denseConvApplies } from './conv-dense';
import { allFinite, convInputGradSparse, sparseApplies } from './conv-grad-sparse';
import { simdKernels } from './simd';
import { free, heapF32, isChannelsLast, runFallback, runWasmKernel, wasmKernel, type KernelConfig, type TensorInfo, type WindowAttrs } from './wasm-util';

/**
 * Conv2DBackpropInput for the wasm backend. The stock kernel is a scalar C++ loop; the same result
 * is a plain forward convolution of (stride-dilated) dy with the 180°-rotated, in/out-swapped
 * filter, which XNNPACK runs several times faster.
 *
 * Configurations that would need negative padding fall back to `fallback`
 * (the stock kernel), which is slow but correct.
 */
export function makeConv2dBackpropInputConfig(tf: Tf, fallback: KernelConfig | undefined): KernelConfig {
  type Attrs = WindowAttrs & {
    dataFormat?: 'NHWC' | 'NCHW';
    inputShape: [number, number, number, number];
  };
  return wasmKernel<{ dy: TensorInfo; filter: TensorInfo }, Attrs>('Conv2DBackpropInput', (backend, { dy, filter }, attrs, args) => {
    const useFallback = (why: string): TensorInfo | TensorInfo[] => runFallback(fallback, args, `Conv2DBackpropInput with ${why}`);
    if (!isChannelsLast(attrs.dataFormat)) return useFallback('dataFormat NCHW');

    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
    const { filterHeight: fh, filterWidth: fw, strideHeight: sH, strideWidth: sW } = info;
    // Behind a ReLU and a max pool most of dy is zero: skip those (./conv-grad-sparse.ts).
    const sparse = filter.dtype === 'float32' && inChannels % 4 === 0 ? simdKernels(backend.wasm) : null;
    if (sparse) {
      const g = { ...info, filterHeight: fh, filterWidth: fw, padTop: info.padInfo.top, padLeft: info.padInfo.left };
      if (sparseApplies(g, backend, dy)) {
        const dx = convInputGradSparse(sparse, backend, dy, filter, g);
        if (dx) return dx;
      }
    }

    // Stride 1, unpadded: the dense loop in XNNPACK's order, which skips the zero rows XNNPACK
    // would multiply (exact for a finite filter).
    const dense = filter.dtype === 'float32' && dy.dtype === 'float32' && inChannels % 8 === 0 && batchSize > 0 && outHeight > 0 && outWidth > 0 && denseConvApplies(info)
      ? simdKernels(backend.wasm)
      : null;
    if (dense && allFinite(dense, backend, filter)) return convInputGradDense(dense, backend, dy, filter, info);

    // Geometry of the equivalent forward conv over the dilated dy.
    const dilH = (outHeight - 1) * sH + 1;
    const dilW = (outWidth - 1) * sW + 1;
    const pT = fh - 1 - info.padInfo.top;
    const pL = fw - 1 - info.padInfo.left;
    const pB = inHeight + fh - 1 - dilH - pT;
    const pR = inWidth + fw - 1 - dilW - pL;
    if (pT < 0 || pL < 0 || pB < 0 || pR < 0) return useFallback('padding larger than filter');

    // Rotated filter: wr[kh,kw,co,ci] = w[fh-1-kh, fw-1-kw, ci, co]. Tiny, so a JS loop.
    const wr = backend.makeOutput([fh, fw, outChannels, inChannels], 'float32');
    let dySrc: TensorInfo = dy;
    let dilated: TensorInfo | null = null;
    if (sH > 1 || sW > 1) {
      dilated = backend.makeOutput([batchSize, dilH, dilW, outChannels], 'float32');
      dySrc = dilated;
    }
    // Views only after every allocation: makeOutput may grow the heap.
    const w = heapF32(backend, filter);
    const r = heapF32(backend, wr);
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        const src = ((fh - 1 - kh) * fw + (fw - 1 - kw)) * inChannels * outChannels;
        const dst = (kh * fw + kw) * outChannels * inChannels;
        for (let ci = 0; ci < inChannels; ci++) {
          for (let co = 0; co < outChannels; co++) {
            r[dst + co * inChannels + ci] = w[src + ci * outChannels + co];
          }
        }
      }
    }
    if (dilated) {
      const d = heapF32(backend, dilated);
      const s = heapF32(backend, dy);
      d.fill(0);
      for (let b = 0; b < batchSize; b++) {
        for (let i = 0; i < outHeight; i++) {
          for (let j = 0; j < outWidth; j++) {
            const so = ((b * outHeight + i) * outWidth + j) * outChannels;
            const dof = ((b * dilH + i * sH) * dilW + j * sW) * outChannels;
            d.set(s.subarray(so, so + outChannels), dof);
          }
        }
      }
    }
    const pad: tfTypes.backend_util.ExplicitPadding = [
      [0, 0],
      [pT, pB],
      [pL, pR],
      [0, 0],
    ];
    let dx: TensorInfo;
    if (inChannels === 1) {
      // One output channel wastes XNNPACK's SIMD lanes; a depthwise conv per dy
      // channel, then a sum over channels, gives the same result faster.
      // wr [fh,fw,co,1] is exactly a depthwise filter with multiplier 1.
      const perChannel = runWasmKernel(tf, backend, 'DepthwiseConv2dNative', { x: dySrc, filter: wr }, {
        strides: [1, 1],
        pad,
        dataFormat: 'NHWC',
        dilations: [1, 1],
        dimRoundingMode: undefined,
      });
      const summed = runWasmKernel(tf, backend, 'Sum', { x: perChannel }, { axis: [3], keepDims: true });
      free(backend, perChannel);
      dx = summed;
    } else {
      dx = runWasmKernel(tf, backend, 'Conv2D', { x: dySrc, filter: wr }, {
        strides: [1, 1],
        pad,
        dataFormat: 'NHWC',
        dilations: [1, 1],
        dimRoundingMode: undefined,
      });
    }
    free(backend, wr);
    if (dilated) free(backend, dilated);
    return dx;
  });
}
